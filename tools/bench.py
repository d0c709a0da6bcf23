"""Benchmark the document factory on a fictional cohort; run by `make bench`.

Builds an intake of N fictional students (all on route opp: five documents each), runs the whole
pipeline, runs it again with nothing changed, and converts a sample of the same Word files the
naive way (one `soffice --convert-to pdf` process per document) in the same run, so the ratio
compares like with like on this machine. Prints figures only; nothing here asserts a time.

    .venv/bin/python tools/bench.py [--leerlingen 300] [--steekproef 10] [--werkers N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from openpyxl import Workbook

from opp_docs.config import Config
from opp_docs.convert import default_workers, find_soffice
from opp_docs.models import SchoolYear
from opp_docs.pipeline import RunOptions, RunSummary, run_dossiers
from opp_docs.voorbeeld import OKR_HEADERS, REGISTRATION_HEADERS

REPO = Path(__file__).resolve().parent.parent
YEAR = SchoolYear(2026)

ROEPNAMEN = ["Sem", "Noor", "Daan", "Lotte", "Finn", "Emma", "Julia", "Lucas", "Yara", "Milan"]
ACHTERNAMEN = ["Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Boer", "Dekker", "Vries"]


def write_cohort(folder: Path, schooljaar: SchoolYear, count: int) -> None:
    """Two exports like the example cohort's, with `count` students on ondersteuningsniveau
    zwaar (route opp). Numbers 99xxxx: a range the administration never hands out."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(6)
    start = schooljaar.first_day
    registrations = Workbook()
    sheet = registrations.active
    sheet.title = "Aanmeldingen"
    sheet.append(REGISTRATION_HEADERS)
    okr = Workbook()
    okr_sheet = okr.active
    okr_sheet.title = "OKR"
    okr_sheet.append(OKR_HEADERS)
    for i in range(count):
        roepnaam = rng.choice(ROEPNAMEN)
        achternaam = rng.choice(ACHTERNAMEN)
        nummer = f"99{i + 1:04d}"
        birth = dt.date(start.year - 13, 1 + i % 12, 1 + i % 28)
        sheet.append(
            [
                nummer, achternaam, "", roepnaam, birth, "MV"[i % 2],
                f"Basisschool De {['Regenboog', 'Linde', 'Wilg'][i % 3]}", "vmbo-tl/havo",
                f"1{'ABC'[i % 3]}", ["mevr. Kok", "dhr. Aydın", "mevr. Prins"][i % 3],
                "nee", "nee", "nee", "nee", "nee",
                f"A. {achternaam}", f"ouder{i}@example.nl", "06-11111111",
                f"B. {achternaam}", f"ouder{i}b@example.nl", "06-22222222",
                dt.date(start.year, 3, 1 + i % 28),
            ]
        )  # fmt: skip
        okr_sheet.append(
            [
                nummer, "1F", "1F", "2F",
                "Heeft structuur en voorspelbaarheid nodig.\nKorte, duidelijke instructies.",
                "Sterk in rekenen; behulpzaam.", "Snel overprikkeld; plant slecht.",
                "Trekt zich terug bij conflicten.", "Werkt goed met een planner.",
                "Woont bij beide ouders.", "Ambulant begeleider.", "zwaar", 12,
                "nee", "nee", "nee", None, "",
            ]
        )  # fmt: skip
    for ws in (sheet, okr_sheet):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD-MM-YYYY"
    registrations.save(folder / "aanmeldingen.xlsx")
    okr.save(folder / "okr-gegevens.xlsx")


def naive_convert(docs: list[Path], work: Path) -> float:
    """Seconds for one `soffice --convert-to pdf` process per document (the naive way)."""
    soffice = find_soffice()
    profile = (work / "profile").as_uri()

    def once(doc: Path, outdir: Path) -> None:
        subprocess.run(
            [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}",
             "--convert-to", "pdf", "--outdir", str(outdir), str(doc)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip

    # The profile is made once, as on any machine that converted before.
    once(docs[0], work / "warm")
    started = time.perf_counter()
    for doc in docs:
        once(doc, work / "naive")
    return time.perf_counter() - started


class StageClock:
    """Times the pipeline's stages through its progress hooks (messages and progress bars)."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float]] = [("intake", time.perf_counter())]

    def say(self, message: str) -> None:
        self.marks.append((message, time.perf_counter()))

    @contextmanager
    def bar(self, label: str, _total: int) -> Iterator[Callable[[int], None]]:
        self.marks.append((label, time.perf_counter()))
        yield lambda _steps: None

    def stages(self, end: float) -> str:
        ends = [t for _, t in self.marks[1:]] + [end]
        return ", ".join(
            f"{name} {e - t:.1f}" for (name, t), e in zip(self.marks, ends, strict=True)
        )


def cpu_seconds() -> tuple[float, float]:
    """CPU time so far of this process and of its waited-for children (LibreOffice)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def _timed_run(options: RunOptions) -> tuple[RunSummary, float, str, tuple[float, float]]:
    clock = StageClock()
    own, children = cpu_seconds()
    summary = run_dossiers(options, progress=clock.say, bar=clock.bar)
    end = time.perf_counter()
    own_after, children_after = cpu_seconds()
    cpu = (own_after - own, children_after - children)
    return summary, end - clock.marks[0][1], clock.stages(end), cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leerlingen", type=int, default=300)
    parser.add_argument("--steekproef", type=int, default=10)
    parser.add_argument("--werkers", type=int, default=None)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="opp-docs-bench-") as tmp:
        work = Path(tmp)
        write_cohort(work / "intake", YEAR, args.leerlingen)
        options = RunOptions(
            intake=work / "intake",
            output=work / "output",
            schooljaar=YEAR,
            templates=REPO / "templates",
            config=Config(leerlingbegeleiders=("mevr. J. de Wit",), teamleider="dhr. M. Vos"),
            workers=args.werkers,
        )
        summary, seconds, stages, cpu = _timed_run(options)
        documents = sum(len(o.documents) for o in summary.outcomes)
        rerun, rerun_seconds, rerun_stages, _ = _timed_run(options)
        docs = [d.docx for o in summary.outcomes for d in o.documents]
        sample = random.Random(1).sample(docs, min(args.steekproef, len(docs)))
        naive_seconds = naive_convert(sample, work)

    ours = seconds / documents
    naive = naive_seconds / len(sample)
    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"machine:            {default_workers()} kernen, werkers: {args.werkers or 'standaard'}")
    print(f"leerlingen:         {summary.students} ({summary.dossiers} dossiers)")
    print(
        f"documenten:         {documents} (PDF's: {summary.made} gemaakt, {summary.failed} mislukt)"
    )
    print(f"seconden:           {seconds:.1f} (intake tot dossiers)")
    print(f"  per fase (s):     {stages}")
    print(f"  processortijd:    {cpu[0]:.1f} s opp-docs, {cpu[1]:.1f} s LibreOffice")
    print(f"ms per document:    {ours * 1000:.1f}")
    print(
        f"naïef (1 soffice per document, {len(sample)} stuks): {naive * 1000:.0f} ms per document"
    )
    print(f"verhouding naïef/onze: {naive / ours:.1f}x")
    print(
        f"herhaalrun zonder wijzigingen: {rerun_seconds:.2f} s "
        f"({rerun.made} omgezet, {rerun.reused} hergebruikt)"
    )
    print(f"  per fase (s):     {rerun_stages}")
    print(
        f"piekgeheugen:       {peak_self:.0f} MB (dit proces), {peak_child:.0f} MB (grootste kind)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
