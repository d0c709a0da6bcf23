"""A small school as a person runs it: an intake of a few students, a run, and a counsellor
who types into a Word file and saves it (with python-docx, or again in LibreOffice)."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import zipfile
from copy import deepcopy
from pathlib import Path
from typing import Any

import docx
from docx.oxml.ns import qn

from opp_docs.config import Config
from opp_docs.documents.ooxml import CONTENT_TYPES, CUSTOM, PACKAGE_RELS
from opp_docs.files import STUDENTS_DIR
from opp_docs.models import RunSummary, SchoolYear
from opp_docs.pipeline.run import RunOptions, run_dossiers
from tests.helpers import REPO, text_run, tracked_change, type_over
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


def counted_run(
    intake: Path, out: Path, today: dt.date = dt.date(2026, 9, 14), year: str = YEAR
) -> tuple[RunSummary, dict[str, Any]]:
    """A run on `intake` into `out` on `today` for school year `year`; its counts and its
    manifest."""
    options = RunOptions(
        intake=intake,
        output=out,
        schooljaar=SchoolYear.parse(year),
        templates=REPO / "templates",
        config=Config(teamleider="T. Leider", leerlingbegeleiders=("B. Egeleider",)),
        today=today,
    )
    summary = run_dossiers(options)
    assert summary.failed == 0
    manifest: dict[str, Any] = json.loads((out / year / "manifest.json").read_text("utf-8"))
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


def goals_table(document: Any) -> Any:
    """The goals table of a plan opened with python-docx: the table holding its bookmark."""
    body = document.element.body
    (start,) = [b for b in body.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")) == "opp_doelen"]
    node = start
    while node.tag != qn("w:tbl"):
        node = node.getparent()
    return node


def fill_cell(tc: Any, *texts: str, tracked: bool = False) -> None:
    """What a counsellor does in a table cell: select what is there and type. Each of `texts`
    becomes its own run (Word splits text over runs as it likes); `tracked` types it with
    track changes on, the old text a tracked deletion."""
    paragraph = tc.find(qn("w:p"))
    for p in tc.findall(qn("w:p"))[1:]:
        tc.remove(p)
    old = [child for child in paragraph if child.tag != qn("w:pPr")]
    for child in old:
        paragraph.remove(child)
    parent = paragraph
    if tracked:
        deletion = tracked_change("w:del", 901)
        deletion.append(text_run("oude tekst die niet meer geldt", deleted=True))
        paragraph.append(deletion)
        parent = tracked_change("w:ins", 902)
        paragraph.append(parent)
    for text in texts:
        parent.append(text_run(text))


def write_goals(path: Path, goals: list[tuple[str, str, str, str, str]]) -> None:
    """A counsellor fills in the goals of the plan at `path`: one row per goal, rows added by
    copying the last one (as Word's "insert row below" does) and rows left over deleted."""
    document = docx.Document(str(path))
    table = goals_table(document)
    rows = table.findall(qn("w:tr"))[1:]
    while len(rows) < len(goals):
        copy = deepcopy(rows[-1])
        rows[-1].addnext(copy)
        rows.append(copy)
    for row in rows[len(goals) :]:
        table.remove(row)
    for row, goal in zip(rows, goals, strict=False):
        cells = row.findall(qn("w:tc"))
        for n, (tc, text) in enumerate(zip(cells, goal, strict=True)):
            if n == 1 and " " in text:
                # The goal itself split over two runs, and typed with track changes on.
                head, tail = text.split(" ", 1)
                fill_cell(tc, head + " ", tail, tracked=True)
            else:
                fill_cell(tc, text)
    document.save(str(path))


def fill_final_evaluation(path: Path, decision: str, datum: str, progress: str = "") -> None:
    """The final evaluation as the counsellor fills it in after the meeting: the date, what
    was reached for the first goal, and the decision ticked ("voortgezet" or "beëindigd")."""
    document = docx.Document(str(path))
    type_over(document, "[datum]", datum)
    if progress:
        type_over(document, "[Wat is bereikt?", progress)
    for t in document.element.body.iter(qn("w:t")):
        if t.text and f"\u2610 {decision}" in t.text:
            t.text = t.text.replace(f"\u2610 {decision}", f"\u2612 {decision}")
    document.save(str(path))


def folder_digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` with its content's digest and its mode: what must not change."""
    import hashlib

    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        + oct(p.stat().st_mode)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
