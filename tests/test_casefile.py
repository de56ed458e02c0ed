"""Case files (private, atomic, versioned, checked against the model) and personnummer refusal."""

from __future__ import annotations

import json
import os
import stat

import pytest
from test_interpreter import FINSAMTEAM, FK, SOC
from walkmodels import build

from processmodell import casefile, personnummer
from processmodell.casefile import CaseFileError
from processmodell.interpreter import AnswerBook, Interpreter, path, walk


def model(soc: str = SOC):
    return Interpreter(build({"soc.yaml": soc, "finsamteam.yaml": FINSAMTEAM, "fk.yaml": FK}))


@pytest.fixture
def interp():
    return model()


def walked(interp):
    """A case that has consulted Finsamteam and waits at ruta 15."""
    case = interp.start("soc", facts={"har_läkarintyg": True, "samtycke_finsamteam": True}, date="2026-01-15")
    walk(interp, case, AnswerBook({"7": "Ja", "11": "Finsamteam", "finsamteam/2": "Ja"}), "2026-01-15")
    assert case.position == "soc/15"
    return case


def mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


# ---------------------------------------------------------------- saving


def test_saved_file_is_private_versioned_and_round_trips(interp, tmp_path):
    case = walked(interp)
    target = tmp_path / "ärende.json"
    casefile.save(case, target, interp)
    assert mode(target) == 0o600
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "processmodell-ärende" and data["formatversion"] == 1
    assert data["modell"]["hash"] == interp.model.content_hash
    assert data["position"] == "soc/15" and data["stack"] == []
    assert data["händelser"][1] == {
        "hur": "automatisk", "ruta": "soc/1a", "till": "soc/2", "slag": "flöde", "datum": "2026-01-15",
        "tid": case.events[1].time,
    }  # fmt: skip
    again = casefile.load(target)
    assert path(again) == path(case)
    assert (again.position, again.stack, again.facts) == (case.position, case.stack, case.facts)
    assert [e.reason for e in again.events] == [e.reason for e in case.events]


def test_overwriting_keeps_the_file_private_and_leaves_no_temp_files(interp, tmp_path):
    target = tmp_path / "ärende.json"
    target.write_text("gammalt")
    target.chmod(0o644)
    casefile.save(walked(interp), target, interp)
    assert mode(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ärende.json"]


def test_private_from_the_first_byte(interp, tmp_path, monkeypatch):
    """The temporary file is already 0600 while it is written, even with a permissive umask."""
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append(mode(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    old = os.umask(0)
    try:
        casefile.save(walked(interp), tmp_path / "a.json", interp)
    finally:
        os.umask(old)
    assert seen == [0o600]


def test_saving_into_a_missing_folder(interp, tmp_path):
    with pytest.raises(CaseFileError) as err:
        casefile.save(walked(interp), tmp_path / "finns-inte" / "a.json", interp)
    assert (
        str(err.value)
        == f"Katalogen {tmp_path / 'finns-inte'} finns inte; skapa den eller välj en annan fil."
    )


# ---------------------------------------------------------------- refusing to load


def test_refuses_a_file_others_can_read(interp, tmp_path):
    target = tmp_path / "a.json"
    casefile.save(walked(interp), target, interp)
    target.chmod(0o644)
    with pytest.raises(CaseFileError) as err:
        casefile.load(target)
    assert str(err.value) == (
        f"Ärendefilen {target} kan läsas av andra än du (rättigheter 644). Ett ärende ska vara privat; "
        f"gör filen privat med: chmod 600 {target}"
    )
    assert mode(target) == 0o644  # we do not "fix" it behind the user's back


DAMAGED = "är skadad eller ingen ärendefil från processmodell: "
ADVICE = ". Använd en kopia som du har sparat tidigare, eller starta ett nytt ärende"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": ', f"{DAMAGED}filen tar slut mitt i texten, som om den har klippts av{ADVICE}"),
        (
            '{"format": "processmodell-ärende", \n',  # cut off after a comma: not a missing quote
            f"{DAMAGED}filen tar slut mitt i texten, som om den har klippts av{ADVICE}",
        ),
        ("Kära dagbok", f"{DAMAGED}texten är inte giltig JSON på rad 1, kolumn 1{ADVICE}"),
        ('{"format": "processm', f"{DAMAGED}filen tar slut mitt i texten, som om den har klippts av{ADVICE}"),
        ("  \n", f"{DAMAGED}filen är tom{ADVICE}"),
        (
            '{"namn": "inköpslista"}',
            'är ingen ärendefil från processmodell (formatmarkeringen "format: processmodell-ärende" saknas)',
        ),
        (
            '{"format": "processmodell-ärende", "formatversion": 9}',
            "har formatversion 9, men den här versionen av processmodell läser version 1",
        ),
        ('{"format": "processmodell-ärende", "formatversion": 1}', "är skadad: nyckeln 'modell' saknas"),
    ],
)
def test_corrupt_or_foreign_file_is_reported_and_untouched(tmp_path, content, message):
    target = tmp_path / "a.json"
    target.write_text(content, encoding="utf-8")
    target.chmod(0o600)
    before = (target.read_bytes(), os.stat(target).st_mtime_ns)
    with pytest.raises(CaseFileError) as err:
        casefile.load(target)
    assert str(err.value) == f"{target} {message}. Filen har inte ändrats."
    assert (target.read_bytes(), os.stat(target).st_mtime_ns) == before


def test_not_utf8(tmp_path):
    target = tmp_path / "a.json"
    target.write_bytes(b"\xff\xfe{}")
    target.chmod(0o600)
    with pytest.raises(CaseFileError) as err:
        casefile.load(target)
    assert str(err.value) == f"{target} är ingen ärendefil: den är inte UTF-8-text. Filen har inte ändrats."


def test_tampered_position_is_refused(interp, tmp_path):
    target = tmp_path / "a.json"
    casefile.save(walked(interp), target, interp)
    data = json.loads(target.read_text())
    data["position"] = "soc/16"
    target.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(CaseFileError) as err:
        casefile.load(target)
    assert str(err.value) == (
        f"{target} är motsägelsefull: position soc/16 stämmer inte med händelserna (som slutar i soc/15). "
        "Filen har inte ändrats."
    )


def test_a_folder_is_neither_read_nor_overwritten(interp, tmp_path):
    with pytest.raises(CaseFileError) as err:
        casefile.load(tmp_path)
    assert str(err.value) == f"{tmp_path} är en katalog, inte en ärendefil."
    with pytest.raises(CaseFileError) as err:
        casefile.save(walked(interp), tmp_path, interp)
    assert str(err.value) == f"{tmp_path} är en katalog. Ange ett filnamn, t.ex. {tmp_path / 'ärende.json'}."
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either


def test_os_reasons_are_swedish():
    import errno

    assert casefile.os_reason(OSError(errno.ENOENT, "No such file or directory")) == "filen finns inte"
    assert casefile.os_reason(OSError(errno.EISDIR, "Is a directory")) == "det är en katalog, inte en fil"
    assert casefile.os_reason(OSError(errno.EACCES, "Permission denied")) == "du saknar behörighet"


def test_missing_file(tmp_path):
    with pytest.raises(CaseFileError) as err:
        casefile.load(tmp_path / "nej.json")
    assert str(err.value) == f"Ärendefilen {tmp_path / 'nej.json'} finns inte."


# ---------------------------------------------------------------- a changed model


def test_same_model_resumes_without_notice(interp, tmp_path):
    target = tmp_path / "a.json"
    casefile.save(walked(interp), target, interp)
    resumed = casefile.resume(target, interp)
    assert resumed.notices == [] and resumed.case.position == "soc/15"


def test_added_ruta_elsewhere_continues_and_says_so(interp, tmp_path):
    target = tmp_path / "a.json"
    casefile.save(walked(interp), target, interp)
    changed = model(SOC + '  - {id: "99", typ: slut, rubrik: Ny ruta}\n')
    resumed = casefile.resume(target, changed)
    assert resumed.notices == [
        "Modellen har ändrats sedan ärendet sparades. Alla rutor och svar på ärendets väg finns kvar, "
        "så ärendet fortsätter med den nya modellen."
    ]
    assert resumed.case.model_hash == changed.model.content_hash
    walk(changed, resumed.case, AnswerBook({"15": "Nej"}))
    assert resumed.case.position == "soc/16"


def test_renamed_answer_is_refused_with_the_exact_change(interp, tmp_path):
    target = tmp_path / "a.json"
    casefile.save(walked(interp), target, interp)
    changed = model(
        SOC.replace('[{svar: Ja, till: "11"}, {svar: Nej', '[{svar: Ja tack, till: "11"}, {svar: Nej')
    )
    before = target.read_bytes()
    with pytest.raises(CaseFileError) as err:
        casefile.resume(target, changed)
    assert str(err.value) == (
        f"Modellen har ändrats sedan ärendet i {target} sparades, och ärendets väg finns inte längre:\n"
        "- svaret 'Ja' vid ruta soc/7 finns inte längre (omdöpt till 'Ja tack'?)\n"
        "Processmodell gissar inte hur ärendet ska flyttas. Starta ett nytt ärende, eller återställ modellen "
        "till versionen ärendet sparades med. Filen har inte ändrats."
    )
    assert target.read_bytes() == before


def test_removed_ruta_and_moved_answer_are_named(interp, tmp_path):
    target = tmp_path / "a.json"
    casefile.save(walked(interp), target, interp)
    soc = SOC.replace('  - {id: "2", typ: steg, rubrik: Mottagning, nästa: "5", lagrum: [sol]}\n', "")
    soc = soc.replace(
        '{id: "1a", typ: start, rubrik: Individen kontaktar socialtjänsten, nästa: "2"}',
        '{id: "1a", typ: start, rubrik: Individen kontaktar socialtjänsten, nästa: "5"}',
    )
    soc = soc.replace(
        '{id: "1b", typ: start, rubrik: Individen har redan kontakt, nästa: "2"}',
        '{id: "1b", typ: start, rubrik: Individen har redan kontakt, nästa: "5"}',
    )
    soc = soc.replace('- {svar: Finsamteam, till: "13"}', '- {svar: Finsamteam, till: "15"}')
    with pytest.raises(CaseFileError) as err:
        casefile.resume(target, model(soc))
    assert str(err.value).splitlines()[1:3] == [
        "- ruta soc/2 finns inte längre",
        "- svaret 'Finsamteam' vid ruta soc/11 leder nu till soc/15, inte till soc/13",
    ]


# ---------------------------------------------------------------- personnummer


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("811218-9876", "personnummer"),
        ("8112189876", "personnummer"),
        ("19811218-9876", "personnummer"),
        ("198112189876", "personnummer"),
        ("811218+9876", "personnummer"),
        ("Ringde 811218 9876 i dag", "personnummer"),
        ("701063-2391", "samordningsnummer"),  # Skatteverket's example: day 63 = 3rd + 60
        ("197010632391", "samordningsnummer"),
    ],
)
def test_valid_identity_numbers_are_found(text, kind):
    [hit] = personnummer.find(text)
    assert hit.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875",  # wrong check digit
        "811318-9876",  # month 13
        "810230-1234",  # 30 February
        "8112189876123",  # part of a longer number
        "Mötet 2026-01-15 kl 10",
        "Ärende 2026:1234",
        "21811218-9876",  # no such century
        "701093-2391",  # day 93: not a samordningsnummer either
    ],
)
def test_other_numbers_pass(text):
    assert personnummer.find(text) == []


def test_luhn():
    assert personnummer.luhn_ok("8112189876")
    assert not personnummer.luhn_ok("8112189875")


def test_refusal_message_names_the_kind():
    assert personnummer.refusal("Samordningsnr 701063-2391") == (
        "Anteckningen innehåller något som ser ut som ett samordningsnummer (tecken 15). "
        "Ärendefilen får inte innehålla uppgifter som identifierar en person; "
        "skriv anteckningen utan nummer, och håll identiteten "
        "i verksamhetssystemet."
    )
    assert personnummer.refusal("Intyget kom 2026-01-15") is None


def test_a_file_with_a_personnummer_note_is_refused(interp, tmp_path):
    target = tmp_path / "a.json"
    case = walked(interp)
    casefile.save(case, target, interp)
    data = json.loads(target.read_text())
    data["händelser"][-1]["not"] = "gäller 811218-9876"
    target.write_text(json.dumps(data, ensure_ascii=False))
    with pytest.raises(CaseFileError) as err:
        casefile.load(target)
    assert "innehåller en anteckning som ser ut som ett personnummer eller samordningsnummer" in str(
        err.value
    )
    case.events[-1].note = "pnr 8112189876"
    with pytest.raises(CaseFileError):
        casefile.save(case, tmp_path / "b.json", interp)
    assert not (tmp_path / "b.json").exists()


def test_a_changed_step_is_named(interp, tmp_path):
    target = tmp_path / "a.json"
    casefile.save(walked(interp), target, interp)
    soc = SOC.replace(
        '{id: "1a", typ: start, rubrik: Individen kontaktar socialtjänsten, nästa: "2"}',
        '{id: "1a", typ: start, rubrik: Individen kontaktar socialtjänsten, nästa: "5"}',
    )
    with pytest.raises(CaseFileError) as err:
        casefile.resume(target, model(soc))
    assert str(err.value).splitlines()[1:2] == ["- vägen från ruta soc/1a till soc/2 finns inte längre"]
