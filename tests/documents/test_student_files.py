"""Finding a student's folder and Word files by what the files say they are."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx

from opp_docs.documents.stamp import Stamp, read_stamp, stamp_package
from opp_docs.documents.student_files import StudentFiles
from opp_docs.models import DocumentKind, Leerling, SchoolYear

YEAR = SchoolYear(2026)


def word_file(path: Path, stamp: Stamp | None) -> Path:
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Plan")
    document.save(out)
    data = out.getvalue() if stamp is None else stamp_package(out.getvalue(), stamp)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def stamp(number: str, kind: str = "opp", year: str = str(YEAR)) -> Stamp:
    return Stamp(number, kind, year, invoer="x")


def test_a_stamp_survives_python_docx_and_tells_the_file_changed(tmp_path: Path) -> None:
    path = word_file(tmp_path / "plan.docx", stamp("0990101"))
    found = read_stamp(path)
    assert found is not None and found.unchanged
    assert found.stamp == stamp("0990101")
    document = docx.Document(str(path))
    document.add_paragraph("Getypt")
    document.save(str(path))
    found = read_stamp(path)
    assert found is not None and not found.unchanged
    assert found.stamp.leerlingnummer == "0990101"


def test_a_school_templates_own_custom_properties_are_kept(tmp_path: Path) -> None:
    out = io.BytesIO()
    document = docx.Document()
    document.save(out)
    once = stamp_package(out.getvalue(), stamp("990101"))
    twice = stamp_package(once, stamp("990102"))
    with zipfile.ZipFile(io.BytesIO(twice)) as package:
        custom = package.read("docProps/custom.xml").decode()
        assert custom.count("opp-docs.leerlingnummer") == 1
        assert package.read("[Content_Types].xml").count(b"custom.xml") == 1
        assert package.read("_rels/.rels").count(b"custom-properties") == 1
    path = tmp_path / "twice.docx"
    path.write_bytes(twice)
    found = read_stamp(path)
    assert found is not None and found.unchanged and found.stamp.leerlingnummer == "990102"


def test_a_file_in_another_students_folder_still_counts_for_its_own(tmp_path: Path) -> None:
    root = tmp_path / "leerlingen"
    word_file(root / "990101 Jansen, Sem" / "opp - Sem Jansen.docx", stamp("990101"))
    stray = word_file(root / "990101 Jansen, Sem" / "opp - Lotte.docx", stamp("990102"))
    files = StudentFiles(tmp_path, YEAR, {})

    (found,) = files.documents("990102", DocumentKind.OPP)
    assert found.path == stray and found.ours is True
    lotte = Leerling("990102", "Bakker", "Lotte", None)
    home, problems = files.home(lotte, {"990101", "990102"})
    assert home == root / "990102 Bakker, Lotte"
    assert any("staat in de map van leerling 990101" in p for p in problems)
    (sem,) = files.documents("990101", DocumentKind.OPP)
    assert sem.path.name == "opp - Sem Jansen.docx"


def test_a_copy_from_last_year_is_a_persons_file(tmp_path: Path) -> None:
    root = tmp_path / "leerlingen"
    word_file(
        root / "990101 Jansen, Sem" / "opp - vorig jaar.docx", stamp("990101", year="2025-2026")
    )
    (found,) = StudentFiles(tmp_path, YEAR, {}).documents("990101", DocumentKind.OPP)
    assert found.ours is False


def test_files_of_the_previous_version_are_known_by_folder_and_name(tmp_path: Path) -> None:
    folder = tmp_path / "leerlingen" / "990101 Jansen, Sem - afgerond"
    light = word_file(folder / "opp-light - Sem Jansen.docx", None)
    word_file(folder / "~$p-light - Sem Jansen.docx", None)
    word_file(folder / "gespreksverslag.docx", None)
    files = StudentFiles(tmp_path, YEAR, {})
    (found,) = files.documents("990101", DocumentKind.OPP_LIGHT)
    # Without a record it is compared with what opp-docs would write before it counts as ours.
    assert found.path == light and found.ours is None
    assert files.documents("990101", DocumentKind.OPP) == []
    sem = Leerling("990101", "Jansen", "Sem", None)
    assert files.home(sem, {"990101"}) == (folder, [])
