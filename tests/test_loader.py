"""The loader: strict YAML, located Swedish errors, and no traceback for any input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from processmodell.loader import FolderError, load_folder, read_yaml_file
from processmodell.yamlstrict import MAX_BYTES, MAX_DEPTH

DATA = Path(__file__).parent / "data" / "yaml"

# file -> (code, line, column, words the message must contain)
BROKEN = {
    "dubblett_nyckel.yaml": ("dubblett-nyckel", 4, 3, "Nyckeln 'id' finns två gånger (först på rad 2)"),
    "alias.yaml": ("yaml-alias", 1, 9, "Ankare och alias"),
    "tagg.yaml": ("yaml-tagg", 1, 15, "Taggen 'tag:yaml.org,2002:python/object:os.system'"),
    "tabb.yaml": ("tabb", 3, 1, "Tabbtecken i indraget"),
    "tom.yaml": ("tom-fil", 1, 1, "Filen är tom."),
    "bara_kommentar.yaml": ("tom-fil", 1, 1, "Filen är tom."),
    "kolon.yaml": ("yaml-syntax", 3, 11, "Ett kolon står där det inte får stå"),
    "indrag.yaml": ("yaml-syntax", 3, 8, "Ett kolon står där det inte får stå"),
    "flera_dokument.yaml": ("flera-dokument", 3, 1, "flera YAML-dokument"),
    "ej_stangd.yaml": ("yaml-syntax", 4, 1, "Filen tar slut mitt i ett värde"),
    "lista_indrag.yaml": ("yaml-syntax", 5, 6, "Indraget stämmer inte med raderna ovanför"),
    "okand_nyckel.yaml": ("schemafel", 9, 5, "Ruta fk/1: Okänd nyckel 'nästta'."),
    "fel_typ.yaml": ("schemafel", 7, 5, "Ruta fk/1: 'typ' kan inte vara 'besult'."),
}


def load_one(tmp_path: Path, name: str):
    folder = tmp_path / "flows"
    folder.mkdir()
    shutil.copy(DATA / name, folder / name)
    return load_folder(folder), str(folder / name)


def flows_with(tmp_path: Path, content: str | bytes) -> Path:
    """A flows folder with one file a.yaml holding `content` (text is written as UTF-8)."""
    folder = tmp_path / "flows"
    folder.mkdir()
    data = content.encode("utf-8") if isinstance(content, str) else content
    (folder / "a.yaml").write_bytes(data)
    return folder


@pytest.mark.parametrize("name", sorted(BROKEN), ids=lambda n: n.removesuffix(".yaml"))
def test_broken_file_gives_located_swedish_error(tmp_path: Path, name: str) -> None:
    code, line, column, words = BROKEN[name]
    result, file = load_one(tmp_path, name)
    assert result.model is None
    first = result.findings[0]
    assert (first.code, first.location.file, first.location.line, first.location.column) == (
        code,
        file,
        line,
        column,
    )
    assert words in first.message
    assert first.hint


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    result, _ = load_one(tmp_path, "okand_nyckel.yaml")
    assert result.findings[0].hint.startswith("Menade du 'nästa'?")


def test_a_condition_key_typo_is_named(tmp_path: Path) -> None:
    folder = flows_with(
        tmp_path,
        "underprocess: {id: a, namn: A, aktör: x}\nrutor:\n  - id: '1'\n    typ: beslut\n"
        "    rubrik: R\n    alternativ:\n      - {svar: Ja, till: '2', villkor: {fakta: f, ar: true}}\n",
    )
    finding = load_folder(folder).findings[0]
    assert finding.message == "Ruta a/1: 'villkor' går inte att tolka som ett villkor."
    assert finding.hint.startswith("Menade du 'är' i stället för 'ar'?")
    assert finding.location.line == 7


def test_yaml_11_pitfalls_stay_text(tmp_path: Path) -> None:
    """no/yes/on/off, 10:30, 0123, dates and numeric ids are text, as the editor wrote them."""
    result, _ = load_one(tmp_path, "tolkning.yaml")
    up = result.model.underprocesser["fk"]
    assert up.meta.beskrivning == "no"
    assert list(up.rutor) == ["5", "6", "off"]
    five = up.rutor["5"]
    assert (five.rubrik, five.text, five.not_) == ("10:30", "0123", "2019-03-12")
    assert [w.till for w in five.alternativ] == ["6", "off"]
    assert up.rutor["6"].rubrik == "yes" and up.rutor["off"].rubrik == "on"


def test_not_utf8(tmp_path: Path) -> None:
    folder = flows_with(tmp_path, "modell:\n  namn: Åsa\n".encode("latin-1"))
    finding = load_folder(folder).findings[0]
    assert (finding.code, finding.location.line, finding.location.column) == ("inte-utf8", 2, 9)
    assert "UTF-8" in finding.hint


def test_control_character_is_located(tmp_path: Path) -> None:
    folder = flows_with(tmp_path, b"modell:\n  namn: St\x00ockholm\n")
    finding = load_folder(folder).findings[0]
    assert (finding.code, finding.location.line, finding.location.column) == ("yaml-syntax", 2, 11)
    assert "U+0000" in finding.message


def test_too_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    folder = flows_with(tmp_path, b"# x\n" * (MAX_BYTES // 4 + 1))
    assert load_folder(folder).findings[0].code == "för-stor-fil"


def test_too_deep_nesting(tmp_path: Path) -> None:
    folder = flows_with(tmp_path, "a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    assert load_folder(folder).findings[0].code == "för-djup-nästling"


def test_billion_laughs_is_refused_at_the_first_anchor(tmp_path: Path) -> None:
    folder = tmp_path / "flows"
    folder.mkdir()
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    (folder / "a.yaml").write_text("\n".join(lines) + "\n")
    finding = load_folder(folder).findings[0]
    assert (finding.code, finding.location.line) == ("yaml-alias", 1)


def test_all_files_of_a_layer_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "flows"
    folder.mkdir()
    for name in ("tabb.yaml", "alias.yaml", "tom.yaml"):
        shutil.copy(DATA / name, folder / name)
    codes = sorted(f.code for f in load_folder(folder).findings)
    assert codes == ["tabb", "tom-fil", "yaml-alias"]


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    folder = flows_with(
        tmp_path, "lagrum:\n  - id: sol\n    kortnamn: SoL\n    författning: S\n    sfs: '2001:453'\n"
    )
    (folder / "b.yaml").write_text("lagrum:\n  - {id: sol, kortnamn: SoL, författning: S, sfs: '2001:453'}\n")
    result = load_folder(folder)
    dup = [f for f in result.findings if f.code == "dubblett-id"]
    assert len(dup) == 1
    assert dup[0].location.file.endswith("b.yaml") and dup[0].location.line == 2
    assert f"först i {folder / 'a.yaml'}:2:5" in dup[0].message


def test_missing_folder_and_folder_without_yaml(tmp_path: Path) -> None:
    with pytest.raises(FolderError, match="finns inte"):
        load_folder(tmp_path / "saknas")
    with pytest.raises(FolderError, match="inga YAML-filer"):
        load_folder(tmp_path)


def test_read_yaml_file_raises_model_error_with_location(tmp_path: Path) -> None:
    from processmodell.findings import ModelError

    path = tmp_path / "fakta.yaml"
    path.write_text("ålder: 34\nålder: 35\n")
    with pytest.raises(ModelError) as info:
        read_yaml_file(path)
    assert info.value.findings[0].location.line == 2


def test_the_real_flows_load_with_locations(real_model) -> None:
    assert real_model.modell.namn == "Stockholmsmodellen"
    assert len(real_model.content_hash) == 64
    lagrum_file = next(f for f in real_model.marks if f.endswith("lagrum.yaml"))
    loc = real_model.locate(lagrum_file, ("lagrum", 1, "id"))
    assert (loc.line, loc.column) > (1, 1)
    assert real_model.locate(lagrum_file, ("lagrum", 1, "no-such-key")) == loc


# ------------------------------------------------------------ never a traceback


def _assert_clean(folder: Path) -> None:
    result = load_folder(folder)  # must not raise
    for finding in result.findings:
        assert finding.location is not None and finding.location.line >= 1
        assert finding.message and finding.code


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(tmp_path_factory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    (folder / "x.yaml").write_bytes(data)
    _assert_clean(folder)


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
_keys = st.sampled_from(
    ["modell", "underprocess", "rutor", "id", "typ", "nästa", "alternativ", "till", "svar", "villkor",
     "fakta", "lagrum", "namn", "aktör", "rubrik", "frist", "inom", "var", "samtycke", "x"]
)
_documents = st.recursive(
    _scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=5)),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_documents)
def test_arbitrary_yaml_documents_never_raise(tmp_path_factory, document) -> None:
    folder = tmp_path_factory.mktemp("docs")
    (folder / "x.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    _assert_clean(folder)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_real_flow_files_never_raise(tmp_path_factory, data) -> None:
    flows = Path(__file__).resolve().parent.parent / "flows"
    source = data.draw(st.sampled_from(sorted(flows.glob("*.yaml"))))
    text = source.read_bytes()
    at = data.draw(st.integers(0, max(0, len(text) - 1)))
    cut = data.draw(st.integers(0, 40))
    insert = data.draw(st.binary(max_size=5))
    folder = tmp_path_factory.mktemp("mut")
    (folder / source.name).write_bytes(text[:at] + insert + text[at + cut :])
    _assert_clean(folder)
