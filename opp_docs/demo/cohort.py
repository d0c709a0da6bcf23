"""A fictional example cohort that covers every route, for `make demo` and the tests.

All names, numbers, schools and stories are invented. The student numbers start with 99, a range
the real administration does not hand out, so example data is recognisable anywhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from opp_docs.intake.fields import FIELDS, FIELDS_BY_KEY, FieldType
from opp_docs.models import SchoolYear

# The demo's fictional staff.
DEMO_TEAMLEIDER = "dhr. M. Vos"
DEMO_BEGELEIDER = "mevr. J. de Wit"
# The counsellor of class 1B, named in the registration's column Leerlingbegeleider; the
# others get DEMO_BEGELEIDER from the settings: two counsellors, each with a worklist and a
# calendar of their own.
DEMO_BEGELEIDER_1B = "dhr. R. Koster"

# The exports' columns are the intake fields' own headers (`intake.fields`): the registration's
# fields, and the OKR's behind the student number that joins them.
REGISTRATION_FIELDS = [f for f in FIELDS if f.registration]
OKR_FIELDS = [FIELDS_BY_KEY["leerlingnummer"], *(f for f in FIELDS if not f.registration)]


# What an example student may give besides intake fields: the parents as (naam, email,
# telefoon), their addresses as (straat, huisnummer, toevoeging, postcode, plaats) when not
# the one made up for every student, the three test levels, and whether the student was
# signalled during the year.
_EXTRAS = ("ouders", "adressen", "toets", "signaal")
# Made-up home addresses. PostNL never gives out the letters SA, SD and SS in a postcode, so
# no example address is anyone's front door.
_STREETS = ("Kerkstraat", "Molenweg", "Lindelaan", "Dorpsstraat", "Beukenlaan", "Graaf Florislaan")
_PLACES = (("3911", "Rhenen"), ("3901", "Veenendaal"), ("3921", "Elst Ut"))


def _home(i: int) -> tuple[str, str, str, str, str]:
    code, place = _PLACES[i % len(_PLACES)]
    return (_STREETS[i % len(_STREETS)], str(3 + i * 7 % 120), "", f"{code} S{'ADS'[i % 3]}", place)


_DEFAULTS = {"geslacht": "V", "schooladvies": "havo", "klas": "1A"}


def example_student(
    nummer: str, achternaam: str, roepnaam: str, leeftijd: int, **velden: Any
) -> dict[str, Any]:
    """One fictional student: what every example has, then any intake field by its key
    (`intake.fields`), or one of `_EXTRAS`."""
    unknown = set(velden) - set(FIELDS_BY_KEY) - set(_EXTRAS)
    if unknown:
        raise ValueError(f"geen intakeveld: {', '.join(sorted(unknown))}")
    given = {"leerlingnummer": nummer, "achternaam": achternaam, "roepnaam": roepnaam}
    return {"nummer": nummer, "leeftijd": leeftijd, "velden": _DEFAULTS | given | velden}


COHORT: list[dict[str, Any]] = [
    example_student(
        "990101",
        "Jansen",
        "Sem",
        12,
        geslacht="M",
        schooladvies="vmbo-tl/havo",
        ouders=(
            ("Anouk Jansen", "anouk.jansen@example.nl", "06-11111111"),
            ("Pieter Jansen", "pieter.jansen@example.nl", "06-22222222"),
        ),
        ondersteuningsniveau="zwaar",
        rt_momenten=12,
        ondersteuningsbehoefte="Heeft structuur en voorspelbaarheid nodig.\n"
        "Korte, duidelijke instructies; vaste plek in de klas.",
        bevorderende_factoren="Sterk in rekenen; behulpzaam; sport (voetbal) geeft energie.",
        belemmerende_factoren="Snel overprikkeld in drukke situaties; plant slecht.",
        sociaal_emotioneel="Trekt zich terug bij conflicten, heeft een vaste vriend nodig.",
        werkhouding="Begint moeilijk aan taken; werkt goed met een planner.",
        thuissituatie="Woont bij beide ouders; ouders zeer betrokken.",
        hulpverlening="Ambulant begeleider via het samenwerkingsverband.",
        toets=("1F", "1F", "2F"),
    ),
    example_student(
        "990102",
        "Bakker",
        "Noor",
        12,
        tussenvoegsel="de",
        schooladvies="havo/vwo",
        ouders=(("M. de Bakker-Smit", "m.debakker@example.nl", "06-33333333"),),
        ondersteuningsniveau="licht",
        rt_momenten=6,
        ondersteuningsbehoefte="Faalangst bij toetsen; heeft baat bij voorbereiding & uitleg.",
        bevorderende_factoren="Nieuwsgierig, leest veel.",
        belemmerende_factoren="Faalangst; perfectionisme.",
        toets=("2F", "2F", "1S"),
    ),
    example_student(
        "990103",
        "Visser",
        "Daan",
        12,
        geslacht="M",
        schooladvies="vmbo-kb",
        klas="1B",
        leerlingbegeleider=DEMO_BEGELEIDER_1B,
        ouders=(("J. Visser", "", "06-44444444"),),
        lwoo=True,
        zorg_gedrag=True,
        ondersteuningsniveau="zwaar",
        ondersteuningsbehoefte="Duidelijke grenzen; time-outplek.",
        belemmerende_factoren="Impulsief gedrag; conflicten in de pauze.",
        toets=("<1F", "1F", "1F"),
    ),
    example_student(
        "990104",
        "Smit",
        "Lotte",
        12,
        schooladvies="vmbo-bb",
        klas="1B",
        leerlingbegeleider=DEMO_BEGELEIDER_1B,
        ouders=(("K. Smit", "k.smit@example.nl", ""),),
        lwoo=True,
        rt_momenten=4,
        toets=("1F", "<1F", "1F"),
    ),
    example_student(
        "990105",
        "Meijer",
        "Finn",
        12,
        geslacht="M",
        schooladvies="pro",
        klas="1P",
        pro=True,
        tlv_mogelijk=True,
        ondersteuningsbehoefte="Veel herhaling; praktisch leren.",
        toets=("<1F", "<1F", "<1F"),
    ),
    example_student(
        "990106",
        "Mulder",
        "Emma",
        12,
        schooladvies="vwo",
        klas="1C",
        ouders=(("S. Mulder", "s.mulder@example.nl", "06-55555555"),),
        opp_po=True,
        ondersteuningsbehoefte="Had in groep 7-8 een OPP voor werkhouding.",
        toets=("2F", "1S", "1S"),
    ),
    example_student(
        "990107",
        "Boer",
        "Julia",
        12,
        tussenvoegsel="de",
        schooladvies="havo",
        klas="1A",
        ouders=(("T. de Boer", "t.deboer@example.nl", "06-66666666"),),
        dyslexie=True,
        rt_momenten=3,
        toets=("1F", "1F", "2F"),
    ),
    example_student(
        "990108",
        "Dekker",
        "Lucas",
        12,
        geslacht="M",
        schooladvies="vmbo-gt",
        klas="1B",
        leerlingbegeleider=DEMO_BEGELEIDER_1B,
        ouders=(("R. Dekker", "r.dekker@example.nl", ""),),
        rt_momenten=9,
        toets=("1F", "1F", "1F"),
    ),
    example_student(
        "990109",
        "Vries",
        "Yara",
        12,
        tussenvoegsel="van der",
        schooladvies="vmbo-tl",
        klas="1B",
        leerlingbegeleider=DEMO_BEGELEIDER_1B,
        ouders=(
            ("A. van der Vries", "a.vandervries@example.nl", "06-77777777"),
            ("B. El Amrani", "b.elamrani@example.nl", "06-88888888"),
        ),
        # The parents live apart: two letters.
        adressen=(
            ("Kerkstraat", "14", "A", "3911 SA", "Rhenen"),
            ("Oude Veensteeg", "2", "-3", "3901 SD", "Veenendaal"),
        ),
        rt_momenten=11,
        ondersteuningsbehoefte="Extra begeleiding bij begrijpend lezen.",
        toets=("<1F", "1F", "1F"),
    ),
    example_student(
        "990110",
        "Hendriks",
        "Milan",
        13,
        geslacht="M",
        schooladvies="havo",
        klas="2A",
        ouders=(("C. Hendriks", "c.hendriks@example.nl", "06-99999999"),),
        risico_vo=True,
        signaal=True,
        ondersteuningsbehoefte="Sinds de herfst veel verzuim; motivatie laag.",
        thuissituatie="Ouders gescheiden; woont afwisselend bij beide ouders.",
        toets=("2F", "1F", "1F"),
    ),
    example_student(
        "990111",
        "Peters",
        "Sophie",
        16,
        schooladvies="vmbo-gt",
        klas="3B",
        ouders=(("L. Peters", "l.peters@example.nl", "06-12121212"),),
        ondersteuningsniveau="licht",
        signaal=True,
        ondersteuningsbehoefte='Stressklachten rond examens ("het wordt me te veel").',
        toets=("2F", "2F", "1F"),
    ),
    example_student(
        "990112",
        "Yılmaz",
        "Elif",
        12,
        schooladvies="vmbo-kb/gt",
        klas="1B",
        leerlingbegeleider=DEMO_BEGELEIDER_1B,
        route="opp-light",
        ondersteuningsbehoefte="Taalachterstand Nederlands; extra woordenschatlessen.",
        toets=("<1F", "1F", "2F"),
    ),
    example_student(
        "990113",
        "Bos",
        "Thijs",
        12,
        geslacht="M",
        schooladvies="havo",
        klas="1C",
        ouders=(("E. Bos", "e.bos@example.nl", "06-13131313"),),
        ondersteuningsniveau="licht",
        route="basisondersteuning",
        toets=("2F", "2F", "2F"),
    ),
    example_student(
        "990114",
        "Willems",
        "Zoë",
        12,
        schooladvies="vmbo-tl/havo",
        klas="1A",
        ouders=(("F. Willems", "f.willems@example.nl", "06-14141414"),),
        toets=("2F", "1F", "2F"),
    ),
]


def _yes(value: Any) -> str:
    return "ja" if value else "nee"


def _values(student: dict[str, Any], i: int, start: dt.date) -> dict[str, Any]:
    """One example student's cells, by intake field."""
    velden = student["velden"]
    # Spread over the year; the modulo keeps large benchmark cohorts on real dates.
    birth = dt.date(start.year - student["leeftijd"] - 1, 1 + i % 12, 3 + i % 26)
    lezen, taal, rekenen = velden.get("toets", ("", "", ""))
    values: dict[str, Any] = {
        "geboortedatum": birth,
        "basisschool": f"Basisschool De {['Regenboog', 'Linde', 'Wilg'][i % 3]}",
        "tutor": ["mevr. Kok", "dhr. Aydın", "mevr. Prins"][i % 3],
        "aanmelddatum": dt.date(start.year, 3, 10 + i % 18),
        "toets_lezen": lezen,
        "toets_taalverzorging": taal,
        "toets_rekenen": rekenen,
        "signaaldatum": dt.date(start.year, 11, 2 + i % 27) if velden.get("signaal") else None,
    }
    ouders = [*velden.get("ouders", ()), ("", "", ""), ("", "", "")][:2]
    for n, (naam, email, telefoon) in enumerate(ouders, start=1):
        values |= {f"ouder{n}_naam": naam, f"ouder{n}_email": email, f"ouder{n}_telefoon": telefoon}
    for n, adres in enumerate(velden.get("adressen", (_home(i),)), start=1):
        parts = ("straat", "huisnummer", "toevoeging", "postcode", "plaats")
        values |= {f"ouder{n}_{part}": value for part, value in zip(parts, adres, strict=True)}
    for f in FIELDS:
        if f.key in velden:
            values[f.key] = velden[f.key]
        if f.type is FieldType.YES_NO:
            values[f.key] = _yes(values.get(f.key))
        elif f.key not in values:
            values[f.key] = None if f.type is FieldType.WHOLE_NUMBER else ""
    return values


def write_example_intake(
    folder: Path, schooljaar: SchoolYear, cohort: list[dict[str, Any]] = COHORT
) -> list[Path]:
    """Write a cohort (of `example_student`s) as two exports, registrations and OKR data."""
    folder.mkdir(parents=True, exist_ok=True)
    start = schooljaar.first_day
    registrations = Workbook()
    sheet = registrations.active
    sheet.title = "Aanmeldingen"
    sheet.append([f.header for f in REGISTRATION_FIELDS])
    okr_book = Workbook()
    okr_sheet = okr_book.active
    okr_sheet.title = "OKR"
    # Exports often carry a title and a blank row above the header.
    okr_sheet.append([f"Overdrachtsgegevens basisscholen {schooljaar}"])
    okr_sheet.append([])
    okr_sheet.append([f.header for f in OKR_FIELDS])
    for i, s in enumerate(cohort):
        values = _values(s, i, start)
        sheet.append([values.get(f.key) for f in REGISTRATION_FIELDS])
        okr_sheet.append([values.get(f.key) for f in OKR_FIELDS])
    for ws in (registrations.active, okr_sheet):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD-MM-YYYY"
    paths = [folder / "aanmeldingen.xlsx", folder / "okr-gegevens.xlsx"]
    registrations.save(paths[0])
    okr_book.save(paths[1])
    return paths
