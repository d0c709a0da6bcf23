"""Dutch formatting of dates and values, as a school writes them."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date


def datum(day: dt.date | None) -> str:
    """'3 mei 2014' (CLDR's Dutch month names via babel)."""
    if day is None:
        return ""
    return format_date(day, "d MMMM y", locale="nl")


def ja_nee(value: bool) -> str:
    return "ja" if value else "nee"


def age_on(birth: dt.date, day: dt.date) -> int:
    before_birthday = (day.month, day.day) < (birth.month, birth.day)
    return day.year - birth.year - int(before_birthday)
