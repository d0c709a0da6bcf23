"""Fuzz the intake reader and the template renderer with hypothesis.

A few examples per test in the normal run; `make fuzz` sets OPP_FUZZ_EXAMPLES for a long run.
The intake reader may only answer with a result or a clear error about the files; the renderer
must put any text into a Word document as typed, and never run it as template code.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from opp_docs.config import Config
from opp_docs.documents.check import required_templates
from opp_docs.documents.compiled import TemplateCache
from opp_docs.documents.fields_reference import (
    LETTER_TEMPLATE,
    example_context,
    example_cover_fields,
    example_letter_fields,
)
from opp_docs.documents.render import COVER_TEMPLATE, clean_text, render_document, template_path
from opp_docs.errors import IntakeFilesError, IntakeFolderError
from opp_docs.intake.fields import FIELDS
from opp_docs.intake.folder import read_intake
from opp_docs.models import IntakeResult, SchoolYear
from opp_docs.overviews.intake_report import write_intake_report
from tests.helpers import REPO
from tests.intake_helpers import csv_text, registration, write_xlsx

pytestmark = pytest.mark.fuzz

YEAR = SchoolYear(2026)


def fuzz(default: int) -> settings:
    """`default` examples, the same on every run; or OPP_FUZZ_EXAMPLES new ones (make fuzz)."""
    examples = os.environ.get("OPP_FUZZ_EXAMPLES")
    return settings(
        max_examples=int(examples or default),
        derandomize=not examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# --- the intake reader --------------------------------------------------------------------


def read(folder: Path) -> None:
    """Read `folder` as `opp-docs check` does: a result and its report, or a clear error."""
    try:
        result = read_intake(folder, Config(), YEAR)
    except (IntakeFilesError, IntakeFolderError) as e:
        assert str(e)
        return
    assert isinstance(result, IntakeResult)
    write_intake_report(result, folder.parent / f"{folder.name}-rapport.xlsx")


@cache
def valid_workbook() -> dict[str, bytes]:
    """The parts of a real workbook (openpyxl's), with dates, numbers, text and a formula."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_xlsx(
            Path(folder) / "basis.xlsx",
            [
                registration("012345", LWOO="ja", **{"Verwacht aantal RT-momenten": 8}),
                registration("990457", Roepnaam="Zoë", Ondersteuningsbehoefte="regel 1\nregel 2"),
            ],
            above=[["Aanmeldingen 2026"], []],
        )
        with zipfile.ZipFile(path) as z:
            return {name: z.read(name) for name in z.namelist()}


# What a damaged or hostile workbook holds where a real one has something ordinary.
XML_TOKENS = [
    'r="XFD1"', 'r="ZZZZZZZZZZZZZ1"', 'r="ß1"', 'r="1A"', 'r=""', 't="s"', 't="b"', 't="d"',
    't="e"', 't="str"', 't="inlineStr"', 't="n"', "<v>1e308</v>", "<v>-1e308</v>", "<v>nan</v>",
    "<v>inf</v>", "<v>-1</v>", "<v>99999999</v>", "<v>" + "9" * 5000 + "</v>", "<v></v>",
    "<v>2014-13-45T99:99</v>", 's="999999"', 's="-1"', 's="x"', '<row r="0">', '<row r="-5">',
    '<row r="99999999999999999999">', '<row r="²">', '<dimension ref="A1:XFD1048576"/>',
    '<dimension ref="A1:A9999999999999999"/>', '<dimension ref=""/>', 'date1904="1"',
    "<f>SUM(A1:A3)</f>", "<is><t>x</t></is>", "&#0;", "&#xD800;", "&amp;", "<![CDATA[x]]>",
    '<numFmt numFmtId="164" formatCode="dd-mm-yyyy"/>', 'numFmtId="14"', 'numFmtId="x"',
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    "&b;", '<sheet name="Blad1" sheetId="1" state="hidden" r:id="rId1"/>', 'Target="/"',
    'Target="../../../etc/passwd"', 'Target=""', "\x00", "\xff", "<", ">", '"', "",
]  # fmt: skip


@st.composite
def mutated_parts(draw: st.DrawFn) -> dict[str, bytes]:
    parts = dict(valid_workbook())
    names = sorted(n for n in parts if n.endswith((".xml", ".rels")))
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(names))
        data = parts[name]
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + 40)))
        token = draw(st.sampled_from(XML_TOKENS)).encode("utf-8", "surrogatepass")
        parts[name] = data[:start] + token + data[end:]
    if draw(st.booleans()):
        name = draw(st.sampled_from(sorted(parts)))
        del parts[name]
    return parts


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


@fuzz(25)
@given(parts=mutated_parts())
def test_mutated_workbook_parts(tmp_path_factory: pytest.TempPathFactory, parts: Any) -> None:
    folder = tmp_path_factory.mktemp("intake")
    (folder / "aanmeldingen.xlsx").write_bytes(zipped(parts))
    read(folder)


@fuzz(25)
@given(
    cuts=st.lists(
        st.tuples(st.integers(0, 10**6), st.integers(0, 64), st.binary(max_size=16)),
        min_size=1,
        max_size=5,
    ),
    suffix=st.sampled_from([".xlsx", ".xlsm", ".csv", ".xls", ".txt"]),
)
def test_mutated_workbook_bytes(
    tmp_path_factory: pytest.TempPathFactory, cuts: list[tuple[int, int, bytes]], suffix: str
) -> None:
    data = zipped(valid_workbook())
    for at, length, insert in cuts:
        at %= len(data) + 1
        data = data[:at] + insert + data[at + length :]
    folder = tmp_path_factory.mktemp("intake")
    # No LibreOffice for '.xls': what is no zip becomes a plain unreadable file.
    (folder / f"x{suffix if data.startswith(b'PK') or suffix != '.xls' else '.xlsx'}").write_bytes(
        data
    )
    read(folder)


HEADERS = [f.header for f in FIELDS] + ["", "Opmerking", "sep=;"]
CELL_TOKENS = [
    "ja", "nee", "x", "WAAR", "31-02-2014", "3-5-2014", "1 mrt 2014", "2014-03-01", "44000",
    "=1+1", "+31", "-", "@x", "#N/B", "#DEEL/0!", "havo/vwo", "vmbo-kb/tl", "2F+", "<1F", "1S",
    "licht", "zwaar", "opp", "012345", "٣٤٥٦٧٨", "１２３４５６", "9" * 5000, "1" * 5001 + ",0",
    "8,0", "8.5", "06-12345678", "naam@school.nl", "\u00a0", "\ufeff", "\u200b", '"', ";", ",",
    "\t", "\n", "\r", "\r\n", "\x0b", "\x00", "\x1a", "\ufffe", "\uffff", "🙂", "İ", "ß", "ﬀ",
]  # fmt: skip
NONCHARACTERS = {0xFFFE: None, 0xFFFF: None}
cells = st.one_of(
    st.sampled_from(CELL_TOKENS),
    st.lists(st.sampled_from(CELL_TOKENS), max_size=4).map("".join),
    # Numbers longer than Python turns into an int without complaint (4,300 digits).
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.text(max_size=20),
)


# Students whose fields hold odd values: a registration row with some columns replaced.
students = st.lists(st.dictionaries(st.sampled_from(HEADERS), cells, max_size=8), max_size=4)


@fuzz(25)
@given(
    rows=students,
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10),
    loose=st.lists(st.lists(cells, max_size=10), max_size=3),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    above=st.sampled_from(["", "sep=;\r\n", "Export leerlingen\r\n\r\n", '"sep=,"\n']),
)
def test_csv_text(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[dict[str, str]],
    header: list[str],
    loose: list[list[str]],
    delimiter: str,
    encoding: str,
    above: str,
) -> None:
    records = [registration(f"12345{i}", **row) for i, row in enumerate(rows)]
    records += [dict(zip(header, row, strict=False)) for row in loose]
    text = above + csv_text(records or [registration()], delimiter)
    folder = tmp_path_factory.mktemp("intake")
    (folder / "okr.csv").write_bytes(text.encode(encoding, errors="replace"))
    read(folder)


typed_cells = st.one_of(
    # What openpyxl can write: no control characters, no U+FFFE/U+FFFF.
    cells.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text).translate(NONCHARACTERS)),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(dt.date(1900, 3, 1)),
    st.datetimes(dt.datetime(1900, 3, 1)),
    st.times(),
)


@fuzz(25)
@given(rows=st.lists(st.dictionaries(st.sampled_from(HEADERS), typed_cells, max_size=8)))
def test_workbook_cells(tmp_path_factory: pytest.TempPathFactory, rows: list[Any]) -> None:
    folder = tmp_path_factory.mktemp("intake")
    records = [registration(f"12345{i}", **row) for i, row in enumerate(rows)]
    write_xlsx(folder / "aanmeldingen.xlsx", records or [registration()])
    read(folder)


@fuzz(25)
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".txt"]))
def test_random_bytes_as_csv(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    folder = tmp_path_factory.mktemp("intake")
    (folder / f"x{suffix}").write_bytes(b"Leerlingnummer;Achternaam;Roepnaam\n" + data)
    read(folder)


# --- the template renderer ----------------------------------------------------------------

TEXT_TOKENS = [
    "{{", "}}", "{%", "%}", "{#", "#}", "{{ 7 * 7 }}", "{% for x in range(3) %}x{% endfor %}",
    "{{ leerling.naam }}", "{{ ''.__class__ }}", "{%p if x %}", "{%tr for x in y %}", "</w:t>",
    "<w:br/>", '<w:t xml:space="preserve">', "]]>", "<![CDATA[", "&amp;", "&", "<", ">", '"',
    "'", "\\", "\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\r", "\r\n",
    "\n", "\t", "\u2028", "\ud800", "\udfff", "\ufffe", "\uffff", "\U0001f642", "\u202e", "  ",
    "Maria " * 50,  # longer than a document's title may be
]  # fmt: skip
texts = st.lists(
    st.one_of(st.sampled_from(TEXT_TOKENS), st.text(max_size=12)), min_size=1, max_size=8
).map("".join)


def with_text(value: Any, text: str) -> Any:
    """`value` with every string in it replaced by `text`; numbers and flags stay."""
    if isinstance(value, str):
        return text
    if isinstance(value, dict):
        return {k: with_text(v, text) for k, v in value.items()}
    if isinstance(value, list):
        return [with_text(v, text) for v in value]
    return value


def context_for(name: str, text: str) -> dict[str, Any]:
    context = dict(example_context())
    if name == COVER_TEMPLATE:
        context.update(example_cover_fields())
    if name == LETTER_TEMPLATE:
        context.update(example_letter_fields())
    result: dict[str, Any] = with_text(context, text)
    return result


def document_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def expected(text: str) -> str:
    """What the document shows of `text`: characters XML cannot hold are gone."""
    shown: str = clean_text(text)
    return shown


TEMPLATES = sorted(required_templates())


@fuzz(15)
@given(name=st.sampled_from(TEMPLATES), text=texts)
def test_render_document_puts_any_text_in_as_typed(
    tmp_path_factory: pytest.TempPathFactory, name: str, text: str
) -> None:
    target = tmp_path_factory.mktemp("docx") / f"{name}.docx"
    render_document(template_path(REPO / "templates", name), context_for(name, text), target)
    assert expected(text) in document_text(target.read_bytes())


@cache
def template_cache() -> TemplateCache:
    return TemplateCache(REPO / "templates")


@fuzz(25)
@given(name=st.sampled_from(TEMPLATES), text=texts)
def test_the_pipelines_renderer_puts_any_text_in_as_typed(name: str, text: str) -> None:
    data = template_cache().render(name, context_for(name, text))
    assert expected(text) in document_text(data)


# Found by the fuzzer: a name longer than a document property may be (255 characters) stopped
# the run with python-docx's ValueError, because the templates put the name in the title.
LONG_NAME = "Maria " * 50


def test_a_name_too_long_for_the_document_title(tmp_path: Path) -> None:
    target = tmp_path / "opp.docx"
    render_document(template_path(REPO / "templates", "opp"), context_for("opp", LONG_NAME), target)
    assert LONG_NAME in document_text(target.read_bytes())
    title = docx.Document(str(target)).core_properties.title
    assert len(title) == 255 and LONG_NAME[:200] in title


def test_a_name_too_long_for_the_document_title_in_the_pipelines_renderer() -> None:
    data = template_cache().render("opp", context_for("opp", LONG_NAME))
    assert LONG_NAME in document_text(data)
