"""Pure parsers for intake cell values (dates have their own module, `dates`).

Each parser takes a raw cell value (what openpyxl or the CSV reader gives: None, str, int,
float, bool, datetime, date or time) and returns the typed value, or None when the cell is
empty and the field has no default. A value that cannot be used raises `ValueProblem`,
carrying the problem and the fix in Dutch, ready for a school secretary.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from opp_docs.models import Route


class ValueProblem(ValueError):
    """Raised when a cell value cannot be used; `problem` and `fix` are Dutch sentences."""

    def __init__(self, problem: str, fix: str) -> None:
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem} {fix}")


# Spaces that Excel and web exports put in instead of a plain space.
_ODD_SPACES = str.maketrans(
    {"\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\ufeff": "", "\u200b": ""}
)

# Excel error values, English and Dutch, as they appear as cached formula results.
EXCEL_ERRORS = frozenset(
    {
        "#N/A",
        "#N/B",
        "#DIV/0!",
        "#DEEL/0!",
        "#REF!",
        "#VERW!",
        "#VALUE!",
        "#WAARDE!",
        "#NAME?",
        "#NAAM?",
        "#NUM!",
        "#GETAL!",
        "#NULL!",
        "#LEEG!",
        "#SPILL!",
        "#CALC!",
    }
)


def show(value: object) -> str:
    """The raw value as a secretary would see it in the cell, for messages and report copies."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return f"{value.day}-{value.month}-{value.year}"
        return f"{value.day}-{value.month}-{value.year} {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.day}-{value.month}-{value.year}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fold(text: str) -> str:
    """Lower case without accents and with odd spaces folded: for matching words, never storing."""
    if text.isascii():
        return text.casefold().strip()
    text = unicodedata.normalize("NFKD", text.translate(_ODD_SPACES))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold().strip()


def is_empty(value: object) -> bool:
    """Nothing in the cell, or only spaces (odd ones too)."""
    return value is None or (isinstance(value, str) and not value.translate(_ODD_SPACES).strip())


def check_not_error(value: object) -> None:
    """Refuse an Excel error value (#N/A, #WAARDE!): a formula that went wrong."""
    if (
        isinstance(value, str)
        and value.lstrip()[:1] == "#"
        and value.strip().upper() in EXCEL_ERRORS
    ):
        raise ValueProblem(
            f"De cel bevat de foutwaarde '{value.strip()}' van een formule.",
            "Herstel de formule of typ de waarde zelf in.",
        )


# --- text ---------------------------------------------------------------------------------

# Text that needs no cleaning: no outer or double spaces, odd spaces or line breaks, no '#'.
_ODD = "\u00a0\u2007\u202f\u2009\ufeff\u200b"
_PLAIN_TEXT = re.compile(rf"\A[^\s#{_ODD}]+(?: [^\s{_ODD}]+)*\Z")


def parse_text(value: object) -> str:
    """Trimmed text with odd spaces folded; line breaks and diacritics kept; never evaluated."""
    if value is None:
        return ""
    if isinstance(value, str) and _PLAIN_TEXT.match(value):
        return value
    check_not_error(value)
    if isinstance(value, dt.time) and not isinstance(value, dt.datetime):
        return value.strftime("%H:%M")
    text = show(value).translate(_ODD_SPACES).replace("\r\n", "\n").replace("\r", "\n")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(lines).strip()


# --- student number -----------------------------------------------------------------------

_EXCEL_TEXT_TRICK = re.compile(r'^="(\d+)"$')


def parse_digits(value: object, what: str = "het leerlingnummer") -> str | None:
    """Digits as text, leading zeros kept. Also takes `="0123"`, Excel's keep-the-zeros trick."""
    if is_empty(value):
        return None
    check_not_error(value)
    if isinstance(value, bool | dt.date | dt.time):
        raise ValueProblem(f"'{show(value)}' is geen nummer.", f"Vul {what} in als alleen cijfers.")
    if isinstance(value, float) and not value.is_integer():
        raise ValueProblem(
            f"'{show(value)}' is geen heel nummer.", f"Vul {what} in als alleen cijfers."
        )
    text = parse_text(value)
    trick = _EXCEL_TEXT_TRICK.match(text)
    if trick:
        text = trick.group(1)
    text = text.replace(" ", "")
    if not text.isascii() or not text.isdigit():
        raise ValueProblem(
            f"'{show(value)}' is geen nummer: er staan andere tekens dan cijfers in.",
            f"Vul {what} in als alleen cijfers, bijvoorbeeld 123456.",
        )
    return text


# --- yes/no -------------------------------------------------------------------------------

YES_WORDS = frozenset({"ja", "j", "yes", "y", "x", "1", "waar", "true", "wel"})
NO_WORDS = frozenset({"nee", "n", "no", "0", "onwaar", "false", "niet", "-"})


def parse_yes_no(value: object, what: str = "dit veld") -> bool | None:
    """Yes/no words, Excel booleans and 1/0; empty gives None (not given)."""
    if is_empty(value):
        return None
    check_not_error(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return value == 1
    word = fold(parse_text(value)).rstrip(".")
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise ValueProblem(
        f"'{show(value)}' is geen ja of nee.",
        f"Vul bij {what} 'ja' of 'nee' in (of laat de cel leeg voor nee).",
    )


# --- school level -------------------------------------------------------------------------

SCHOOL_LEVELS = ("pro", "vmbo-bb", "vmbo-kb", "vmbo-gl", "vmbo-tl", "havo", "vwo")
# Neighbours for a double advice; gl and tl are one rung.
_RUNG = {"pro": 0, "vmbo-bb": 1, "vmbo-kb": 2, "vmbo-gl": 3, "vmbo-tl": 3, "havo": 4, "vwo": 5}

_LEVEL_WORDS: dict[str, str] = {
    "pro": "pro",
    "praktijkonderwijs": "pro",
    "praktijk": "pro",
    "bb": "vmbo-bb",
    "b": "vmbo-bb",
    "basis": "vmbo-bb",
    "basisberoeps": "vmbo-bb",
    "basisberoepsgericht": "vmbo-bb",
    "basisberoepsgerichte": "vmbo-bb",
    "bbl": "vmbo-bb",
    "kb": "vmbo-kb",
    "k": "vmbo-kb",
    "kader": "vmbo-kb",
    "kaderberoeps": "vmbo-kb",
    "kaderberoepsgericht": "vmbo-kb",
    "kaderberoepsgerichte": "vmbo-kb",
    "kbl": "vmbo-kb",
    "gl": "vmbo-gl",
    "g": "vmbo-gl",
    "gemengd": "vmbo-gl",
    "gemengde": "vmbo-gl",
    "tl": "vmbo-tl",
    "t": "vmbo-tl",
    "gt": "vmbo-tl",
    "mavo": "vmbo-tl",
    "theoretisch": "vmbo-tl",
    "theoretische": "vmbo-tl",
    "havo": "havo",
    "h": "havo",
    "vwo": "vwo",
    "v": "vwo",
    "atheneum": "vwo",
    "gymnasium": "vwo",
    "gym": "vwo",
}
# Words that carry no level of their own.
_LEVEL_FILLER = frozenset(
    {
        "vmbo",
        "leerweg",
        "beroepsgerichte",
        "beroepsgericht",
        "advies",
        "of",
        "en",
        "lwoo",
        "met",
        "niveau",
        "schooladvies",
        "definitief",
        "tto",
    }
)
_LEVEL_FIX = (
    "Vul het schooladvies in als pro, vmbo-bb, vmbo-kb, vmbo-gl, vmbo-tl, havo of vwo, "
    "of een dubbel advies van twee naburige niveaus zoals vmbo-kb/tl of havo/vwo."
)


def format_level(levels: tuple[str, ...]) -> str:
    """'vmbo-kb', or a double advice 'vmbo-kb/tl', 'vmbo-tl/havo', 'havo/vwo'."""
    if len(levels) == 1:
        return levels[0]
    first, second = levels
    if first.startswith("vmbo-") and second.startswith("vmbo-"):
        second = second.removeprefix("vmbo-")
    return f"{first}/{second}"


def level_parts(advice: str) -> tuple[str, ...]:
    """The single levels of a normalised advice: 'vmbo-kb/tl' → ('vmbo-kb', 'vmbo-tl')."""
    first, _, second = advice.partition("/")
    if not second:
        return (first,)
    if first.startswith("vmbo-") and second not in SCHOOL_LEVELS:
        second = f"vmbo-{second}"
    return (first, second)


def parse_school_level(value: object, what: str = "het schooladvies") -> str | None:
    """A school level normalised to SCHOOL_LEVELS, or a double advice of two neighbours."""
    if is_empty(value):
        return None
    check_not_error(value)
    words = re.findall(r"[a-z]+", fold(parse_text(value)))
    levels: list[str] = []
    for word in words:
        if word in _LEVEL_FILLER:
            continue
        level = _LEVEL_WORDS.get(word)
        if level is None:
            raise ValueProblem(
                f"Schooladvies '{show(value)}' is onbekend: '{word}' is geen schoolniveau.",
                _LEVEL_FIX,
            )
        if level not in levels:
            levels.append(level)
    if not levels:
        raise ValueProblem(
            f"Schooladvies '{show(value)}' noemt geen leerweg of niveau.", _LEVEL_FIX
        )
    if len(levels) > 2:
        raise ValueProblem(f"Schooladvies '{show(value)}' noemt meer dan twee niveaus.", _LEVEL_FIX)
    levels.sort(key=lambda level: (_RUNG[level], SCHOOL_LEVELS.index(level)))
    if len(levels) == 2 and _RUNG[levels[1]] - _RUNG[levels[0]] > 1:
        raise ValueProblem(
            f"Schooladvies '{show(value)}' is een dubbel advies van twee niveaus die niet naast "
            "elkaar liggen.",
            _LEVEL_FIX,
        )
    return format_level(tuple(levels))


# --- numbers and short lists --------------------------------------------------------------


def parse_whole_number(
    value: object, what: str = "dit veld", low: int = 0, high: int = 1000
) -> int | None:
    """A whole number from `low` to `high`; '8,0' and 8.0 are fine, 8.5 is not."""
    if is_empty(value):
        return None
    check_not_error(value)
    fix = f"Vul bij {what} een heel getal in van {low} tot en met {high}, bijvoorbeeld 6."
    number: float
    if isinstance(value, bool | dt.date | dt.time):
        raise ValueProblem(f"'{show(value)}' is geen heel getal.", fix)
    if isinstance(value, int | float):
        number = value
    else:
        text = parse_text(value).replace(" ", "")
        if re.fullmatch(r"[+-]?\d+([.,]0+)?", text) is None:
            raise ValueProblem(f"'{show(value)}' is geen heel getal.", fix)
        digits = re.split(r"[.,]", text)[0]
        # Out of range by its length alone; int() refuses more than 4,300 digits anyway.
        if len(digits.lstrip("+-0")) > 9:
            raise ValueProblem(f"{show(value)[:20]}… ligt niet tussen {low} en {high}.", fix)
        number = int(digits)
    if not float(number).is_integer():
        raise ValueProblem(f"'{show(value)}' is geen heel getal.", fix)
    if not low <= number <= high:
        raise ValueProblem(f"{show(value)} ligt niet tussen {low} en {high}.", fix)
    return int(number)


REFERENTIENIVEAUS = ("<1F", "1F", "2F", "1S")
_REFERENTIE_WORDS = {
    "<1f": "<1F",
    "onder1f": "<1F",
    "lagerdan1f": "<1F",
    "niet1f": "<1F",
    "nogniet1f": "<1F",
    "1f": "1F",
    "2f": "2F",
    "1s": "1S",
    "2f+": "1S",
    "1s/2f": "1S",
    "2f/1s": "1S",
}


def parse_referentieniveau(value: object, what: str = "de toetsuitslag") -> str | None:
    """A reference level: <1F, 1F, 2F, or 1S (also written 2F+ or 1S/2F)."""
    if is_empty(value):
        return None
    check_not_error(value)
    key = fold(parse_text(value)).replace(" ", "").replace("niveau", "")
    level = _REFERENTIE_WORDS.get(key)
    if level is None:
        raise ValueProblem(
            f"'{show(value)}' is geen referentieniveau.",
            f"Vul bij {what} <1F, 1F, 2F of 1S (ook geschreven als 2F+) in.",
        )
    return level


def _choice(value: object, words: dict[str, str], problem: str, fix: str) -> str | None:
    if is_empty(value):
        return None
    check_not_error(value)
    key = re.sub(r"[\s_.]+", " ", fold(parse_text(value))).strip()
    found = words.get(key)
    if found is None:
        raise ValueProblem(problem.format(value=show(value)), fix)
    return found


_GESLACHT_WORDS = {
    "m": "M",
    "man": "M",
    "mannelijk": "M",
    "jongen": "M",
    "v": "V",
    "f": "V",
    "vrouw": "V",
    "vrouwelijk": "V",
    "meisje": "V",
    "x": "X",
    "o": "X",
    "anders": "X",
    "onbekend": "X",
    "neutraal": "X",
}


def parse_geslacht(value: object) -> str | None:
    """M, V or X."""
    return _choice(value, _GESLACHT_WORDS, "Geslacht '{value}' is onbekend.", "Vul M, V of X in.")


ONDERSTEUNINGSNIVEAUS = ("basis", "licht", "zwaar")
_NIVEAU_WORDS = {
    "basis": "basis",
    "basisondersteuning": "basis",
    "licht": "licht",
    "lichte ondersteuning": "licht",
    "opp light": "licht",
    "zwaar": "zwaar",
    "zware ondersteuning": "zwaar",
}


def parse_ondersteuningsniveau(value: object) -> str | None:
    """basis, licht or zwaar."""
    return _choice(
        value,
        _NIVEAU_WORDS,
        "Ondersteuningsniveau '{value}' is onbekend.",
        "Vul basis, licht (meer dan basisondersteuning, niet ernstig) of zwaar "
        "(ernstig of hardnekkig) in.",
    )


_ROUTE_WORDS: dict[str, str] = {}
for _route in Route:
    for _word in (_route.value, _route.label, _route.value.replace("-", " ")):
        _ROUTE_WORDS[re.sub(r"[\s_.-]+", " ", fold(_word)).strip()] = _route.value
_ROUTE_WORDS.update(
    {
        "opplight": "opp-light",
        "handelingsplan": "lwoo-handelingsplan",
        "lwoo": "lwoo-handelingsplan",
        "basis": "basisondersteuning",
        "rt": "basisondersteuning",
    }
)


def parse_route(value: object) -> Route | None:
    """One of the route names (or its label); a decision that overrides the proposal."""
    if is_empty(value):
        return None
    check_not_error(value)
    key = re.sub(r"[\s_.-]+", " ", fold(parse_text(value))).strip()
    found = _ROUTE_WORDS.get(key) or _ROUTE_WORDS.get(key.replace(" ", ""))
    if found is None:
        names = ", ".join(route.value for route in Route)
        raise ValueProblem(f"Route '{show(value)}' is onbekend.", f"Vul een van deze in: {names}.")
    return Route(found)


# --- contact details ----------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s;,<>]+@[^@\s;,<>]+\.[^@\s;,<>]{2,}$")


def parse_email(value: object, what: str = "het e-mailadres") -> str | None:
    """One or more e-mail addresses (separated by ; or ,), each checked for shape."""
    if is_empty(value):
        return None
    check_not_error(value)
    text = parse_text(value).removeprefix("mailto:")
    addresses = [a.strip() for a in re.split(r"[;,\s]+", text) if a.strip()]
    bad = [a for a in addresses if not _EMAIL.match(a)]
    if bad:
        raise ValueProblem(
            f"'{bad[0]}' is geen e-mailadres.",
            f"Vul {what} in zoals naam@voorbeeld.nl.",
        )
    return "; ".join(addresses)


# A Dutch postcode: four digits (no leading zero), two letters; written "1234 AB" (PostNL).
_POSTCODE = re.compile(r"([1-9]\d{3})\s*([a-zA-Z]{2})")


def parse_postcode(value: object) -> str | None:
    """A Dutch postcode written as PostNL asks ('3911ab' becomes '3911 AB'). Anything else is
    kept as typed: a parent abroad has a postcode of another shape."""
    if is_empty(value):
        return None
    check_not_error(value)
    text = parse_text(value)
    found = _POSTCODE.fullmatch(text)
    if found is None:
        return text or None
    return f"{found.group(1)} {found.group(2).upper()}"


def parse_phone(value: object, what: str = "het telefoonnummer") -> str | None:
    """A phone number as text; a number cell that lost its leading zero gets it back."""
    if is_empty(value):
        return None
    check_not_error(value)
    fix = f"Vul {what} in met alle cijfers, bijvoorbeeld 06-12345678."
    if isinstance(value, bool | dt.date | dt.time):
        raise ValueProblem(f"'{show(value)}' is geen telefoonnummer.", fix)
    if isinstance(value, int | float):
        if not float(value).is_integer():
            raise ValueProblem(f"'{show(value)}' is geen telefoonnummer.", fix)
        text = str(int(value))
        # Excel drops the leading zero of a Dutch number typed into a number cell.
        if len(text) == 9:
            text = "0" + text
    else:
        text = parse_text(value)
    digits = re.sub(r"\D", "", text)
    if re.fullmatch(r"[\d\s()+\-./]+", text) is None or not 10 <= len(digits) <= 15:
        raise ValueProblem(f"'{show(value)}' is geen telefoonnummer.", fix)
    return text
