"""Each student's own counsellor (leerlingbegeleider): the intake's column when it names one,
else the rules of `opp-docs.toml` (`[leerlingbegeleiders]`: by class, then by year, then the
default; the old `[mensen] leerlingbegeleiders` list gives the default when none is set).

The documents, the overviews and each counsellor's own worklist and calendar take the name
from here, so that all of them name the same person.
"""

from __future__ import annotations

import re

from opp_docs.config import Config, klas_match_key
from opp_docs.models import Leerling


def leerjaar(klas: str) -> int | None:
    """The year of a class: its first number (1A, 2HV, H3A: 1, 2, 3); None without one."""
    found = re.search(r"\d+", klas)
    return int(found.group()) if found else None


def assign_counsellor(leerling: Leerling, config: Config) -> str:
    """The student's counsellor; empty when neither the intake nor a rule gives one."""
    if leerling.leerlingbegeleider:
        return leerling.leerlingbegeleider
    rules = config.begeleiding
    klas = klas_match_key(leerling.klas)
    if klas:
        for name, person in rules.klas.items():
            if klas_match_key(name) == klas:
                return person
        year = leerjaar(leerling.klas)
        if year is not None and year in rules.leerjaar:
            return rules.leerjaar[year]
    return config.standaard_leerlingbegeleider


def missing_counsellor(leerling: Leerling) -> str:
    """The worklist's problem for a student with a plan and no counsellor: the letter to the
    parents would name nobody."""
    klas = f"klas {leerling.klas}" if leerling.klas.strip() else "geen klas"
    return (
        f"Geen leerlingbegeleider bekend ({klas}): de documenten vragen nog om een naam. Vul "
        "in de intake de kolom 'Leerlingbegeleider' in, of geef in opp-docs.toml onder "
        "[leerlingbegeleiders] een leerlingbegeleider voor de klas, het leerjaar of als "
        "standaard, en draai opp-docs opnieuw."
    )
