from __future__ import annotations

from pathlib import Path

from opp_docs.config import Config
from opp_docs.decide.routing import propose_route
from opp_docs.models import Route
from tests.intake_helpers import (
    read,
    registration,
    report_rows,
    write_csv,
    write_xlsx,
)


def long_okr(rows: list[tuple[str, str, object]], **names: str) -> list[dict[str, object]]:
    """An OKR in long form: one row per student and factor."""
    return [
        {"Leerlingnummer": nummer, **names, "Onderdeel": part, "Waarde": value}
        for nummer, part, value in rows
    ]


def test_okr_in_long_form_is_read_into_the_fields(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "aanmeldingen.xlsx",
        [registration("990101"), registration("990102", Roepnaam="Bo")],
    )
    write_xlsx(
        tmp_path / "okr.xlsx",
        long_okr(
            [
                ("990101", "Ondersteuningsniveau", "zwaar"),
                # Two texts that are also headers: this data row must not become the header.
                ("990101", "Bevorderende factoren", "Werkhouding"),
                ("990101", "Eindtoets lezen", "2F"),
                ("990101", "TLV mogelijk", "ja"),
                ("990102", "werkhouding:", "Wisselend"),
                ("990102", "Aantal RT-momenten", 4),
            ]
        ),
    )
    result = read(tmp_path)
    assert result.problems == []
    assert result.notes == [
        "okr.xlsx, blad 'Blad1': in de lange vorm gelezen (per rij een onderdeel in kolom "
        "'Onderdeel' met zijn waarde in kolom 'Waarde')."
    ]
    bo, sanne = result.leerlingen
    assert (sanne.ondersteuningsniveau, sanne.bevorderende_factoren) == ("zwaar", "Werkhouding")
    assert (sanne.toets_lezen, sanne.tlv_mogelijk) == ("2F", True)
    assert (bo.werkhouding, bo.rt_momenten) == ("Wisselend", 4)
    assert propose_route(sanne, Config()).route is Route.OPP


def test_okr_in_long_form_with_names_and_a_school_synonym(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "aanmeldingen.xlsx", [registration("990101")])
    write_csv(
        tmp_path / "okr.csv",
        long_okr(
            [("990101", "Niveau", "licht"), ("990101", "Thuis", "Woont bij moeder.")],
            Achternaam="Vries",
            Roepnaam="Sanne",
        ),
    )
    config = Config(synoniemen={"thuissituatie": ("Thuis",), "ondersteuningsniveau": ("Niveau",)})
    result = read(tmp_path, config)
    assert result.problems == []
    [sanne] = result.leerlingen
    assert (sanne.ondersteuningsniveau, sanne.thuissituatie) == ("licht", "Woont bij moeder.")


def test_okr_in_long_form_refuses_what_it_cannot_place(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "aanmeldingen.xlsx",
        [registration("990101"), registration("990102", Roepnaam="Bo")],
    )
    write_xlsx(
        tmp_path / "okr.xlsx",
        long_okr(
            [
                ("990101", "Lievelingsvak", "gym"),
                ("990101", "Werkhouding", "Goed"),
                ("990102", "Ondersteuningsniveau", "heel zwaar"),
                ("990102", "", "Rustig"),
                ("990102", "Leerlingnummer", "990103"),
            ]
        ),
    )
    result = read(tmp_path)
    assert result.blocked() == {"990101", "990102"}
    assert [str(p) for p in result.problems] == [
        "okr.xlsx, blad 'Blad1', rij 2, kolom 'Onderdeel': Onderdeel 'Lievelingsvak' is geen "
        "veld van de intake; de waarde in kolom 'Waarde' is niet gelezen. Gebruik in kolom "
        "'Onderdeel' de naam van een veld, zoals 'Ondersteuningsniveau' of 'Werkhouding' (zie "
        "'opp-docs templates velden'), of voeg 'Lievelingsvak' als kolomnaam toe in de "
        "instellingen onder [kolommen].",
        "okr.xlsx, blad 'Blad1', rij 4, kolom 'Waarde': Ondersteuningsniveau 'heel zwaar' is "
        "onbekend. Vul basis, licht (meer dan basisondersteuning, niet ernstig) of zwaar "
        "(ernstig of hardnekkig) in.",
        "okr.xlsx, blad 'Blad1', rij 5, kolom 'Onderdeel': Bij de waarde 'Rustig' staat niet bij "
        "welk onderdeel hij hoort. Vul in kolom 'Onderdeel' de naam van het veld in, zoals "
        "'Werkhouding'.",
        "okr.xlsx, blad 'Blad1', rij 6, kolom 'Onderdeel': Onderdeel 'Leerlingnummer' staat "
        "ook als eigen kolom 'Leerlingnummer' in deze rij. Zet de waarde alleen in kolom "
        "'Leerlingnummer'.",
    ]
    assert [s.werkhouding for s in result.leerlingen] == ["", "Goed"]  # Bo, Sanne
    rows = report_rows(result, tmp_path / "uit")
    assert [row[:5] + row[7:] for row in rows] == [
        ("okr.xlsx", "Blad1", 2, "Onderdeel", "Lievelingsvak", "990101", "ja"),
        ("okr.xlsx", "Blad1", 4, "Waarde", "heel zwaar", "990102", "ja"),
        ("okr.xlsx", "Blad1", 5, "Onderdeel", None, "990102", "ja"),
        ("okr.xlsx", "Blad1", 6, "Onderdeel", "Leerlingnummer", "990102", "ja"),
    ]


def test_bad_cell_blocks_only_that_student(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "a.xlsx",
        [
            registration("1", Geboortedatum="31-02-2014"),
            registration("2", Roepnaam="Bo", LWOO="misschien"),
            registration("3", Roepnaam="Ed"),
        ],
    )
    result = read(tmp_path)
    assert result.blocked() == {"1", "2"}
    first, second = (p for p in result.problems if p.blocking)
    assert str(first) == (
        "a.xlsx, blad 'Blad1', rij 2, kolom 'Geboortedatum': Datum '31-02-2014' bestaat niet. "
        "Vul de geboortedatum in als dag-maand-jaar, bijvoorbeeld 3-5-2014."
    )
    assert (second.column, second.value, second.place.row) == ("LWOO", "misschien", 3)
    assert second.row_values[second.column_index] == "misschien"
    assert len(result.leerlingen) == 3


def test_birth_date_outside_age_window(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration("1", Geboortedatum="1-1-2020")])
    result = read(tmp_path)
    assert result.blocked() == {"1"}
    assert "6 jaar" in result.problems[0].problem
