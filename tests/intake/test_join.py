from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from opp_docs.config import Config
from opp_docs.decide.routing import propose_route
from opp_docs.intake.fields import FIELDS
from opp_docs.models import Leerling, Route
from opp_docs.pipeline.plan import run_check
from tests.intake_helpers import (
    YEAR,
    problem_rows,
    read,
    registration,
    report_rows,
    write_csv,
    write_xlsx,
)


def test_required_field_missing(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration("1", Schooladvies=None)])
    result = read(tmp_path)
    [problem] = result.problems
    assert problem.column == "Schooladvies"
    assert "ontbreekt" in problem.problem


def test_row_without_number_is_matched_on_name_and_birth_date(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration("012345")])
    write_csv(
        tmp_path / "okr.csv",
        [
            {
                "Achternaam": "vries",
                "Roepnaam": "Sanne",
                "Geboortedatum": "03-05-2014",
                "Werkhouding": "Goed",
            }
        ],
    )
    result = read(tmp_path)
    [sanne] = result.leerlingen
    assert sanne.werkhouding == "Goed"
    [note] = result.problems
    assert not note.blocking
    assert note.place.file == "okr.csv"
    assert "naam en geboortedatum gekoppeld" in note.problem


@pytest.mark.parametrize(
    ("achternaam", "tussenvoegsel", "in_okr"),
    [
        ("Bakker", "de", "de Bakker"),
        ("Bakker", "de", "DE BAKKER"),
        ("Bakker", "de", "Bakker, de"),
        ("Bakker", "de", "Bakker de"),
        ("Bakker", "de", "Bakker"),  # the OKR left the tussenvoegsel out, as before
        ("Berg", "van den", "Berg, van den"),
        ("Berg", "van den", "Berg van den"),
        ("Hart", "'t", "’t Hart"),
        ("Brée", "de", "de Bree"),
        ("de Bakker", None, "Bakker, de"),
    ],
)
def test_okr_row_without_number_matches_whatever_the_tussenvoegsel_order(
    tmp_path: Path, achternaam: str, tussenvoegsel: str | None, in_okr: str
) -> None:
    write_xlsx(
        tmp_path / "aanmeldingen.xlsx",
        [
            registration(
                "990101", Achternaam=achternaam, Tussenvoegsel=tussenvoegsel, Roepnaam="Daan"
            ),
            registration("990102", Achternaam="Bakker", Tussenvoegsel=None, Roepnaam="Bo"),
        ],
    )
    write_xlsx(
        tmp_path / "okr.xlsx",
        [
            {
                "Achternaam": in_okr,
                "Roepnaam": "Daan",
                "Geboortedatum": dt.date(2014, 5, 3),
                "Ondersteuningsniveau": "zwaar",
            }
        ],
    )
    result = read(tmp_path)
    daan = next(s for s in result.leerlingen if s.leerlingnummer == "990101")
    assert daan.ondersteuningsniveau == "zwaar"
    assert daan.naam == " ".join(p for p in ("Daan", tussenvoegsel, achternaam) if p)
    assert propose_route(daan, Config()).route is Route.OPP
    [note] = result.problems
    assert (note.place.file, note.blocking, note.leerlingnummer) == ("okr.xlsx", False, "990101")
    assert note.problem == (
        "Deze rij heeft geen leerlingnummer en is op naam en geboortedatum gekoppeld aan "
        "leerling 990101."
    )


def test_surname_with_tussenvoegsel_in_front_is_no_second_child(tmp_path: Path) -> None:
    # The OKR's file sorts first, so its 'de Bakker' is met before the registration's 'Bakker'.
    write_xlsx(tmp_path / "a-okr.xlsx", [{"Leerlingnummer": "990101", "Achternaam": "de Bakker"}])
    write_xlsx(
        tmp_path / "b-aanmeldingen.xlsx",
        [registration("990101", Achternaam="Bakker", Tussenvoegsel="de", Roepnaam="Daan")],
    )
    result = read(tmp_path)
    assert result.problems == []
    [daan] = result.leerlingen
    assert (daan.naam, daan.achternaam) == ("Daan de Bakker", "Bakker")


def test_okr_row_that_matches_nobody_stays_a_visible_problem(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "aanmeldingen.xlsx",
        [registration("990101", Achternaam="Bakker", Tussenvoegsel="de", Roepnaam="Daan")],
    )
    write_xlsx(
        tmp_path / "okr.xlsx",
        [
            {
                "Achternaam": "de Backer",
                "Roepnaam": "Daan",
                "Geboortedatum": dt.date(2014, 5, 3),
                "Ondersteuningsniveau": "zwaar",
            }
        ],
    )
    summary = run_check(tmp_path, tmp_path / "uit", YEAR, Config())
    assert summary.intake_problems == 1
    [problem] = summary.intake.problems
    assert str(problem) == (
        "okr.xlsx, blad 'Blad1', rij 2, kolom 'Leerlingnummer': Deze rij heeft geen (geldig) "
        "leerlingnummer en er is geen aangemelde leerling met deze naam en geboortedatum. "
        "Vul het leerlingnummer in zoals het in de leerlingadministratie staat."
    )
    assert problem.blocking
    rows = problem_rows(summary.intake_report)
    assert [row[:4] + row[8:] for row in rows] == [("okr.xlsx", "Blad1", 2, "Leerlingnummer", "ja")]


def test_conflicts_are_reported_with_both_places(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration("1"), registration("2", Roepnaam="Bo")])
    write_csv(
        tmp_path / "b.csv",
        [
            {"Leerlingnummer": "1", "Klas": "1A", "Schooladvies": "havo"},
            {"Leerlingnummer": "2", "Roepnaam": "Ed", "Achternaam": "Vries"},
            {"Leerlingnummer": "3", "Werkhouding": "Goed"},
        ],
    )
    result = read(tmp_path)
    problems = [p for p in result.problems if p.blocking]
    advies = [p for p in problems if p.column == "Schooladvies"]
    assert {p.place.file for p in advies} == {"a.xlsx", "b.csv"}
    assert all("'havo'" in p.problem and "'vmbo-kb'" in p.problem for p in advies)
    twee = [p for p in problems if p.leerlingnummer == "2"]
    assert twee and all("twee verschillende kinderen" in p.problem for p in twee)
    drie = [p for p in problems if p.leerlingnummer == "3"]
    assert drie and "geen enkele aanmeldlijst" in drie[0].problem
    assert result.blocked() == {"1", "2", "3"}
    assert [s.leerlingnummer for s in result.leerlingen] == ["2", "1"]  # Bo, Sanne


def test_same_child_with_two_birth_dates_is_a_data_conflict(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "aanmeldingen.xlsx",
        [registration("990101"), registration("990102", Roepnaam="Bo")],
    )
    write_csv(
        tmp_path / "somtoday.csv",
        [
            # The same child (number and name), another birth date: one of the two is wrong.
            registration("990101", Geboortedatum="4-5-2014"),
            # Another name and another birth date: the number is used for two children.
            registration("990102", Roepnaam="Ed", Geboortedatum="4-5-2014"),
        ],
    )
    result = read(tmp_path)
    assert result.blocked() == {"990101", "990102"}
    sanne = [str(p) for p in result.problems if p.leerlingnummer == "990101"]
    assert sanne == [
        "aanmeldingen.xlsx, blad 'Blad1', rij 2, kolom 'Geboortedatum': De twee bestanden geven "
        "leerling 990101 (zelfde nummer en naam) een andere geboortedatum: hier '3-5-2014', in "
        "somtoday.csv, rij 2 '4-5-2014'. Zoek uit welke geboortedatum klopt en verbeter de "
        "verkeerde in het bestand of in de administratie waar het vandaan komt.",
        "somtoday.csv, rij 2, kolom 'Geboortedatum': De twee bestanden geven leerling 990101 "
        "(zelfde nummer en naam) een andere geboortedatum: hier '4-5-2014', in "
        "aanmeldingen.xlsx, blad 'Blad1', rij 2 '3-5-2014'. Zoek uit welke geboortedatum klopt "
        "en verbeter de verkeerde in het bestand of in de administratie waar het vandaan komt.",
    ]
    bo = [p for p in result.problems if p.leerlingnummer == "990102"]
    assert {p.column for p in bo} == {"Roepnaam", "Geboortedatum"}
    assert all("twee verschillende kinderen" in p.problem for p in bo)
    assert all("verbeter het nummer van het andere kind" in p.fix for p in bo)
    rows = report_rows(result, tmp_path / "uit")
    assert [row[:5] for row in rows if row[7] == "990101"] == [
        ("aanmeldingen.xlsx", "Blad1", 2, "Geboortedatum", "3-5-2014"),
        ("somtoday.csv", None, 2, "Geboortedatum", "4-5-2014"),
    ]


def test_every_leerling_attribute_comes_from_an_intake_field() -> None:
    # The Leerling is built field by field: a field without an attribute, or an attribute
    # without a field, would be lost silently.
    from_fields = {
        "route_besluit" if f.key == "route" else f.key
        for f in FIELDS
        if not f.key.startswith(("ouder1_", "ouder2_"))
    }
    assert from_fields == {a.name for a in dataclasses.fields(Leerling)} - {"ouders", "places"}
