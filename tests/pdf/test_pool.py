"""The LibreOffice pool: conversions, failures, hangs, and no LibreOffice left behind.

Every test points the pool's temporary folder (and so every LibreOffice profile) into its own
`tmp_path`, so it sees only its own LibreOffice processes, whatever else runs on the machine.
"""

from __future__ import annotations

import glob
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from opp_docs.cli import main
from opp_docs.demo.cohort import COHORT
from opp_docs.documents.compiled import TemplateCache
from opp_docs.documents.ooxml import STYLES
from opp_docs.documents.render import COVER_TEMPLATE
from opp_docs.files import STUDENTS_DIR
from opp_docs.pdf import join, worker
from opp_docs.pdf import lo_script as lo_script
from opp_docs.pdf import pool as convert
from opp_docs.pdf.pool import ConverterPool, convert_files
from tests.helpers import REPO, example_contexts, pdf_text, with_part

pytestmark = pytest.mark.libreoffice

YEAR = "2026-2027"
# The start of a zip file, and then nonsense: what a cut-off download looks like.
CORRUPT = b"PK\x03\x04" + b"geen Word-bestand" * 50


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The temporary folder of this test's pools; no LibreOffice may be left in it after."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    yield folder
    assert office_processes(folder, wait=10) == []


def office_processes(folder: Path, *, wait: float = 0) -> list[str]:
    """LibreOffice processes (and workers) whose command line names `folder`."""
    deadline = time.monotonic() + wait
    while True:
        found = subprocess.run(
            ["pgrep", "-af", re.escape(str(folder))], capture_output=True, text=True, check=False
        ).stdout.splitlines()
        if not found or time.monotonic() >= deadline:
            return found
        time.sleep(0.2)


def running(pid: int, wait: float = 10) -> bool:
    """Whether process `pid` still runs (a zombie waiting to be reaped does not)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        if state == "Z" or time.monotonic() >= deadline:
            return state != "Z"
        time.sleep(0.1)


def make_docx(path: Path, text: str) -> Path:
    document = docx.Document()
    document.add_heading(text, level=1)
    document.add_paragraph(f"{text}: een korte brief voor de test.")
    document.save(str(path))
    return path


def make_slow_docx(path: Path, paragraphs: int = 150_000) -> Path:
    """A small file that takes LibreOffice far longer than the test's timeout to lay out."""
    body = "<w:p><w:r><w:t>Regel van een heel lang document.</w:t></w:r></w:p>" * paragraphs
    main = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        z.writestr("word/document.xml", main)
    return path


def test_converts_every_document_and_reports_a_corrupt_one(tmp_path: Path, work: Path) -> None:
    sources = [make_docx(tmp_path / f"brief {i}.docx", f"Brief {i}") for i in range(4)]
    corrupt = tmp_path / "kapot.docx"
    corrupt.write_bytes(CORRUPT)
    sources.insert(2, corrupt)
    targets = [tmp_path / "pdf" / s.with_suffix(".pdf").name for s in sources]

    result = convert_files(sources, targets, workers=2)

    assert set(result.failed) == {corrupt}
    assert "LibreOffice kon het bestand niet openen" in result.failed[corrupt]
    assert set(result.converted) == set(sources) - {corrupt}
    for i, source in enumerate(s for s in sources if s != corrupt):
        assert f"Brief {i}" in pdf_text(result.converted[source])
    assert not (tmp_path / "pdf" / "kapot.pdf").exists()
    # Nothing half-written is left beside the PDFs.
    made = sorted(p.name for p in (tmp_path / "pdf").iterdir())
    assert made == [f"brief {i}.pdf" for i in range(4)]


def test_lean_copies_give_the_same_pdfs(tmp_path: Path, work: Path) -> None:
    cache = TemplateCache(REPO / "templates")
    sources = []
    for i, (name, context) in enumerate(example_contexts(tmp_path)[:6]):
        sources.append(tmp_path / f"{i} {name}.docx")
        sources[-1].write_bytes(cache.render(name, context))
    with ConverterPool(workers=2) as pool, ConverterPool(workers=2, lean_copies=False) as full:
        for source in sources:
            pool.submit(source, tmp_path / "lean" / f"{source.stem}.pdf")
            full.submit(source, tmp_path / "full" / f"{source.stem}.pdf")
        assert pool.wait().failed == full.wait().failed == {}
    for source in sources:
        lean, original = (tmp_path / kind / f"{source.stem}.pdf" for kind in ("lean", "full"))
        assert page_images(lean) == page_images(original), source.name
        assert layout_text(lean) == layout_text(original), source.name
        assert outline(lean) == outline(original), source.name


def test_documents_converted_together_read_as_they_would_alone(tmp_path: Path, work: Path) -> None:
    """A student's documents and a batch of covers go to LibreOffice as one file each; every
    document still gets a PDF of its own with the same text, page numbers ("pagina 2 van 3"),
    bookmarks and title as when it is converted alone."""
    cache = TemplateCache(REPO / "templates")
    contexts = example_contexts(tmp_path)
    documents = [(n, c) for n, c in contexts if n != COVER_TEMPLATE][:5]
    covers = [(n, c) for n, c in contexts if n == COVER_TEMPLATE][:3]
    groups: list[list[Path]] = []
    for group in (documents, covers):
        groups.append([])
        for i, (name, context) in enumerate(group):
            groups[-1].append(tmp_path / f"{name} {i}.docx")
            groups[-1][-1].write_bytes(cache.render(name, context))
    with ConverterPool(workers=2) as together, ConverterPool(workers=2) as alone:
        for group in groups:
            together.submit_group([(s, tmp_path / "samen" / f"{s.stem}.pdf") for s in group])
            for source in group:
                alone.submit(source, tmp_path / "los" / f"{source.stem}.pdf")
        assert together.wait().failed == alone.wait().failed == {}
        assert together.joined == 8 and together.joined_conversions == 2
    pages = []
    for source in (s for group in groups for s in group):
        joined, single = (tmp_path / kind / f"{source.stem}.pdf" for kind in ("samen", "los"))
        assert layout_text(joined) == layout_text(single), source.name
        assert outline(joined) == outline(single), source.name
        reader, original = PdfReader(joined), PdfReader(single)
        assert reader.metadata is not None and original.metadata is not None
        assert reader.metadata.title == original.metadata.title
        assert reader.named_destinations == {}
        # The same language for screen readers, and no links a single PDF would not have.
        root, single_root = reader.trailer["/Root"], original.trailer["/Root"]
        assert root.get("/Lang") == single_root.get("/Lang") == "nl-NL"
        assert not any("/Annots" in page for page in reader.pages)
        # Only the fonts it uses, not those of the whole joined file.
        assert fonts(joined) == fonts(single), source.name
        pages.append(len(reader.pages))
        footers = re.findall(r"pagina (\d+) van (\d+)", layout_text(joined))
        if source.stem.startswith(COVER_TEMPLATE):
            assert footers == []  # the cover has no page number (make_voorblad)
            continue
        assert footers == [
            (str(i), str(len(reader.pages))) for i in range(1, len(reader.pages) + 1)
        ]
    # The OPP has more than one page, so the page count really is the document's own.
    assert max(pages) > 1


def test_a_group_that_cannot_be_joined_is_converted_one_by_one(tmp_path: Path, work: Path) -> None:
    sources = [make_docx(tmp_path / f"brief {i}.docx", f"Brief {i}") for i in range(3)]
    corrupt = tmp_path / "kapot.docx"
    corrupt.write_bytes(CORRUPT)
    with ConverterPool(workers=1) as pool:
        pool.submit_group([(s, s.with_suffix(".pdf")) for s in [*sources, corrupt]])
        result = pool.wait()
        assert pool.joined == 0
        # The damaged file parts from the others, which then go one by one for a reason of
        # their own: python-docx's documents have no footer to call their own.
        assert pool.join_refusals == {join.UNREADABLE: 1, join.INHERITED_HEADER: 1}
    assert set(result.failed) == {corrupt}
    for i, source in enumerate(sources):
        assert f"Brief {i}" in pdf_text(result.converted[source])


def test_a_group_of_two_templates_is_converted_as_two_joined_files(
    tmp_path: Path, work: Path
) -> None:
    """One template saved anew by Word no longer shares its styles with the others: its
    documents go together, and so do the others, instead of all one by one."""
    cache = TemplateCache(REPO / "templates")
    sources = []
    for i, (name, context) in enumerate(example_contexts(tmp_path)[:4]):
        sources.append(tmp_path / f"{i} {name}.docx")
        sources[-1].write_bytes(cache.render(name, context))
    for i, source in enumerate(sources[2:], start=2):
        # The same styles, saved otherwise.
        sources[i] = with_part(source, tmp_path / f"anders {i}.docx", STYLES, lambda d: d + b" ")

    with ConverterPool(workers=1) as pool:
        pool.submit_group([(s, s.with_suffix(".pdf")) for s in sources])
        result = pool.wait()
        assert (pool.joined, pool.joined_conversions) == (4, 2)
        # Two smaller groups, no file on its own: nothing to explain.
        assert pool.join_refusals == {}
    assert result.failed == {}
    for source in sources:
        assert len(PdfReader(source.with_suffix(".pdf")).pages) >= 1


def fonts(pdf: Path) -> set[str]:
    """The fonts a PDF embeds, without their subset prefix ("BAAAAA+")."""
    listing = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    return {line.split()[0].split("+")[-1] for line in listing if line.strip()}


def page_images(pdf: Path) -> list[bytes]:
    prefix = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(prefix)], check=True)
    images = sorted(pdf.parent.glob(f"{glob.escape(prefix.name)}-*.png"))
    return [image.read_bytes() for image in images]


def layout_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def outline(pdf: Path) -> list[tuple[str, int]]:
    reader = PdfReader(pdf)
    found: list[tuple[str, int]] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return found


def test_a_hung_libreoffice_is_killed_and_the_document_retried(tmp_path: Path, work: Path) -> None:
    first, second, third = (make_docx(tmp_path / f"{n}.docx", n) for n in ("een", "twee", "drie"))
    with ConverterPool(workers=1, timeout=5) as pool:
        pool.submit(first, tmp_path / "een.pdf")
        assert [error for _, error in pool.completed()] == [None]
        (office,) = [p for p in office_processes(work) if "soffice.bin" in p]
        # A LibreOffice that stops answering: the worker's next conversion hangs.
        os.kill(int(office.split()[0]), signal.SIGSTOP)
        pool.submit(second, tmp_path / "twee.pdf")
        pool.submit(third, tmp_path / "drie.pdf")
        result = pool.wait()
        assert not running(int(office.split()[0]))
    assert result.failed == {}
    assert "twee" in pdf_text(tmp_path / "twee.pdf")
    assert "drie" in pdf_text(tmp_path / "drie.pdf")


def test_a_document_that_hangs_twice_is_reported_and_the_others_go_on(
    tmp_path: Path, work: Path
) -> None:
    slow = make_slow_docx(tmp_path / "eindeloos.docx")
    letters = [make_docx(tmp_path / f"brief {i}.docx", f"Brief {i}") for i in range(3)]
    sources = [slow, *letters]
    result = convert_files(sources, [s.with_suffix(".pdf") for s in sources], workers=2, timeout=4)
    assert result.failed == {slow: "LibreOffice reageerde niet binnen 4 seconden"}
    assert set(result.converted) == set(letters)
    assert not slow.with_suffix(".pdf").exists()


def test_a_document_that_hangs_in_a_group_costs_only_itself(tmp_path: Path, work: Path) -> None:
    """A student's documents go to LibreOffice as one file; when one of them makes it hang,
    the worker is replaced, the others are converted one by one, and only that one fails."""
    cache = TemplateCache(REPO / "templates")
    contexts = [(n, c) for n, c in example_contexts(tmp_path) if n != COVER_TEMPLATE][:3]
    sources = []
    for i, (name, context) in enumerate(contexts):
        sources.append(tmp_path / f"{i} {name}.docx")
        sources[-1].write_bytes(cache.render(name, context))
    # The same template, so it can be joined; but far too long to lay out in time.
    slow = tmp_path / "eindeloos.docx"
    with zipfile.ZipFile(sources[1]) as z, zipfile.ZipFile(slow, "w") as out:
        for item in z.infolist():
            data = z.read(item)
            if item.filename == "word/document.xml":
                cut = data.index(b"<w:body>") + len(b"<w:body>")
                line = b"<w:p><w:r><w:t>Regel van een heel lang document.</w:t></w:r></w:p>"
                data = data[:cut] + line * 150_000 + data[cut:]
            out.writestr(item, data)
    group = [sources[0], slow, sources[2]]
    with ConverterPool(workers=1, timeout=4) as pool:
        pool.submit_group([(s, s.with_suffix(".pdf")) for s in group])
        result = pool.wait()
        assert pool.joined == 0
    assert result.failed == {slow: "LibreOffice reageerde niet binnen 4 seconden"}
    assert set(result.converted) == {sources[0], sources[2]}
    assert not slow.with_suffix(".pdf").exists()


def test_a_libreoffice_that_cannot_start_fails_every_file_of_a_group(
    tmp_path: Path, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each file of a group is reported, also when no worker ever starts: the run ends with
    the failures instead of waiting for them."""
    monkeypatch.setattr(convert, "find_soffice", lambda: "/bin/false")
    monkeypatch.setattr(worker, "START_TIMEOUT", 10.0)
    sources = [make_docx(tmp_path / f"brief {i}.docx", f"Brief {i}") for i in range(3)]
    with ConverterPool(workers=1) as pool:
        pool.submit_group([(s, s.with_suffix(".pdf")) for s in sources])
        outcomes = dict(pool.completed())
    assert set(outcomes) == set(sources)
    assert all(
        error and "LibreOffice kon niet worden gestart" in error for error in outcomes.values()
    )


@pytest.mark.skipif(
    not any(os.path.isfile(path) for path in lo_script.ALLOCATORS),
    reason="libjemalloc2 is not installed (tools/install-libreoffice.sh installs it)",
)
def test_libreoffice_runs_with_the_faster_allocator(tmp_path: Path, work: Path) -> None:
    source = make_docx(tmp_path / "brief.docx", "Brief")
    with ConverterPool(workers=1) as pool:
        pool.submit(source, source.with_suffix(".pdf"))
        assert pool.wait().failed == {}
        offices = [
            line.split()[0] for line in office_processes(work) if "soffice.bin" in line.split()[1]
        ]
        assert offices
        for pid in offices:
            assert "libjemalloc.so" in Path(f"/proc/{pid}/maps").read_text()
    assert "Brief" in pdf_text(source.with_suffix(".pdf"))


def test_a_libreoffice_that_fails_with_the_allocator_starts_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker script itself: when LibreOffice does not start with the allocator preloaded,
    it starts again without, in a fresh profile, and the worker is ready as ever."""
    allocator = tmp_path / "libjemalloc.so.2"
    allocator.write_bytes(b"")
    monkeypatch.setattr(lo_script, "ALLOCATORS", (str(allocator),))
    starts: list[tuple[Path, str | None]] = []

    def start(soffice: str, profile: Path, preload: str | None) -> tuple[object, object]:
        starts.append((profile, preload))
        if preload is not None:
            raise RuntimeError("soffice stopte met code 127")
        return object(), object()

    sent: list[dict[str, Any]] = []
    cleared: list[bool] = []
    monkeypatch.setattr(lo_script, "_start", start)
    # Here it would kill the test's own process group.
    monkeypatch.setattr(lo_script, "_kill_group_but_me", lambda: cleared.append(True))
    monkeypatch.setattr(lo_script, "_send", sent.append)
    monkeypatch.setattr(lo_script, "_stop", lambda desktop, process: None)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))

    assert lo_script._serve("soffice", tmp_path / "profiel") == 0

    assert starts == [(tmp_path / "profiel", str(allocator)), (tmp_path / "profiel-2", None)]
    assert cleared == [True]  # what was left of the first start is gone
    assert sent == [{"ready": True}]


def test_a_worker_clears_its_group_but_not_itself(tmp_path: Path) -> None:
    """What the worker does after a failed start: the other processes of its group (the
    LibreOffice it started) are killed, the worker goes on."""
    script = textwrap.dedent(
        f"""
        import subprocess, sys, time
        sys.path.insert(0, {str(REPO / "opp_docs" / "pdf")!r})
        import lo_script
        sleeper = subprocess.Popen(["sleep", "60"])
        print(sleeper.pid, flush=True)
        lo_script._kill_group_but_me()
        sleeper.wait(timeout=10)
        print("verder", flush=True)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=30,
        start_new_session=True,  # its own group, as a worker has
        check=True,
    )
    sleeper, after = done.stdout.split()
    assert after == "verder"
    assert not running(int(sleeper), wait=0)


def test_workers_are_recycled(tmp_path: Path, work: Path) -> None:
    sources = [make_docx(tmp_path / f"{i}.docx", f"Document {i}") for i in range(5)]
    with ConverterPool(workers=1) as pool:
        pool.recycle_after = 2
        for source in sources:
            pool.submit(source, source.with_suffix(".pdf"))
        result = pool.wait()
        assert pool.work_dir is not None
        started = [p.name for p in pool.work_dir.iterdir() if p.name.startswith("werker-")]
    assert result.failed == {}
    assert len(result.converted) == 5
    assert len(started) == 3


@pytest.fixture
def without_uno(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """As on a machine without python3-uno: the Python of opp-docs has no `uno` module."""
    monkeypatch.setenv(convert.UNO_PYTHON_ENV, sys.executable)
    convert.find_uno_python.cache_clear()
    yield
    convert.find_uno_python.cache_clear()


@pytest.mark.parametrize("uno", [True, False])
def test_pdfa(tmp_path: Path, work: Path, request: pytest.FixtureRequest, uno: bool) -> None:
    if not uno:
        request.getfixturevalue("without_uno")
    source = make_docx(tmp_path / "archief.docx", "Archief")
    with ConverterPool(pdfa=True) as pool:
        pool.submit(source, tmp_path / "archief.pdf")
        result = pool.wait()
        assert pool.uses_uno is uno
    assert result.failed == {}
    metadata = PdfReader(tmp_path / "archief.pdf").xmp_metadata
    assert metadata is not None
    assert re.search(rb"pdfaid:part(>|=\")2", metadata.stream.get_data())


def test_spreadsheet_to_xlsx(tmp_path: Path, work: Path) -> None:
    source = tmp_path / "export.csv"
    source.write_text("Leerlingnummer,Achternaam\n990101,Jansen\n", encoding="utf-8")
    result = convert_files([source], [tmp_path / "export.xlsx"], fmt="xlsx")
    assert result.failed == {}
    with zipfile.ZipFile(tmp_path / "export.xlsx") as z:
        assert "Jansen" in z.read("xl/sharedStrings.xml").decode()


def test_without_uno_the_batch_fallback_converts(
    tmp_path: Path, work: Path, without_uno: None
) -> None:
    good = make_docx(tmp_path / "goed.docx", "Goed")
    corrupt = tmp_path / "kapot.docx"
    corrupt.write_bytes(CORRUPT)
    with ConverterPool(workers=2) as pool:
        pool.submit(good, tmp_path / "goed.pdf")
        pool.submit(corrupt, tmp_path / "kapot.pdf")
        result = pool.wait()
        assert not pool.uses_uno
    assert set(result.converted) == {good}
    assert set(result.failed) == {corrupt}
    assert "Goed" in pdf_text(tmp_path / "goed.pdf")


def test_ctrl_c_leaves_no_libreoffice(tmp_path: Path, work: Path) -> None:
    sources = [make_docx(tmp_path / f"{i}.docx", f"Document {i}") for i in range(40)]
    script = tmp_path / "omzetten.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from pathlib import Path
            from opp_docs.pdf.pool import convert_files
            sources = [Path(p) for p in {[str(s) for s in sources]!r}]
            convert_files(sources, [s.with_suffix(".pdf") for s in sources], workers=2)
            """
        )
    )
    run = subprocess.Popen([sys.executable, str(script)], stderr=subprocess.PIPE, text=True)
    wait_for(lambda: any(s.with_suffix(".pdf").exists() for s in sources), run)
    run.send_signal(signal.SIGINT)
    _, stderr = run.communicate(timeout=60)
    assert "KeyboardInterrupt" in stderr
    assert office_processes(work, wait=10) == []


def wait_for(condition: Any, run: subprocess.Popen[Any], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert run.poll() is None, "the run ended before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.05)


# Through the pipeline.


def demo(out: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable, "-c", "from opp_docs.cli import main; main()",
            "demo", "--output", str(out), "--schooljaar", YEAR,
            "--sjablonen", str(REPO / "templates"), *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


def test_rerun_with_nothing_changed_converts_nothing(
    tmp_path: Path, work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["demo", "--output", str(tmp_path / "out"), "--schooljaar", YEAR]
    first = CliRunner().invoke(main, [*args, "--sjablonen", str(REPO / "templates")])
    assert first.exit_code == 0, first.output
    converted: list[Path] = []
    submit, submit_group = ConverterPool.submit, ConverterPool.submit_group

    def spy(pool: ConverterPool, source: Path, target: Path) -> None:
        converted.append(source)
        submit(pool, source, target)

    def spy_group(pool: ConverterPool, pairs: list[tuple[Path, Path]]) -> None:
        converted.extend(source for source, _ in pairs)
        submit_group(pool, pairs)

    monkeypatch.setattr(ConverterPool, "submit", spy)
    monkeypatch.setattr(ConverterPool, "submit_group", spy_group)

    def no_libreoffice() -> str:
        raise AssertionError("a run with nothing to convert looked for LibreOffice")

    monkeypatch.setattr(convert, "find_soffice", no_libreoffice)
    second = CliRunner().invoke(main, [*args, "--sjablonen", str(REPO / "templates")])
    assert second.exit_code == 0, second.output
    # 8 students with 5 documents, and a second letter for Yara (her parents live apart).
    assert "0 gemaakt, 41 hergebruikt, 0 mislukt" in second.output
    # No document and no dossier cover (the overviews are not student documents).
    assert [p for p in converted if STUDENTS_DIR in p.parts] == []


def test_a_killed_run_then_a_rerun_gives_complete_valid_output(tmp_path: Path, work: Path) -> None:
    out = tmp_path / "out"
    year = out / YEAR
    run = demo(out)
    wait_for(lambda: len(list(year.glob("leerlingen/*/*.pdf"))) >= 3, run)
    run.kill()
    run.wait()
    assert office_processes(work, wait=10) == []
    # The killed run's work folder (joined copies of documents) is still there ...
    assert list(work.glob(f"opp-docs-lo-{run.pid}-*"))

    rerun = demo(out)
    output, _ = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, output
    assert "0 mislukt" in output

    manifest = json.loads((year / "manifest.json").read_text("utf-8"))
    assert len(manifest["leerlingen"]) == len(COHORT)
    with_plan = [s for s in manifest["leerlingen"] if s["route"] in ("opp", "opp-light")]
    assert with_plan
    for student in with_plan:
        # Five kinds; Yara's parents live apart and get a letter each (demo cohort).
        assert len({d["soort"] for d in student["documenten"]}) == 5
        pages = 0
        for document in student["documenten"]:
            # The killed run's own files are recognised as its own, not as staff edits; only
            # Sem's plan is a person's: the demo's counsellor wrote it (demo/staff.py).
            edited = (student["leerlingnummer"], document["soort"]) == ("990101", "opp")
            assert document["bewerkt"] is edited, document
            assert document["pdf"] is not None
            pages += len(PdfReader(year / document["pdf"]).pages)
        # The cover, the documents, and Sem's signed sheet (a scan of one page, demo/staff.py).
        scans = 1 if student["ondertekend"] else 0
        dossier = PdfReader(year / student["dossier"])
        assert len(dossier.pages) == 1 + pages + scans
    leftovers = [
        p
        for p in year.rglob("*")
        if p.name.startswith((".tmp-", ".voorblad")) or "nieuwe versie" in p.name
    ]
    assert leftovers == []
    assert not (year / ".opp-docs.lock").exists()
    # ... until the next run removes it.
    assert list(work.glob(f"opp-docs-lo-{run.pid}-*")) == []
