"""processmodell: an executable process-map engine for Finsam process models."""

__version__ = "0.1.0"
