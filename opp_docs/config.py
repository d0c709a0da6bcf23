"""The school's settings from `opp-docs.toml`, with the seed school's defaults."""

from __future__ import annotations

import datetime as dt
import struct
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image

from opp_docs.errors import ConfigError, ConfigFileMissingError

CONFIG_NAME = "opp-docs.toml"


@dataclass(frozen=True)
class MonthDay:
    month: int
    day: int

    def in_year(self, year: int) -> dt.date:
        return dt.date(year, self.month, self.day)


@dataclass(frozen=True)
class CounsellorRules:
    """Who a student's counsellor is when the intake names none (`[leerlingbegeleiders]`):
    by class, else by year, else the default. Applied in `decide.counsellor`."""

    # By class as the school writes it ("1A"); matched by `klas_match_key`.
    klas: dict[str, str] = field(default_factory=dict)
    # By year: the first number in the class name (1A, 2HV, H3A: 1, 2, 3).
    leerjaar: dict[int, str] = field(default_factory=dict)
    standaard: str = ""


def klas_match_key(klas: str) -> str:
    """A class name as rules match it: "1 a" and "1A" are one class."""
    return "".join(klas.split()).casefold()


@dataclass(frozen=True)
class Config:
    school_naam: str = "Revius Wijk"
    school_adres: str = "Gildestraat 20"
    school_postcode_plaats: str = "3961 DC Wijk bij Duurstede"
    school_telefoon: str = ""
    school_email: str = ""
    school_logo: Path | None = None
    teamleider: str = "teamleider B&O"
    # The old setting, `[mensen] leerlingbegeleiders`: its first name is the default
    # counsellor when `[leerlingbegeleiders] standaard` is not set.
    leerlingbegeleiders: tuple[str, ...] = ()
    begeleiding: CounsellorRules = field(default_factory=CounsellorRules)
    # Deadlines: the seed's dates and the school's chosen offsets.
    bron_datum: MonthDay = MonthDay(10, 1)
    opp_datum: MonthDay = MonthDay(10, 15)
    weken_na_signaal: int = 6
    # Documents made after the letter's deadline: the plan this many weeks after that day.
    weken_bij_late_start: int = 6
    dagen_tot_ondertekening: int = 14
    dagen_informatiebrief_voor_opp: int = 28
    tussenevaluatie: MonthDay = MonthDay(2, 1)
    eindevaluatie: MonthDay = MonthDay(7, 1)
    # Basic support: at most 8 sessions a year, with a small allowed overrun.
    basis_max_rt: int = 8
    basis_uitloop_rt: int = 2
    # Extra header synonyms per field key, e.g. {"leerlingnummer": ["Lln"]}.
    synoniemen: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Where the settings came from; not part of their value (nor of the rebuild digests).
    source: str = field(default="(standaardinstellingen)", compare=False, repr=False)

    @property
    def standaard_leerlingbegeleider(self) -> str:
        """The counsellor of a student whom neither the intake nor a rule gives one."""
        if self.begeleiding.standaard:
            return self.begeleiding.standaard
        return self.leerlingbegeleiders[0] if self.leerlingbegeleiders else ""


def load_config(path: Path | None, *, required: bool = True) -> Config:
    """Read the settings; no path gives the defaults. A named file that does not exist is an
    error unless `required` is False (the default location, which a school need not fill)."""
    if path is None:
        return Config()
    if not path.exists():
        if required:
            raise ConfigFileMissingError(file=str(path))
        return Config()
    name = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(
            file=name, key="(bestand)", problem=f"kan niet worden gelezen ({e.strerror})"
        ) from e
    except UnicodeDecodeError as e:
        raise ConfigError(file=name, key="(bestand)", problem="is geen UTF-8-tekst") from e
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(file=name, key="(bestand)", problem=f"is geen geldige TOML ({e})") from e
    return _from_dict(data, name)


# Every key the file may hold; a misspelt key must not silently fall back to a default.
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "school": ("naam", "adres", "postcode_plaats", "telefoon", "email", "logo"),
    "mensen": ("teamleider", "leerlingbegeleiders"),
    "leerlingbegeleiders": ("standaard", "klas", "leerjaar"),
    "deadlines": (
        "bron",
        "opp",
        "weken_na_signaal",
        "weken_bij_late_start",
        "dagen_tot_ondertekening",
        "dagen_informatiebrief_voor_opp",
        "tussenevaluatie",
        "eindevaluatie",
    ),
    "basisondersteuning": ("max_rt_momenten", "uitloop_rt_momenten"),
    "kolommen": (),  # keys are intake fields, checked by the intake reader
}


# The image kinds Word, LibreOffice and the Open XML validator all take as a picture.
LOGO_TYPES = frozenset({"image/png", "image/jpeg"})
_LOGO_FIX = "het pad naar een PNG- of JPEG-bestand, ten opzichte van opp-docs.toml"
# More than this is not a logo (and would be in every document of every student).
MAX_LOGO_BYTES = 5_000_000


def read_logo(path: Path, file: str) -> Image:
    """The school's logo (school.logo) as python-docx reads it; a ConfigError that names the
    setting and the fix when the file is missing, unreadable or not a PNG or JPEG image."""

    def fail(problem: str) -> ConfigError:
        return ConfigError(file=file, key="school.logo", problem=problem, allowed=_LOGO_FIX)

    try:
        if path.is_dir():
            raise fail(f"{path} is een map, geen bestand")
        if path.stat().st_size > MAX_LOGO_BYTES:
            raise fail(f"{path} is groter dan {MAX_LOGO_BYTES // 1_000_000} MB")
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise fail(f"het bestand {path} bestaat niet") from e
    except OSError as e:
        raise fail(f"het bestand {path} kan niet worden gelezen ({e.strerror})") from e
    try:
        image = Image.from_blob(data)
        if image.px_width <= 0 or image.px_height <= 0:
            raise ValueError("leeg")
    except (UnrecognizedImageError, ValueError, IndexError, struct.error) as e:
        raise fail(f"{path} is geen afbeelding die opp-docs kan lezen") from e
    if image.content_type not in LOGO_TYPES:
        raise fail(f"{path} is geen PNG of JPEG ({image.content_type})")
    return image


def _check_keys(data: dict[str, Any], name: str) -> None:
    for section, value in data.items():
        if section not in KNOWN_KEYS:
            raise ConfigError(
                file=name,
                key=section,
                problem="is onbekend (tikfout?)",
                allowed=", ".join(f"[{k}]" for k in KNOWN_KEYS),
            )
        if not isinstance(value, dict):
            raise ConfigError(file=name, key=section, problem="moet een tabel [..] zijn")
        if section == "kolommen":
            continue
        for key in value:
            if key not in KNOWN_KEYS[section]:
                raise ConfigError(
                    file=name,
                    key=f"{section}.{key}",
                    problem="is onbekend (tikfout?)",
                    allowed=", ".join(KNOWN_KEYS[section]),
                )


def _from_dict(data: dict[str, Any], name: str) -> Config:
    _check_keys(data, name)
    reader = _Reader(data, name)
    defaults = Config()
    logo = reader.text("school.logo", "")
    logo_path = (Path(name).parent / logo) if logo else None
    if logo_path is not None:
        read_logo(logo_path, name)  # a logo that cannot be used stops the run here, not later
    return Config(
        school_naam=reader.text("school.naam", defaults.school_naam),
        school_adres=reader.text("school.adres", defaults.school_adres),
        school_postcode_plaats=reader.text(
            "school.postcode_plaats", defaults.school_postcode_plaats
        ),
        school_telefoon=reader.text("school.telefoon", defaults.school_telefoon),
        school_email=reader.text("school.email", defaults.school_email),
        school_logo=logo_path,
        teamleider=reader.text("mensen.teamleider", defaults.teamleider),
        leerlingbegeleiders=reader.text_list("mensen.leerlingbegeleiders"),
        begeleiding=reader.counsellor_rules("leerlingbegeleiders"),
        bron_datum=reader.month_day("deadlines.bron", defaults.bron_datum),
        opp_datum=reader.month_day("deadlines.opp", defaults.opp_datum),
        weken_na_signaal=reader.whole(
            "deadlines.weken_na_signaal", defaults.weken_na_signaal, 1, 52
        ),
        weken_bij_late_start=reader.whole(
            "deadlines.weken_bij_late_start", defaults.weken_bij_late_start, 1, 52
        ),
        dagen_tot_ondertekening=reader.whole(
            "deadlines.dagen_tot_ondertekening", defaults.dagen_tot_ondertekening, 0, 120
        ),
        dagen_informatiebrief_voor_opp=reader.whole(
            "deadlines.dagen_informatiebrief_voor_opp",
            defaults.dagen_informatiebrief_voor_opp,
            0,
            120,
        ),
        tussenevaluatie=reader.month_day("deadlines.tussenevaluatie", defaults.tussenevaluatie),
        eindevaluatie=reader.month_day("deadlines.eindevaluatie", defaults.eindevaluatie),
        basis_max_rt=reader.whole(
            "basisondersteuning.max_rt_momenten", defaults.basis_max_rt, 0, 100
        ),
        basis_uitloop_rt=reader.whole(
            "basisondersteuning.uitloop_rt_momenten", defaults.basis_uitloop_rt, 0, 100
        ),
        synoniemen=reader.synonyms("kolommen"),
        source=name,
    )


class _Reader:
    """Typed access to nested TOML keys; every bad value names its dotted key."""

    def __init__(self, data: dict[str, Any], name: str) -> None:
        self.data = data
        self.name = name

    def _get(self, key: str) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        return node

    def _fail(self, key: str, problem: str, allowed: str) -> ConfigError:
        return ConfigError(file=self.name, key=key, problem=problem, allowed=allowed)

    def text(self, key: str, default: str) -> str:
        value = self._get(key)
        if value is None:
            return default
        if not isinstance(value, str):
            raise self._fail(key, f"'{value}' is geen tekst", "tekst tussen aanhalingstekens")
        return value.strip()

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self._get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self._fail(key, "is geen lijst van namen", '["Naam 1", "Naam 2"]')
        return tuple(v.strip() for v in value if v.strip())

    def whole(self, key: str, default: int, low: int, high: int) -> int:
        value = self._get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._fail(
                key, f"'{value}' kan niet", f"een heel getal van {low} tot en met {high}"
            )
        return value

    def month_day(self, key: str, default: MonthDay) -> MonthDay:
        value = self._get(key)
        if value is None:
            return default
        allowed = 'dag-maand als tekst, bijvoorbeeld "1-10" voor 1 oktober'
        if not isinstance(value, str):
            raise self._fail(key, f"'{value}' is geen datum", allowed)
        parts = value.strip().split("-")
        try:
            day, month = (int(p) for p in parts)
            dt.date(2024, month, day)  # a leap year, so 29-2 is allowed
        except ValueError as e:
            raise self._fail(key, f"'{value}' is geen geldige dag-maand", allowed) from e
        return MonthDay(month, day)

    def counsellor_rules(self, key: str) -> CounsellorRules:
        klas = self._names_by(f"{key}.klas", '"1A" = "mevr. J. de Wit"')
        seen: dict[str, str] = {}
        for name in klas:
            match = klas_match_key(name)
            if not match:
                raise self._fail(f"{key}.klas", "heeft een lege klasnaam", "een klas, zoals 1A")
            if match in seen:
                raise self._fail(
                    f"{key}.klas.{name}",
                    f"is dezelfde klas als '{seen[match]}'",
                    "elke klas één keer",
                )
            seen[match] = name
        leerjaar: dict[int, str] = {}
        for year, person in self._names_by(f"{key}.leerjaar", '1 = "mevr. J. de Wit"').items():
            if not year.strip().isdigit() or not 1 <= int(year) <= 10:
                raise self._fail(
                    f"{key}.leerjaar.{year}",
                    f"'{year}' is geen leerjaar",
                    'een heel getal van 1 tot en met 10, bijvoorbeeld 1 = "mevr. J. de Wit"',
                )
            leerjaar[int(year)] = person
        standaard = self.text(f"{key}.standaard", "")
        return CounsellorRules(klas=klas, leerjaar=leerjaar, standaard=standaard)

    def _names_by(self, key: str, example: str) -> dict[str, str]:
        """A table of names (a counsellor per class or year); every name must be text."""
        value = self._get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self._fail(key, "is geen tabel", f"[{key}] met regels als {example}")
        names: dict[str, str] = {}
        for which, name in value.items():
            if not isinstance(name, str) or not name.strip():
                raise self._fail(
                    f"{key}.{which}", "is geen naam", f"een naam tussen aanhalingstekens: {example}"
                )
            names[str(which).strip()] = name.strip()
        return names

    def synonyms(self, key: str) -> dict[str, tuple[str, ...]]:
        value = self._get(key)
        if value is None:
            return {}
        allowed = 'per veld een lijst, bijvoorbeeld leerlingnummer = ["Lln"]'
        if not isinstance(value, dict):
            raise self._fail(key, "is geen tabel", allowed)
        result: dict[str, tuple[str, ...]] = {}
        for field_key, names in value.items():
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise self._fail(f"{key}.{field_key}", "is geen lijst van kolomnamen", allowed)
            result[field_key] = tuple(names)
        return result
