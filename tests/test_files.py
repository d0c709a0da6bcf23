"""Safe names and atomic writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from opp_docs.documents.student_files import document_name, dossier_name
from opp_docs.errors import OutputLinkError
from opp_docs.files import atomic_path, inside, safe_name, shown_path
from opp_docs.models import DocumentKind, Leerling


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("990101 Jansen, Sem", "990101 Jansen, Sem"),
        ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("naam. ", "naam"),
        ("...", "_"),
        ("Zoë   Yılmaz\t", "Zoë Yılmaz"),
    ],
)
def test_safe_name(text: str, expected: str) -> None:
    assert safe_name(text) == expected


def test_safe_name_is_bounded() -> None:
    assert len(safe_name("x" * 500)) == 80


def test_inside_refuses_escape(tmp_path: Path) -> None:
    assert inside(tmp_path, tmp_path / "a" / "b") == tmp_path / "a" / "b"
    with pytest.raises(ValueError):
        inside(tmp_path, tmp_path / ".." / "elders")


def test_atomic_path_keeps_old_file_on_error(tmp_path: Path) -> None:
    target = tmp_path / "doc.txt"
    target.write_text("oud")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("crash")
    assert target.read_text() == "oud"
    assert list(tmp_path.iterdir()) == [target]
    with atomic_path(target) as tmp:
        tmp.write_text("nieuw")
    assert target.read_text() == "nieuw"


@pytest.mark.parametrize("length", [1, 30, 57, 58, 73, 80, 200])
def test_a_cut_name_keeps_its_suffix_and_extension(length: int) -> None:
    leerling = Leerling("990101", "V" * length, "Daan", None)
    names = {document_name(DocumentKind.ONDERTEKENINGSBLAD, leerling, v) for v in range(4)}
    assert len(names) == 4
    assert all(len(name) <= 80 for name in names)
    assert document_name(DocumentKind.OPP, leerling, 1).endswith(" (nieuwe versie).docx")
    assert document_name(DocumentKind.OPP, leerling, 2).endswith(" (nieuwe versie 2).docx")
    assert document_name(DocumentKind.OPP, leerling).endswith(".docx")
    assert dossier_name(leerling).endswith(".pdf")


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("uit/2026-2027/overzicht.xlsx", "uit/2026-2027/overzicht.xlsx"),
        ("uit/2026-2027/leerlingen", "uit/2026-2027/leerlingen"),
        (
            "uit/2026-2027/leerlingen/123456 Vries, Sanne",
            "de map van leerling 123456 in uit/2026-2027/leerlingen",
        ),
        (
            "/school/leerlingen/uit/2026-2027/leerlingen/123456 Vries, Sanne/opp - Sanne.docx",
            "de map van leerling 123456 in /school/leerlingen/uit/2026-2027/leerlingen",
        ),
        ("uit/2026-2027/leerlingen/Sanne/x.docx", "een map in uit/2026-2027/leerlingen"),
    ],
)
def test_shown_path_names_a_students_folder_by_number_only(path: str, shown: str) -> None:
    assert shown_path(path) == shown


def test_inside_names_the_link_by_student_number(tmp_path: Path) -> None:
    students = tmp_path / "leerlingen"
    students.mkdir()
    (students / "123456 Vries, Sanne").symlink_to(tmp_path.parent)
    with pytest.raises(OutputLinkError) as info:
        inside(tmp_path, students / "123456 Vries, Sanne" / "opp - Sanne de Vries.docx")
    assert f"de map van leerling 123456 in {students} is een snelkoppeling" in str(info.value)
    assert "Sanne" not in str(info.value)
