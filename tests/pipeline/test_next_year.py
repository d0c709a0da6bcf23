"""Two school years end to end: plans written, one filled in, final evaluations that continue
one plan and end another; then a run for the next school year on a new intake without them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import docx
from openpyxl import load_workbook

from tests.helpers import type_over, words_in
from tests.pipeline.staff import (
    counted_run,
    docs_of,
    entry,
    fill_final_evaluation,
    folder_digest,
    write_goals,
    write_intake,
)
from tests.scan_files import dated, signed_pdf

GOALS = [
    ("Werkhouding", "Plant het huiswerk zelf in de agenda", "Wekelijks gesprek", "LB", "1-2"),
    ("Taal", "Leest elke dag een kwartier", "Leesplan met ouders", "mentor", "1-6"),
]


def run_year(intake: Path, out: Path, year: str, today: dt.date) -> dict[str, Any]:
    return counted_run(intake, out, today, year)[1]


def path_of(out: Path, year: str, manifest: dict[str, Any], nummer: str, kind: str) -> Path:
    docs = docs_of(manifest, nummer, kind)
    return out / year / docs[0]["docx"]


def test_two_school_years_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "out"
    students = [
        {
            "nummer": "994001",
            "velden": {"Roepnaam": "Ayla", "Achternaam": "Doorgaan", "Tussenvoegsel": ""},
        },
        {
            "nummer": "994002",
            "velden": {"Roepnaam": "Bram", "Achternaam": "Stoppen", "Tussenvoegsel": ""},
        },
        {
            "nummer": "994003",
            "velden": {"Roepnaam": "Cas", "Achternaam": "Onbeslist", "Tussenvoegsel": ""},
        },
    ]
    intake = write_intake(tmp_path / "intake-1", *students)
    first = "2026-2027"
    manifest = run_year(intake, out, first, dt.date(2026, 9, 14))

    # The counsellor fills in Ayla's plan: goals and perspective.
    plan = path_of(out, first, manifest, "994001", "opp")
    write_goals(plan, GOALS)
    document = docx.Document(str(plan))
    type_over(document, "[Beschrijf het uitstroomperspectief", "Diploma vmbo-kb, daarna mbo 3.")
    document.save(str(plan))
    # The signed sheet comes back as a scan.
    dated(
        signed_pdf(intake / "994001 ondertekend.pdf", "Getekend door Ayla"), dt.date(2026, 10, 20)
    )
    manifest = run_year(intake, out, first, dt.date(2026, 11, 2))
    ayla = entry(manifest, "994001")
    assert [g["doel"] for g in ayla["doelen"]] == [g[1] for g in GOALS]
    assert ayla["ondertekend"]["datum"] == "2026-10-20"
    assert "Getekend door Ayla" in words_in(out / first / ayla["dossier"])

    # The final evaluations in June: Ayla's plan continues, Bram's ends; Cas has none.
    fill_final_evaluation(
        path_of(out, first, manifest, "994001", "eindevaluatie"),
        "voortgezet",
        "24-06-2027",
        progress="Lukt bijna elke week; blijft een doel.",
    )
    fill_final_evaluation(
        path_of(out, first, manifest, "994002", "eindevaluatie"), "beëindigd", "20 juni 2027"
    )
    manifest = run_year(intake, out, first, dt.date(2027, 6, 28))
    ayla, bram = entry(manifest, "994001"), entry(manifest, "994002")
    assert (ayla["fase"], ayla["besluit"]) == ("eindevaluatie gehouden", "voortzetten")
    assert (bram["besluit"], bram["eindevaluatie"]) == ("beëindigen", "2027-06-20")
    last_year = folder_digest(out / first)

    # The next school year: a new intake with none of them.
    new_intake = write_intake(
        tmp_path / "intake-2",
        {
            "nummer": "994004",
            "velden": {"Roepnaam": "Dina", "Achternaam": "Nieuw", "Tussenvoegsel": ""},
        },
    )
    # Ayla's new plan is signed in October; she is not in the new intake, her scan is hers.
    scan = signed_pdf(new_intake / "handtekeningen" / "994001.pdf", "Opnieuw getekend door Ayla")
    dated(scan, dt.date(2027, 10, 12))
    second = "2027-2028"
    manifest = run_year(new_intake, out, second, dt.date(2027, 9, 10))
    assert folder_digest(out / first) == last_year, "last year's folder was changed"

    numbers = {s["leerlingnummer"] for s in manifest["leerlingen"]}
    assert numbers == {"994001", "994003", "994004"}
    ayla = entry(manifest, "994001")
    assert ayla["vorig_plan"] == {"schooljaar": first}
    assert ayla["ondertekend"]["datum"] == "2027-10-12"
    assert "Opnieuw getekend door Ayla" in words_in(out / second / ayla["dossier"])
    assert ayla["route"] == "opp"
    assert ayla["deadlines"]["opp"] == "2027-10-15"
    kinds = {d["soort"] for d in ayla["documenten"]}
    assert {"opp", "ondertekeningsblad", "eindevaluatie"} <= kinds
    text = words_in(out / second / docs_of(manifest, "994001", "opp")[0]["pdf"])
    assert "schooljaar 2027-2028" in text
    assert "Diploma vmbo-kb, daarna mbo 3." in text
    for goal in GOALS:
        assert goal[1] in text
    assert "Terugblik op de doelen van 2026-2027" in text
    assert "Lukt bijna elke week; blijft een doel." in text
    assert "uiterlijk 15 oktober 2027" in text
    signatures = words_in(
        out / second / docs_of(manifest, "994001", "ondertekeningsblad")[0]["pdf"]
    )
    assert "Ayla Doorgaan" in signatures and "2027-2028" in signatures
    # The plan read back in its new year has last year's goals, ready to keep or change.
    assert [g["doel"] for g in ayla["doelen"]] == [g[1] for g in GOALS]

    # Bram's plan ended: on the BRON list with its end date.
    book = load_workbook(out / second / "bron-aanmelding.xlsx")
    ended = list(book["Beëindigd"].iter_rows(values_only=True))
    header = list(ended[0])
    (row,) = [dict(zip(header, r, strict=True)) for r in ended[1:]]
    assert (row["Leerlingnummer"], row["Naam"]) == ("994002", "Bram Stoppen")
    assert row["Einddatum plan"] == dt.datetime(2027, 6, 20)
    assert "Einddatum: 20-06-2027" in row["Notitie voor SOMtoday"]

    # Cas's plan has no final evaluation: a problem on the worklist, and no new plan.
    cas = entry(manifest, "994003")
    assert cas["documenten"] == []
    sheet = load_workbook(out / second / "overzicht.xlsx")["Overzicht"]
    rows = list(sheet.iter_rows(values_only=True))
    by_number = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert "heeft geen eindevaluatie" in str(by_number["994003"]["Problemen"])
    # Nor on the BRON list or in the calendar until it is decided.
    bron = book["BRON-aanmelding"]
    assert "994003" not in {r[0] for r in bron.iter_rows(min_row=2, values_only=True)}
    assert "Cas Onbeslist" not in (out / second / "planning.ics").read_text("utf-8")
    assert "Ayla Doorgaan" in (out / second / "planning.ics").read_text("utf-8")
    # Dina is new: a plan of her own, not continued.
    assert entry(manifest, "994004")["vorig_plan"] is None
