"""Time the intake reader on a 5,000-row registrations workbook plus a 5,000-row report CSV.

Usage: python tools/bench_intake.py [rows]. Prints the figure; the target is under 3 s.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from opp_docs.config import Config
from opp_docs.intake.folder import read_intake
from opp_docs.models import SchoolYear

YEAR = SchoolYear(2026)
ADVIES = ("vmbo-bb", "vmbo-kb", "VMBO_KB/TL", "mavo", "havo", "havo/vwo", "atheneum")


def build(folder: Path, rows: int) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Aanmeldingen")
    sheet.append([f"Aanmeldingen {YEAR}"])
    sheet.append([])
    sheet.append(
        [
            "Leerlingnummer",
            "Achternaam",
            "Tussenvoegsel",
            "Roepnaam",
            "Geboortedatum",
            "Geslacht",
            "Basisschool",
            "Schooladvies",
            "Klas",
            "Tutor",
            "LWOO",
            "PrO",
            "OPP basisschool",
            "Dyslexieverklaring",
            "Naam ouder/verzorger 1",
            "E-mail ouder/verzorger 1",
            "Telefoon ouder/verzorger 1",
            "Aanmelddatum",
        ]
    )
    for i in range(rows):
        sheet.append(
            [
                f"{100000 + i}",
                f"Achternaam{i}",
                "van" if i % 5 == 0 else None,
                f"Roepnaam{i}",
                dt.date(2013, 1 + i % 12, 1 + i % 28),
                "MV"[i % 2],
                f"Basisschool {i % 40}",
                ADVIES[i % len(ADVIES)],
                f"1{'ABCDEF'[i % 6]}",
                "J. Bakker",
                "ja" if i % 9 == 0 else "nee",
                "nee",
                "x" if i % 13 == 0 else None,
                "ja" if i % 7 == 0 else "nee",
                f"Ouder {i}",
                f"ouder{i}@voorbeeld.nl",
                "06-12345678",
                dt.date(2026, 3, 1 + i % 28),
            ]
        )
    workbook.save(folder / "aanmeldingen.xlsx")
    with (folder / "okr.csv").open("w", encoding="cp1252", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(
            [
                "Leerlingnummer",
                "Doorstroomtoets lezen",
                "Doorstroomtoets taalverzorging",
                "Doorstroomtoets rekenen",
                "Ondersteuningsbehoefte",
                "Werkhouding",
                "Ondersteuningsniveau",
                "Verwacht aantal RT-momenten",
                "TLV mogelijk",
            ]
        )
        for i in range(rows):
            writer.writerow(
                [
                    f"{100000 + i}",
                    "2F",
                    "1F",
                    "<1F" if i % 4 == 0 else "1S",
                    f"Heeft structuur nodig; één-op-één\ninstructie bij rekenen ({i}).",
                    "Wisselend",
                    ("basis", "licht", "zwaar")[i % 3],
                    str(i % 12),
                    "nee",
                ]
            )


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory(prefix="opp-docs-bench-") as work:
        folder = Path(work)
        build(folder, rows)
        start, cpu = time.perf_counter(), time.process_time()
        result = read_intake(folder, Config(), YEAR)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    blocked = len(result.blocked())
    print(
        f"intake: {rows} aanmeldingen (.xlsx) + {rows} OKR-regels (.csv) gelezen in "
        f"{elapsed:.2f} s (processortijd {cpu:.2f} s; {len(result.leerlingen)} leerlingen, "
        f"{blocked} geblokkeerd; doel < 3 s)"
    )


if __name__ == "__main__":
    main()
