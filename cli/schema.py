"""`processmodell schema`: the JSON Schema (draft-07) for flow files, on stdout.

The same text is committed as schema/processmodell.schema.json, which the flow files name
in their first line (`# yaml-language-server: $schema=../schema/processmodell.schema.json`),
so editors check keys, types and ids while the utvecklingsledare types. A test keeps the
committed file equal to this command's output.
"""

from __future__ import annotations

import sys


def run() -> int:
    from processmodell.jsonschema_export import schema_text

    sys.stdout.write(schema_text())
    return 0
