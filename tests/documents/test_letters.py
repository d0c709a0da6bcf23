"""One letter per parents' address: who shares a letter, how the address is written, and what
the worklist says when an envelope cannot be addressed."""

from __future__ import annotations

from pathlib import Path

import pytest

from opp_docs.documents.letters import address_lines, address_problems, letter_values, letters
from opp_docs.models import Adres, Ouder
from tests.documents.students import leerling
from tests.intake_helpers import read, registration, write_xlsx

HOME = Adres("Kerkstraat", "12", "A", "3911 SA", "Rhenen")
OTHER = Adres("Molenweg", "3", "", "3921 SD", "Elst Ut")


def test_parents_at_one_address_share_one_letter() -> None:
    # The same front door however the street is spelt: postcode and number decide.
    spelt = Adres("Kerkstr.", "12", "a", "3911SA", "RHENEN")
    student = leerling(ouders=[Ouder("A. de Vries", adres=HOME), Ouder("M. Jansen", adres=spelt)])
    (letter,) = letters(student)
    assert letter.namen == ("A. de Vries", "M. Jansen")
    assert letter_values(letter)["adres"] == ["Kerkstraat 12 A", "3911 SA  RHENEN"]
    assert address_problems(student) == []


def test_parents_at_two_addresses_get_a_letter_each() -> None:
    student = leerling(ouders=[Ouder("A. de Vries", adres=HOME), Ouder("M. Jansen", adres=OTHER)])
    first, second = letters(student)
    assert (first.nummer, first.namen, first.adres) == (1, ("A. de Vries",), HOME)
    assert (second.nummer, second.namen, second.adres) == (2, ("M. Jansen",), OTHER)
    assert letter_values(second) == {
        "nummer": 2,
        "aan": ["M. Jansen"],
        "adres": ["Molenweg 3", "3921 SD  ELST UT"],
    }


def test_a_parent_without_an_address_lives_at_home() -> None:
    # The intake's plain address columns are the student's home address.
    student = leerling(ouders=[Ouder("A. de Vries"), Ouder("M. Jansen", adres=OTHER)])
    (letter,) = letters(student)
    assert letter.namen == ("A. de Vries", "M. Jansen")
    assert letter.adres == OTHER


def test_an_address_without_a_name_is_to_the_parents() -> None:
    (letter,) = letters(leerling(ouders=[Ouder("", adres=HOME)]))
    assert letter.namen == ()
    assert letter.adres == HOME


def test_no_address_is_a_worklist_problem_and_a_letter_without_one() -> None:
    student = leerling(ouders=[Ouder("A. de Vries")])
    (letter,) = letters(student)
    assert letter_values(letter) == {"nummer": 1, "aan": ["A. de Vries"], "adres": []}
    (problem,) = address_problems(student)
    assert problem.startswith("De informatiebrief heeft geen adres")
    assert "Straat, Huisnummer, Postcode en Woonplaats" in problem
    (no_parents,) = address_problems(leerling(ouders=[]))
    assert no_parents == problem


def test_an_incomplete_address_names_what_is_missing() -> None:
    student = leerling(
        ouders=[
            Ouder("A. de Vries", adres=HOME),
            Ouder("M. Jansen", adres=Adres("Molenweg"), nummer=2),
        ]
    )
    assert address_problems(student) == [
        "Het adres van ouder/verzorger 2 voor de informatiebrief is niet compleet: het "
        "huisnummer, de postcode en de woonplaats ontbreken. Vul het aan in de intake en draai "
        "'opp-docs dossiers' opnieuw."
    ]


@pytest.mark.parametrize(
    ("adres", "lines"),
    [
        (Adres("Kerkstraat 12", "", "", "3911 SA", "Rhenen"), ["Kerkstraat 12", "3911 SA  RHENEN"]),
        (
            Adres("Oude Veensteeg", "2", "-3", "", "Veenendaal"),
            ["Oude Veensteeg 2-3", "VEENENDAAL"],
        ),
        (Adres("", "", "", "3911 SA", ""), ["3911 SA"]),
    ],
)
def test_address_lines_as_postnl_asks(adres: Adres, lines: list[str]) -> None:
    assert address_lines(adres) == lines


def test_export_headers_of_somtoday_and_magister_are_read(tmp_path: Path) -> None:
    row = registration(
        "990301",
        **{
            "Verzorger 1": "A. de Vries",
            "Straat": "Kerkstraat",
            "Huisnr.": 12,
            "Huisnummertoevoeging": "a",
            "Postcode": "3911sa",
            "Plaats": "Rhenen",
            "Ouder 2": "M. Jansen",
            "Ouder 2 adres": "Molenweg 3",
            "Postcode ouder 2": "3921 sd",
            "Woonplaats ouder/verzorger 2": "Elst Ut",
        },
    )
    write_xlsx(tmp_path / "aanmeldingen.xlsx", [row])
    (student,) = read(tmp_path).leerlingen
    assert [o.adres for o in student.ouders] == [
        Adres("Kerkstraat", "12", "a", "3911 SA", "Rhenen"),
        Adres("Molenweg 3", "", "", "3921 SD", "Elst Ut"),
    ]
    assert [o.nummer for o in student.ouders] == [1, 2]
    assert [letter.nummer for letter in letters(student)] == [1, 2]
