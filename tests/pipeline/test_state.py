"""The run state: one typed file, read back as written, and an output folder of the previous
version taken over without converting anything or losing an edit's protection."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import docx
import pytest

from opp_docs.documents.stamp import read_stamp
from opp_docs.files import STUDENTS_DIR
from opp_docs.models import Written
from opp_docs.pipeline.state import JOURNAL, STATE, VERSION, BuildState
from tests.pipeline.staff import (
    YEAR,
    counted_run,
    docs_of,
    entry,
    run,
    strip_stamp,
    write_intake,
)


def test_the_state_reads_back_as_it_was_saved(tmp_path: Path) -> None:
    state = BuildState(tmp_path)
    state.copies.written["leerlingen/a/opp.docx"] = Written("in", "sha")
    state.copies.offered["990101/opp"] = "in2"
    state.copies.names["990101"] = "Sem Jansen"
    state.pdfs["leerlingen/a/opp.docx"] = "delen:x"
    state.dossiers["leerlingen/a/dossier.pdf"] = Written("d", "e")
    salt = state.salt()
    state.save()

    again = BuildState.load(tmp_path)
    assert again == state
    assert again.salt() == salt
    assert json.loads((tmp_path / STATE).read_text("utf-8"))["versie"] == VERSION


def test_a_hand_edited_state_costs_nothing_but_what_is_malformed(tmp_path: Path) -> None:
    (tmp_path / STATE).write_text(
        json.dumps({"docx": {"a": {"sha256": 5}, "b": {"inputs": "i", "sha256": "s"}}, "pdf": 7})
    )
    state = BuildState.load(tmp_path)
    assert state.copies.written == {"b": Written("i", "s")}
    assert state.pdfs == {}


def test_a_killed_runs_journal_is_taken_over(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    state = BuildState(tmp_path)
    state.dossier_made(tmp_path / "a.pdf", "inputs")
    with (tmp_path / JOURNAL).open("a") as journal:
        journal.write('["pdf", "leerlingen/x.docx", "delen:1"]\n["pdf", "cut off')
    again = BuildState.load(tmp_path)
    assert again.dossiers == {"a.pdf": Written("inputs", hashlib.sha256(b"%PDF").hexdigest())}
    assert again.pdfs == {"leerlingen/x.docx": "delen:1"}


def as_the_previous_version_left_it(year: Path) -> None:
    """The school year's folder as version 1 wrote it: Word files without a stamp, a state
    without a version whose records hold whole-file hashes."""
    state = json.loads((year / STATE).read_text("utf-8"))
    del state["versie"]
    for path in (year / STUDENTS_DIR).rglob("*.docx"):
        found = read_stamp(path)
        assert found is not None and found.unchanged
        path.write_bytes(strip_stamp(path.read_bytes()))
        key = path.relative_to(year).as_posix()
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        state["docx"][key] = {"inputs": found.stamp.invoer, "sha256": sha}
        state["pdf"][key] = sha
    (year / STATE).write_text(json.dumps(state))


@pytest.mark.libreoffice
def test_a_folder_of_the_previous_version_converts_nothing_and_keeps_edits_safe(
    tmp_path: Path,
) -> None:
    student = {"nummer": "990401"}
    intake, out = write_intake(tmp_path / "intake", student), tmp_path / "out"
    run(intake, out)
    year = out / YEAR
    as_the_previous_version_left_it(year)

    summary, unchanged = counted_run(intake, out)
    assert summary.made == 0 and summary.reused == 5
    assert all(not d["bewerkt"] for d in entry(unchanged, "990401")["documenten"])
    (opp,) = docs_of(unchanged, "990401", "opp")
    plan = year / opp["docx"]
    document = docx.Document(str(plan))
    document.add_paragraph("Typed after the upgrade.")
    document.save(str(plan))
    edited = plan.read_bytes()
    student["velden"] = {"Basisschool": "De Zonnewijzer"}
    manifest = run(write_intake(intake, student), out)

    assert plan.read_bytes() == edited
    (opp,) = docs_of(manifest, "990401", "opp")
    assert opp["bewerkt"] is True
    assert len(list(plan.parent.glob("*(nieuwe versie).docx"))) == 1


def test_the_overviews_records_of_the_previous_version_are_taken_over(tmp_path: Path) -> None:
    (tmp_path / "overzicht.xlsx").write_bytes(b"xlsx")
    (tmp_path / "docentenoverzicht.pdf").write_bytes(b"%PDF")
    old = {"code": "oud", "bestanden": {"overzicht.xlsx": ["in", "sha"]}, "documenten": {}}
    (tmp_path / ".opp-docs-overzichten.json").write_text(json.dumps(old))
    (tmp_path / ".docentenoverzicht-pdf-bron").write_text("inhoud")

    state = BuildState.load(tmp_path)
    assert state.overviews.files == {"overzicht.xlsx": Written("in", "sha")}
    # Made by another version of the code: only the PDF's record, which does not depend on it.
    current = state.overviews.current()
    assert current.files == {}
    assert current.unchanged(tmp_path / "docentenoverzicht.pdf", "inhoud")
    state.save()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [STATE]
