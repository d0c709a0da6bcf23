"""Benchmark the document factory on a fictional cohort; run by `make bench`.

Builds an intake of N fictional students (all on route opp: five documents each), runs the whole
pipeline, runs it again with nothing changed, and converts a sample of the same Word files the
naive way (one `soffice --convert-to pdf` process per document) in the same run, so the ratio
compares like with like on this machine. Prints figures only; nothing here asserts a time.

    .venv/bin/python tools/bench.py [--leerlingen 300] [--steekproef 10] [--werkers N] [--logo F]
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from opp_docs.config import Config
from opp_docs.demo.cohort import example_student, write_example_intake
from opp_docs.models import RunSummary, SchoolYear
from opp_docs.pdf.pool import default_workers, find_soffice
from opp_docs.pipeline.run import RunOptions, run_dossiers

REPO = Path(__file__).resolve().parent.parent
YEAR = SchoolYear(2026)

ROEPNAMEN = ["Sem", "Noor", "Daan", "Lotte", "Finn", "Emma", "Julia", "Lucas", "Yara", "Milan"]
ACHTERNAMEN = ["Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "Boer", "Dekker", "Vries"]


def write_cohort(folder: Path, schooljaar: SchoolYear, count: int) -> None:
    """Exports like the example cohort's, with `count` students on ondersteuningsniveau zwaar
    (route opp). Numbers 99xxxx: a range the administration never hands out."""
    rng = random.Random(6)
    cohort = []
    for i in range(count):
        achternaam = rng.choice(ACHTERNAMEN)
        cohort.append(
            example_student(
                f"99{i + 1:04d}", achternaam, rng.choice(ROEPNAMEN), 12,
                geslacht="MV"[i % 2], schooladvies="vmbo-tl/havo", klas=f"1{'ABC'[i % 3]}",
                ouders=((f"A. {achternaam}", f"ouder{i}@example.nl", "06-11111111"),
                        (f"B. {achternaam}", f"ouder{i}b@example.nl", "06-22222222")),
                toets=("1F", "1F", "2F"),
                ondersteuningsbehoefte="Heeft structuur en voorspelbaarheid nodig.\n"
                "Korte, duidelijke instructies.",
                bevorderende_factoren="Sterk in rekenen; behulpzaam.",
                belemmerende_factoren="Snel overprikkeld; plant slecht.",
                sociaal_emotioneel="Trekt zich terug bij conflicten.",
                werkhouding="Werkt goed met een planner.",
                thuissituatie="Woont bij beide ouders.",
                hulpverlening="Ambulant begeleider.",
                ondersteuningsniveau="zwaar", rt_momenten=12,
            )
        )  # fmt: skip
    write_example_intake(folder, schooljaar, cohort)


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


def machine_ticks() -> tuple[int, int] | None:
    """All CPU ticks of the machine so far and those stolen by the host for other virtual
    machines (Linux /proc/stat); None elsewhere."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        ticks = [int(f) for f in fields]
    except (OSError, ValueError, IndexError):
        return None
    # user nice system idle iowait irq softirq steal (guest time is counted in user)
    return sum(ticks[:8]), ticks[7] if len(ticks) > 7 else 0


def stolen(before: tuple[int, int] | None, after: tuple[int, int] | None) -> str:
    if before is None or after is None or after[0] == before[0]:
        return "onbekend"
    return f"{100 * (after[1] - before[1]) / (after[0] - before[0]):.0f}%"


def _timed_run(options: RunOptions) -> tuple[RunSummary, float, str, tuple[float, float], str]:
    clock = StageClock()
    own, children = cpu_seconds()
    ticks = machine_ticks()
    summary = run_dossiers(options, progress=clock.say, bar=clock.bar)
    end = time.perf_counter()
    own_after, children_after = cpu_seconds()
    cpu = (own_after - own, children_after - children)
    return summary, end - clock.marks[0][1], clock.stages(end), cpu, stolen(ticks, machine_ticks())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leerlingen", type=int, default=300)
    parser.add_argument("--steekproef", type=int, default=10)
    parser.add_argument("--werkers", type=int, default=None)
    # A PNG or JPEG: every document and cover with a logo in its header (school.logo).
    parser.add_argument("--logo", type=Path, default=None)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="opp-docs-bench-") as tmp:
        work = Path(tmp)
        write_cohort(work / "intake", YEAR, args.leerlingen)
        options = RunOptions(
            intake=work / "intake",
            output=work / "output",
            schooljaar=YEAR,
            templates=REPO / "templates",
            config=Config(
                leerlingbegeleiders=("mevr. J. de Wit",),
                teamleider="dhr. M. Vos",
                school_logo=args.logo,
            ),
            workers=args.werkers,
        )
        summary, seconds, stages, cpu, steal = _timed_run(options)
        documents = sum(len(o.documents) for o in summary.outcomes)
        rerun, rerun_seconds, rerun_stages, _, _ = _timed_run(options)
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
    refusals = ", ".join(f"{n}× {r}" for r, n in summary.join_refusals.items()) or "geen"
    print(f"  los omgezet:      {refusals}")
    print(f"  per fase (s):     {stages}")
    print(f"  processortijd:    {cpu[0]:.1f} s opp-docs, {cpu[1]:.1f} s LibreOffice")
    # On a shared virtual machine the host may give our cores' time to others: then the same
    # work takes longer, which says nothing about opp-docs.
    print(f"  gestolen tijd:    {steal} van de processortijd van de machine (door de host)")
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
