"""A small school as a person runs it: an intake of a few students, a run, and a counsellor
who types into a Word file and saves it (with python-docx, or again in LibreOffice)."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import docx

from opp_docs.config import Config
from opp_docs.documents.ooxml import CONTENT_TYPES, CUSTOM, PACKAGE_RELS
from opp_docs.files import STUDENTS_DIR
from opp_docs.models import RunSummary, SchoolYear
from opp_docs.pipeline.run import RunOptions, run_dossiers
from tests.helpers import REPO
from tests.intake_helpers import registration, soffice_convert, write_xlsx

YEAR = "2026-2027"


def write_intake(folder: Path, *students: dict[str, Any]) -> Path:
    """A registration and an OKR export; each student gets support level 'zwaar' (route
    OPP) unless told otherwise."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    rows = [registration(s["nummer"], **s.get("velden", {})) for s in students]
    write_xlsx(folder / "aanmeldingen.xlsx", rows)
    okr = [
        {"Leerlingnummer": s["nummer"], "Ondersteuningsniveau": s.get("niveau", "zwaar")}
        for s in students
    ]
    write_xlsx(folder / "okr.xlsx", okr)
    return folder


def run(intake: Path, out: Path) -> dict[str, Any]:
    """A run on `intake` into `out`; its manifest."""
    return counted_run(intake, out)[1]


def counted_run(intake: Path, out: Path) -> tuple[RunSummary, dict[str, Any]]:
    """A run on `intake` into `out`; its counts and its manifest."""
    options = RunOptions(
        intake=intake,
        output=out,
        schooljaar=SchoolYear.parse(YEAR),
        templates=REPO / "templates",
        config=Config(teamleider="T. Leider", leerlingbegeleiders=("B. Egeleider",)),
        today=dt.date(2026, 9, 14),
    )
    summary = run_dossiers(options)
    assert summary.failed == 0
    manifest: dict[str, Any] = json.loads((out / YEAR / "manifest.json").read_text("utf-8"))
    return summary, manifest


def entry(manifest: dict[str, Any], nummer: str) -> dict[str, Any]:
    (found,) = [s for s in manifest["leerlingen"] if s["leerlingnummer"] == nummer]
    return found


def docs_of(manifest: dict[str, Any], nummer: str, soort: str) -> list[dict[str, Any]]:
    return [d for d in entry(manifest, nummer)["documenten"] if d["soort"] == soort]


def type_into(path: Path, text: str) -> None:
    """What a counsellor does: open the plan, type a paragraph, save."""
    document = docx.Document(str(path))
    document.add_paragraph(text)
    document.save(str(path))


def save_with_libreoffice(path: Path, tmp: Path) -> None:
    """Open and save again in LibreOffice Writer, as Word format."""
    saved = soffice_convert(path, "docx:MS Word 2007 XML", tmp / "lo-opgeslagen")
    shutil.move(saved, path)


def docx_texts(folder: Path) -> str:
    texts = []
    for path in folder.rglob("*.docx"):
        texts.extend(p.text for p in docx.Document(str(path)).paragraphs)
    return "\n".join(texts)


def student_folders(out: Path) -> list[Path]:
    return sorted(p for p in (out / YEAR / STUDENTS_DIR).iterdir() if p.is_dir())


def dossiers(out: Path) -> list[Path]:
    return sorted((out / YEAR / STUDENTS_DIR).glob("*/dossier*.pdf"))


def strip_stamp(package: bytes) -> bytes:
    """The package as the previous version wrote it: without its custom properties."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == CUSTOM:
                continue
            if info.filename == CONTENT_TYPES:
                data = data.replace(
                    b'<Override PartName="/docProps/custom.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.custom-properties+xml"/>',
                    b"",
                )
            if info.filename == PACKAGE_RELS:
                start = data.index(b'<Relationship Id="rIdOppDocs"')
                data = data[:start] + data[data.index(b"/>", start) + 2 :]
            target.writestr(info, data)
    return out.getvalue()
