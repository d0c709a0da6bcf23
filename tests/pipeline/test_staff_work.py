"""Staff work is never lost: what a person typed in a Word file stays in a file and in the
dossier, whatever happens to names, folders or the state file. Edits are made as a person
makes them: with python-docx, and saved again by LibreOffice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest

from opp_docs.config import Config
from opp_docs.files import STUDENTS_DIR
from opp_docs.models import SchoolYear
from opp_docs.pipeline.plan import PlanningRequest, run_planning
from opp_docs.pipeline.state import STATE
from tests.helpers import words_in
from tests.pipeline.staff import (
    YEAR,
    docs_of,
    dossiers,
    entry,
    run,
    save_with_libreoffice,
    strip_stamp,
    student_folders,
    type_into,
    write_intake,
)

pytestmark = pytest.mark.libreoffice


def test_a_long_name_keeps_the_suffixes_and_never_overwrites_the_edit(tmp_path: Path) -> None:
    achternaam = "Van den Heuvel-Oosterhuis tot Bergen en Zoeterwoude"
    student = {"nummer": "990201", "velden": {"Achternaam": achternaam, "Roepnaam": "Maria"}}
    intake, out = write_intake(tmp_path / "intake", student), tmp_path / "out"
    manifest = run(intake, out)
    (opp,) = docs_of(manifest, "990201", "opp")
    edited = out / YEAR / opp["docx"]
    type_into(edited, "Typed by the counsellor: plan the week.")
    before = edited.read_bytes()

    student["velden"]["Basisschool"] = "De Zonnewijzer"
    manifest = run(write_intake(tmp_path / "intake", student), out)

    assert edited.read_bytes() == before
    (opp,) = docs_of(manifest, "990201", "opp")
    assert opp["bewerkt"] is True and opp["docx"] == edited.relative_to(out / YEAR).as_posix()
    new = [p for p in edited.parent.iterdir() if "(nieuwe versie).docx" in p.name]
    assert len(new) == 1 and len(new[0].name) <= 80
    assert "De Zonnewijzer" in "\n".join(p.text for p in docx.Document(str(new[0])).paragraphs)
    (dossier,) = dossiers(out)
    assert dossier.name.endswith(".pdf") and dossier.name.startswith("dossier - ")
    assert "plan the week" in words_in(dossier)


@pytest.mark.parametrize("editor", ["python-docx", "libreoffice"])
def test_edits_in_the_new_version_are_never_overwritten(tmp_path: Path, editor: str) -> None:
    student = {"nummer": "990202"}
    intake, out = write_intake(tmp_path / "intake", student), tmp_path / "out"
    manifest = run(intake, out)
    (opp,) = docs_of(manifest, "990202", "opp")
    original = out / YEAR / opp["docx"]
    type_into(original, "First edit in the original plan.")
    student["velden"] = {"Basisschool": "De Zonnewijzer"}
    run(write_intake(intake, student), out)
    (new,) = original.parent.glob("*(nieuwe versie).docx")
    type_into(new, "Second edit in the new version.")
    if editor == "libreoffice":
        save_with_libreoffice(new, tmp_path)
    typed = new.read_bytes()

    student["velden"] = {"Basisschool": "De Wilgenhoek"}
    manifest = run(write_intake(intake, student), out)

    assert new.read_bytes() == typed
    both = docs_of(manifest, "990202", "opp")
    assert {d["docx"].rsplit("/", 1)[1] for d in both} == {original.name, new.name}
    assert all(d["bewerkt"] for d in both)
    (third,) = original.parent.glob("*(nieuwe versie 2).docx")
    assert "De Wilgenhoek" in "\n".join(p.text for p in docx.Document(str(third)).paragraphs)
    text = words_in(out / YEAR / entry(manifest, "990202")["dossier"])
    assert "First edit in the original plan." in text
    assert "Second edit in the new version." in text
    problems = " ".join(entry(manifest, "990202")["problemen"])
    assert "2 bewerkte versies" in problems


@pytest.mark.parametrize("editor", ["python-docx", "libreoffice"])
def test_a_name_change_keeps_the_plan_and_one_dossier(tmp_path: Path, editor: str) -> None:
    student: dict[str, Any] = {"nummer": "990203", "velden": {"Tussenvoegsel": ""}}
    intake, out = write_intake(tmp_path / "intake", student), tmp_path / "out"
    manifest = run(intake, out)
    (opp,) = docs_of(manifest, "990203", "opp")
    plan = out / YEAR / opp["docx"]
    type_into(plan, "Goals agreed with the student.")
    if editor == "libreoffice":
        save_with_libreoffice(plan, tmp_path)

    student["velden"] = {"Tussenvoegsel": "de", "Achternaam": "Vries-Bakker"}
    manifest = run(write_intake(intake, student), out)

    (folder,) = student_folders(out)
    assert plan.parent == folder and plan.exists()
    (opp,) = docs_of(manifest, "990203", "opp")
    assert opp["docx"] == plan.relative_to(out / YEAR).as_posix() and opp["bewerkt"] is True
    # No blank plan under the new name, but a new version beside the edited one.
    plans = sorted(p.name for p in folder.glob("opp - *.docx"))
    assert plans == sorted([plan.name, "opp - Sanne de Vries-Bakker (nieuwe versie).docx"])
    # The documents nobody edited carry the new name; the old ones are gone.
    letters = [p.name for p in folder.glob("informatiebrief - *")]
    assert sorted(letters) == [
        "informatiebrief - Sanne de Vries-Bakker.docx",
        "informatiebrief - Sanne de Vries-Bakker.pdf",
    ]
    (dossier,) = dossiers(out)
    assert dossier.name == "dossier - Sanne de Vries-Bakker.pdf"
    assert "Goals agreed with the student." in words_in(dossier)
    problems = " ".join(entry(manifest, "990203")["problemen"])
    assert "De naam in de intake is veranderd van 'Sanne Vries' in 'Sanne de Vries-Bakker'" in (
        problems
    )


def test_a_renamed_student_folder_is_found_by_its_number(tmp_path: Path) -> None:
    student = {"nummer": "990204"}
    intake, out = write_intake(tmp_path / "intake", student), tmp_path / "out"
    manifest = run(intake, out)
    (opp,) = docs_of(manifest, "990204", "opp")
    type_into(out / YEAR / opp["docx"], "Typed before the folder was renamed.")
    (folder,) = student_folders(out)
    renamed = folder.with_name(folder.name + " - afgerond")
    folder.rename(renamed)

    manifest = run(intake, out)

    assert student_folders(out) == [renamed]
    assert entry(manifest, "990204")["map"] == renamed.relative_to(out / YEAR).as_posix()
    (opp,) = docs_of(manifest, "990204", "opp")
    assert opp["bewerkt"] is True and opp["docx"].startswith(f"{STUDENTS_DIR}/{renamed.name}/")
    assert list(renamed.glob("*nieuwe versie*")) == []
    (dossier,) = dossiers(out)
    assert "Typed before the folder was renamed." in words_in(dossier)


def test_a_folder_renamed_without_its_number_is_found_by_the_files_inside(
    tmp_path: Path,
) -> None:
    student = {"nummer": "990205"}
    intake, out = write_intake(tmp_path / "intake", student), tmp_path / "out"
    manifest = run(intake, out)
    (opp,) = docs_of(manifest, "990205", "opp")
    type_into(out / YEAR / opp["docx"], "Typed before the folder lost its number.")
    (folder,) = student_folders(out)
    renamed = folder.with_name("Sanne - klaar voor het gesprek")
    folder.rename(renamed)

    run(intake, out)

    assert student_folders(out) == [renamed]
    (dossier,) = dossiers(out)
    assert "Typed before the folder lost its number." in words_in(dossier)


def test_a_lost_state_file_calls_nothing_edited_that_was_not(tmp_path: Path) -> None:
    student = {"nummer": "990206"}
    intake, out = write_intake(tmp_path / "intake", student), tmp_path / "out"
    manifest = run(intake, out)
    (opp,) = docs_of(manifest, "990206", "opp")
    type_into(out / YEAR / opp["docx"], "Typed before the backup was restored.")
    (out / YEAR / STATE).unlink()

    manifest = run(intake, out)

    edited = {d["soort"] for d in entry(manifest, "990206")["documenten"] if d["bewerkt"]}
    assert edited == {"opp"}
    assert list((out / YEAR / STUDENTS_DIR).rglob("*nieuwe versie*")) == []
    assert "Typed before the backup was restored." in words_in(dossiers(out)[0])


def test_a_lost_state_file_with_files_of_the_previous_version(tmp_path: Path) -> None:
    """Files written before documents carried their identity: an unedited one is recognised
    by comparing it with what the software would write now."""
    student = {"nummer": "990207"}
    intake, out = write_intake(tmp_path / "intake", student), tmp_path / "out"
    run(intake, out)
    (folder,) = student_folders(out)
    for path in folder.glob("*.docx"):
        unstamped = strip_stamp(path.read_bytes())
        path.write_bytes(unstamped)
    (out / YEAR / STATE).unlink()

    manifest = run(intake, out)

    assert not any(d["bewerkt"] for d in entry(manifest, "990207")["documenten"])
    assert list(folder.rglob("*nieuwe versie*")) == []


def test_planning_finds_the_documents_of_a_renamed_folder(tmp_path: Path) -> None:
    student = {"nummer": "990208"}
    intake, out = write_intake(tmp_path / "intake", student), tmp_path / "out"
    manifest = run(intake, out)
    (opp,) = docs_of(manifest, "990208", "opp")
    type_into(out / YEAR / opp["docx"], "Typed before planning.")
    (folder,) = student_folders(out)
    folder.rename(folder.with_name(folder.name + " - afgerond"))

    result = run_planning(PlanningRequest(intake, out, SchoolYear.parse(YEAR), Config(), pdf=False))

    (outcome,) = result.summary.outcomes
    assert {d.kind.value for d in outcome.documents} == {
        "informatiebrief", "opp", "ondertekeningsblad", "tussenevaluatie", "eindevaluatie"
    }  # fmt: skip
    assert [d.kind.value for d in outcome.documents if d.bewerkt] == ["opp"]
    assert outcome.dossier is not None and outcome.dossier.parent.name.endswith("afgerond")
    assert not any("ontbreekt" in p for p in outcome.problems)
