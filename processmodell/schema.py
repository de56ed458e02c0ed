"""The YAML schema of a process model, as pydantic models.

Keys are Swedish because the editors are; identifiers in code are English except for the
domain's own words (ruta, underprocess, lagrum, frist, samtycke, fakta).

Every flow file is one `FlowFile`: a mapping that may hold registries (`modell`, `lagrum`,
`aktörer`, `fakta`, `blanketter`) and/or one underprocess (`underprocess` + `rutor`).
The loader merges all files of a folder into one `Model` (see `processmodell.model`).

References between things are plain strings here; the reference check resolves them:
- a ruta reference is local (`"7"`) or qualified (`"fk/5a"`): a qualified reference to another
  underprocess is a hand-over (överlämning);
- `konsultera` names a qualified ruta in another underprocess, visited before `nästa`.
"""

from __future__ import annotations

import datetime as _dt
import re
from enum import Enum
from typing import Annotated, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    Tag,
    model_validator,
)

# Numbers are StrictInt: `minst: "30"` is a mistake in the file (text where a number belongs),
# not something to convert silently.

# ISO 8601 durations as the source uses them: P30D, P6M, P8W, P1Y, P1Y2M. No time part:
# the handläggarstöd speaks in days, weeks, months and years.
DURATION_RE = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")
ID_RE = re.compile(r"^[0-9a-zåäö][0-9a-zåäö_-]*$")


def _check_duration(value: str) -> str:
    if not DURATION_RE.match(value):
        raise ValueError(
            f"'{value}' är ingen ISO 8601-tidslängd; skriv t.ex. P30D (30 dagar), P8W (8 veckor), "
            "P6M (6 månader) eller P1Y (1 år)"
        )
    return value


def _check_id(value: str) -> str:
    if not ID_RE.match(value):
        raise ValueError(
            f"'{value}' är inget giltigt id; använd små bokstäver, siffror, '-' och '_' "
            "(t.ex. 5a, soc-sjukskriven, har_läkarintyg)"
        )
    return value


Duration = Annotated[str, AfterValidator(_check_duration)]
Id = Annotated[str, AfterValidator(_check_id)]
# A ruta reference: "7" (same underprocess) or "fk/5a" (another underprocess).
RutaRef = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Base for every YAML object: unknown keys are errors, numbers in text fields become text
    (so `id: 5` means ruta "5"), and nothing is coerced silently otherwise."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


# ---------------------------------------------------------------- registries


class Kontakt(Strict):
    namn: str
    epost: str | None = None
    telefon: str | None = None
    webb: str | None = None


class Modell(Strict):
    """The model's metadata (one per folder)."""

    namn: str
    version: str
    källa: str = Field(description="Dokumentet modellen bygger på.")
    giltig_från: _dt.date | None = None
    utgivare: str | None = None
    beskrivning: str | None = None
    kontakt: Kontakt | None = Field(
        default=None, description="Kontakt för tillgänglighetsredogörelsen och felanmälan."
    )
    not_: str | None = Field(default=None, alias="not")


class Lagrum(Strict):
    id: Id
    kortnamn: str = Field(description="T.ex. SoL, HSL, SFB, LSS, Finsamlagen.")
    författning: str = Field(description="Lagens namn, t.ex. Socialtjänstlag.")
    sfs: str = Field(pattern=r"^\d{4}:\d+$", description="SFS-nummer, t.ex. 2001:453.")
    kapitel: str | None = None
    paragraf: str | None = None
    rubrik: str | None = None
    länk: str | None = None
    giltig_från: _dt.date | None = None
    giltig_till: _dt.date | None = Field(default=None, description="Sista dag lagen gällde.")
    ersatt_av: str | None = None
    not_: str | None = Field(default=None, alias="not")


class Aktör(Strict):
    id: Id
    namn: str
    kortnamn: str | None = None
    färg: str | None = Field(default=None, pattern=r"^#[0-9a-fA-F]{6}$")
    webb: str | None = None


class FaktaTyp(str, Enum):
    boolesk = "boolesk"  # true/false
    heltal = "heltal"
    text = "text"
    val = "val"  # one of `alternativ`
    datum = "datum"  # YYYY-MM-DD, written as a quoted string


class Fakta(Strict):
    id: Id
    typ: FaktaTyp
    fråga: str = Field(description="Frågan som ställs när faktan behövs, på svenska.")
    alternativ: list[str] | None = Field(default=None, description="Endast för typ val.")
    minst: StrictInt | None = Field(default=None, description="Lägsta tillåtna värde (heltal).")
    högst: StrictInt | None = Field(default=None, description="Högsta tillåtna värde (heltal).")
    enhet: str | None = None
    not_: str | None = Field(default=None, alias="not")


class BlankettSlag(str, Enum):
    bilaga = "bilaga"
    anmälan = "anmälan"
    samtycke = "samtycke"
    ansökan = "ansökan"
    insatskatalog = "insatskatalog"
    beslutsstöd = "beslutsstöd"
    webbplats = "webbplats"
    annat = "annat"


class Blankett(Strict):
    id: Id
    namn: str
    slag: BlankettSlag
    länk: str | None = None
    not_: str | None = Field(default=None, alias="not")


# ---------------------------------------------------------------- conditions
# Conditions are data, never code. One shape per kind of test; the kinds combine with
# alla/någon/inte/antal_minst, so "minst två myndigheter ser behov" is expressible.


class VillkorLika(Strict):
    """fakta är exakt ett värde: `{fakta: har_läkarintyg, är: true}`."""

    fakta: str
    är: bool | int | str


class VillkorIntervall(Strict):
    """heltal inom ett slutet intervall: `{fakta: ålder, minst: 19, högst: 29}`."""

    fakta: str
    minst: StrictInt | None = None
    högst: StrictInt | None = None

    @model_validator(mode="after")
    def _needs_bound(self) -> VillkorIntervall:
        if self.minst is None and self.högst is None:
            raise ValueError("ange minst eller högst (eller båda)")
        if self.minst is not None and self.högst is not None and self.minst > self.högst:
            raise ValueError(f"minst ({self.minst}) är större än högst ({self.högst})")
        return self


class VillkorEnAv(Strict):
    """fakta av typ val är ett av flera alternativ: `{fakta: aktör, en_av: [fk, af]}`."""

    fakta: str
    en_av: list[str] = Field(min_length=1)


class VillkorAlla(Strict):
    alla: list[Villkor] = Field(min_length=1)


class VillkorNågon(Strict):
    någon: list[Villkor] = Field(min_length=1)


class VillkorInte(Strict):
    inte: Villkor


class VillkorAntal(Strict):
    """Minst N av villkoren gäller: `{antal_minst: 2, av: [...]}`."""

    antal_minst: StrictInt = Field(ge=1)
    av: list[Villkor] = Field(min_length=1)


def _villkor_kind(value: object) -> str | None:
    """Pick the condition's kind from its keys, so an error names one kind, not seven."""
    if isinstance(value, BaseModel):
        return type(value).__name__
    if not isinstance(value, dict):
        return None
    for key, kind in _VILLKOR_KEYS:
        if key in value:
            return kind
    return None


_VILLKOR_KEYS = (
    ("alla", "VillkorAlla"),
    ("någon", "VillkorNågon"),
    ("inte", "VillkorInte"),
    ("antal_minst", "VillkorAntal"),
    ("en_av", "VillkorEnAv"),
    ("är", "VillkorLika"),
    ("minst", "VillkorIntervall"),
    ("högst", "VillkorIntervall"),
)

Villkor = Annotated[
    Union[
        Annotated[VillkorLika, Tag("VillkorLika")],
        Annotated[VillkorIntervall, Tag("VillkorIntervall")],
        Annotated[VillkorEnAv, Tag("VillkorEnAv")],
        Annotated[VillkorAlla, Tag("VillkorAlla")],
        Annotated[VillkorNågon, Tag("VillkorNågon")],
        Annotated[VillkorInte, Tag("VillkorInte")],
        Annotated[VillkorAntal, Tag("VillkorAntal")],
    ],
    Discriminator(
        _villkor_kind,
        custom_error_type="villkor",
        custom_error_message=(
            "okänt villkor: använd {fakta, är}, {fakta, minst/högst}, {fakta, en_av}, "
            "{alla: [...]}, {någon: [...]}, {inte: ...} eller {antal_minst, av}"
        ),
    ),
]
for _m in (VillkorAlla, VillkorNågon, VillkorInte, VillkorAntal):
    _m.model_rebuild()


# ---------------------------------------------------------------- time


class Frist(Strict):
    """A deadline from the moment the case reaches the ruta.

    `inom`: once (FK: ansökan handläggs inom 30 dagar → P30D).
    `var`: recurring (uppföljning minst var tredje månad → P3M), for at most `längst`
    (without `längst` only the first date can be given: how long it recurs is unknown).
    `till`: the ruta (or rutor) where the frist is met, e.g. FK's decision at 4 or 5a; a
    recurring frist ends there. Without it the frist stays open: walking on in the map does not
    do what the frist asks for."""

    beskrivning: str
    inom: Duration | None = None
    var: Duration | None = None
    längst: Duration | None = None
    lagrum: list[str] = Field(default_factory=list)
    till: RutaRef | Annotated[list[RutaRef], Field(min_length=1)] | None = Field(
        default=None,
        description=(
            "Ruta (eller lista av rutor) där fristen är uppfylld; en återkommande frist upphör där."
        ),
    )

    def till_rutor(self) -> list[str]:
        """`till` as a list, whichever way it was written."""
        if self.till is None:
            return []
        return [self.till] if isinstance(self.till, str) else list(self.till)

    @model_validator(mode="after")
    def _one_kind(self) -> Frist:
        if (self.inom is None) == (self.var is None):
            raise ValueError("ange antingen inom (en gång) eller var (återkommande), inte båda")
        if self.längst is not None and self.var is None:
            raise ValueError("längst gäller bara återkommande frister (var)")
        return self


class Varaktighet(Strict):
    """How long a phase lasts: `{minst: P1M, högst: P3M}` (Kartläggning 1–3 månader); on an
    underprocess, how long the whole insats lasts (Stegen 10–12 månader)."""

    minst: Duration | None = None
    högst: Duration | None = None
    beskrivning: str | None = None

    @model_validator(mode="after")
    def _needs_bound(self) -> Varaktighet:
        if self.minst is None and self.högst is None:
            raise ValueError("ange minst eller högst (eller båda)")
        return self


class Samtycke(Strict):
    """The person's consent is needed before the case may leave this ruta.

    Consent is a boolean fakta, so the same consent given once (e.g. to Finsamteam) counts
    everywhere it is asked for."""

    fakta: str
    beskrivning: str
    blankett: str | None = None
    lagrum: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- ways forward


class Väg(Strict):
    """One way forward from a ruta.

    `till` is a local ruta id or a qualified `underprocess/ruta`; when it names another
    underprocess the case is handed over, and `ansvarig` (aktör id) and `väntetid` (the
    longest the person should wait) say who carries it across the gap."""

    till: RutaRef
    svar: str | None = Field(default=None, description="Svarets text, för beslut.")
    villkor: Villkor | None = None
    ansvarig: str | None = Field(default=None, description="Aktör som ansvarar för nästa steg.")
    väntetid: Duration | None = Field(default=None, description="Längsta väntan vid överlämning.")
    not_: str | None = Field(default=None, alias="not")


class RutaTyp(str, Enum):
    start = "start"
    steg = "steg"
    beslut = "beslut"
    slut = "slut"


class Ruta(Strict):
    id: Id = Field(description="Handläggarstödets nummer som text, t.ex. '5a'; 'slut' för onumrerade slut.")
    typ: RutaTyp
    rubrik: str
    fråga: str | None = Field(
        default=None,
        description="Frågan som ställs vid ett beslut, när rubriken inte själv är en fråga.",
    )
    text: str | None = Field(default=None, description="Handläggarstödets vägledning, hela texten.")
    aktör: str | None = Field(default=None, description="Om annan än underprocessens aktör.")
    nästa: RutaRef | Väg | None = Field(default=None, description="För start och steg.")
    alternativ: list[Väg] | None = Field(default=None, description="För beslut: svaren.")
    konsultera: RutaRef | None = Field(
        default=None,
        description="Underprocess/ruta som konsulteras; ärendet kommer tillbaka till nästa.",
    )
    lagrum: list[str] = Field(default_factory=list)
    blanketter: list[str] = Field(default_factory=list)
    samtycke: Samtycke | None = None
    frist: Frist | None = None
    varaktighet: Varaktighet | None = None
    not_: str | None = Field(default=None, alias="not", description="Antaganden där källan är tyst.")

    def ways(self) -> list[Väg]:
        """Every way forward as a Väg (nästa normalised), in source order."""
        if self.alternativ is not None:
            return list(self.alternativ)
        if self.nästa is None:
            return []
        if isinstance(self.nästa, str):
            return [Väg(till=self.nästa)]
        return [self.nästa]


class Underprocess(Strict):
    id: Id
    nummer: StrictInt | None = Field(default=None, description="Numret i processkartan, 1–8.")
    namn: str
    aktör: str
    beskrivning: str | None = None
    varaktighet: Varaktighet | None = Field(
        default=None, description="Hur länge hela insatsen pågår, t.ex. 10–12 månader."
    )
    not_: str | None = Field(default=None, alias="not")


class FlowFile(Strict):
    """One YAML file in a flows folder."""

    modell: Modell | None = None
    lagrum: list[Lagrum] = Field(default_factory=list)
    aktörer: list[Aktör] = Field(default_factory=list)
    fakta: list[Fakta] = Field(default_factory=list)
    blanketter: list[Blankett] = Field(default_factory=list)
    underprocess: Underprocess | None = None
    rutor: list[Ruta] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rutor_need_underprocess(self) -> FlowFile:
        if self.rutor and self.underprocess is None:
            raise ValueError("rutor måste stå i samma fil som en underprocess")
        return self

