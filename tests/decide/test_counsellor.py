"""Each student's counsellor: the intake's column, else the settings' rules by class, by year,
and the default."""

from __future__ import annotations

import datetime as dt

import pytest

from opp_docs.config import Config, CounsellorRules
from opp_docs.decide.counsellor import assign_counsellor, leerjaar, missing_counsellor
from opp_docs.models import Leerling

RULES = Config(
    leerlingbegeleiders=("mevr. Oud",),
    begeleiding=CounsellorRules(
        klas={"1A": "dhr. Eén-A", "2 hv": "mevr. Twee-HV"},
        leerjaar={1: "mevr. Brugklas", 2: "dhr. Tweede"},
        standaard="mevr. Standaard",
    ),
)


def student(klas: str, begeleider: str = "") -> Leerling:
    return Leerling(
        "990001", "Jansen", "Sem", dt.date(2013, 5, 3), klas=klas, leerlingbegeleider=begeleider
    )


@pytest.mark.parametrize(
    ("klas", "begeleider", "config", "expected"),
    [
        # The intake's column wins over every rule.
        ("1A", "dhr. Intake", RULES, "dhr. Intake"),
        # A class rule, matched without case or spaces.
        ("1A", "", RULES, "dhr. Eén-A"),
        ("1a", "", RULES, "dhr. Eén-A"),
        ("2HV", "", RULES, "mevr. Twee-HV"),
        # No rule for the class: its year, the class's first number.
        ("1B", "", RULES, "mevr. Brugklas"),
        ("H2C", "", RULES, "dhr. Tweede"),
        # No rule for the year, or no class at all: the default.
        ("3B", "", RULES, "mevr. Standaard"),
        ("", "", RULES, "mevr. Standaard"),
        # Without a default rule the old list's first name is the default.
        ("3B", "", Config(leerlingbegeleiders=("mevr. Oud", "dhr. Ook")), "mevr. Oud"),
        ("3B", "", Config(), ""),
    ],
)
def test_counsellor_by_intake_class_year_and_default(
    klas: str, begeleider: str, config: Config, expected: str
) -> None:
    assert assign_counsellor(student(klas, begeleider), config) == expected


@pytest.mark.parametrize(
    ("klas", "year"), [("1A", 1), ("2HV", 2), ("H3A", 3), ("10A", 10), ("PRO", None), ("", None)]
)
def test_the_year_is_the_first_number_of_the_class(klas: str, year: int | None) -> None:
    assert leerjaar(klas) == year


def test_the_missing_counsellor_says_what_to_do() -> None:
    message = missing_counsellor(student("1B"))
    assert "Geen leerlingbegeleider bekend (klas 1B)" in message
    assert "'Leerlingbegeleider'" in message and "[leerlingbegeleiders]" in message
    assert "(geen klas)" in missing_counsellor(student(""))
