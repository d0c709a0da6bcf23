"""Parsing intake dates: date cells, Excel serial numbers and Dutch date text.

Day before month, always ('3-5-2014' is 3 May), as a Dutch school writes it. A serial number
is read as Excel counts days (openpyxl's `from_excel`); eight digits as year-month-day, as
exports write a date as a number. A birth date is checked against the pupils' ages.
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import get_month_names
from openpyxl.utils.datetime import from_excel

from opp_docs.intake.values import ValueProblem, check_not_error, fold, is_empty, parse_text, show

# --- dates --------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _width in ("wide", "abbreviated"):
    for _number, _name in get_month_names(_width, locale="nl").items():
        _MONTHS[fold(_name).rstrip(".")] = _number
_MONTHS.update({"sept": 9, "mar": 3, "mrt": 3, "mei": 5, "okt": 10})

_NUMERIC_DATE = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{2,4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NAMED_DATE = re.compile(r"^(\d{1,2})\s*[-. ]?\s*([^\W\d_]+)\.?\s*[-. ]?\s*(\d{4})$")
# A trailing time, as CSV exports of date cells often carry: '01-03-2014 00:00'.
_TRAILING_TIME = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2})?$")

# Excel serials from 1 January 1910 to 31 December 2099: wider than any intake date needs, and
# clear of 1900, where Excel counts a 29 February that never was.
_SERIAL_MIN, _SERIAL_MAX = 3654, 73050


def _date_fix(what: str) -> str:
    return f"Vul {what} in als dag-maand-jaar, bijvoorbeeld 3-5-2014."


def _make_date(year: int, month: int, day: int, value: object, what: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(f"Datum '{show(value)}' bestaat niet.", _date_fix(what)) from None


def _from_number(number: float, value: object, what: str) -> dt.date:
    """An Excel serial, or the eight digits of year-month-day."""
    if number.is_integer() and 10_000_000 <= number <= 99_999_999:
        return _from_eight_digits(f"{int(number)}", value, what)
    if not _SERIAL_MIN <= number <= _SERIAL_MAX:
        raise ValueProblem(f"'{show(value)}' is geen datum.", _date_fix(what))
    return _serial_day(int(number))


def _serial_day(serial: int) -> dt.date:
    # Whole days only: openpyxl rounds a time to the millisecond, which would make a serial
    # just before midnight the next day; the date is the serial's whole part.
    day: dt.datetime = from_excel(serial)
    return day.date()


# The years of the serials' window; a year outside it is no intake date.
_FIRST_YEAR = _serial_day(_SERIAL_MIN).year
_LAST_YEAR = _serial_day(_SERIAL_MAX).year


def _from_eight_digits(digits: str, value: object, what: str) -> dt.date:
    """20140103: year-month-day without separators, as exports write a date as a number.
    Read as day-month-year the same digits would give a year before 1300, so a year in the
    window settles it. Day-month-year digits (15032014) are not read: typed as a number they
    lose the leading zero of days 1 to 9, so half of such a column could not be read anyway."""
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if _FIRST_YEAR <= year <= _LAST_YEAR:
        return _make_date(year, month, day, value, what)
    fix = _date_fix(what)
    if _is_intake_date(int(digits[4:]), int(digits[2:4]), int(digits[:2])):
        shown = f"{digits[:2]}-{digits[2:4]}-{digits[4:]}"
        fix = f"Typ {what} als dag-maand-jaar met streepjes: {shown}, als dat de bedoelde datum is."
    raise ValueProblem(f"In de cel staat het getal {digits}, geen datum.", fix)


def _is_intake_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return _FIRST_YEAR <= year <= _LAST_YEAR


def parse_date(value: object, what: str = "de datum") -> dt.date | None:
    """A date cell, an Excel serial number, or Dutch date text; day before month, always."""
    if is_empty(value):
        return None
    check_not_error(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool | dt.time | dt.timedelta):
        raise ValueProblem(f"'{show(value)}' is geen datum.", _date_fix(what))
    if isinstance(value, int | float):
        return _from_number(float(value), value, what)
    text = _TRAILING_TIME.sub("", parse_text(value))
    if text.isdigit() and len(text) in (5, 8):
        return _from_number(float(text), value, what)
    match = _NUMERIC_DATE.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if len(match.group(3)) != 4:
            raise ValueProblem(
                f"In datum '{show(value)}' staat het jaar niet in vier cijfers.", _date_fix(what)
            )
        return _make_date(year, month, day, value, what)
    match = _ISO_DATE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _make_date(year, month, day, value, what)
    match = _NAMED_DATE.match(text)
    if match:
        month_number = _MONTHS.get(fold(match.group(2)).rstrip("."))
        if month_number is None:
            raise ValueProblem(
                f"In datum '{show(value)}' is '{match.group(2)}' geen maand.", _date_fix(what)
            )
        return _make_date(int(match.group(3)), month_number, int(match.group(1)), value, what)
    raise ValueProblem(f"'{show(value)}' is geen datum die te lezen is.", _date_fix(what))


def age_on(birth: dt.date, day: dt.date) -> int:
    """Age in whole years on `day`."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


MIN_AGE, MAX_AGE = 9, 21


def check_birth_date(birth: dt.date, first_day: dt.date) -> dt.date:
    """A student is 9 to 21 years old at the start of the school year; else the date is wrong."""
    age = age_on(birth, first_day)
    if not MIN_AGE <= age <= MAX_AGE:
        start = f"{first_day.day}-{first_day.month}-{first_day.year}"
        raise ValueProblem(
            f"Met geboortedatum {show(birth)} is de leerling {age} jaar op {start}; "
            f"dat kan niet (verwacht {MIN_AGE} tot en met {MAX_AGE}).",
            "Controleer de geboortedatum en vul hem in als dag-maand-jaar, bijvoorbeeld 3-5-2014.",
        )
    return birth
