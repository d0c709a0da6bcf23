"""Joining one student's rows over all intake files, and the conflicts between them.

Rows are joined on the leerlingnummer; a row without one (an OKR often has none) is matched on
surname, roepnaam and birth date, whichever order the tussenvoegsel was written in. Two files
that give one student different values are a conflict, reported at both places; a required
field that no file gives is reported once. Only a student whose rows agree can be built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from opp_docs.intake.fields import FIELDS, FIELDS_BY_KEY, Field, FieldType
from opp_docs.intake.rows import SourceRow
from opp_docs.intake.values import fold, show
from opp_docs.models import Adres, Leerling, Ouder, Place, Problem, Route

_IDENTITY = ("achternaam", "roepnaam", "geboortedatum")


def _same(a: object, b: object) -> bool:
    if a == b:
        return True
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(fold(a).split()) == " ".join(fold(b).split())
    return a == b


def _shown_value(value: object) -> str:
    return show(value) if not isinstance(value, Route) else value.value


def join_rows(rows: list[SourceRow]) -> tuple[list[Leerling], list[Problem]]:
    """The students of all rows, and every problem: the rows' own and those of joining."""
    problems: list[Problem] = []
    groups: dict[str, list[SourceRow]] = {}
    without: list[SourceRow] = []
    for row in rows:
        if row.nummer is not None:
            groups.setdefault(row.nummer, []).append(row)
        else:
            without.append(row)
    by_identity: dict[tuple[str, str, dt.date], set[str]] = {}
    for nummer, group in groups.items():
        for row in group:
            for identity in row.identities():
                by_identity.setdefault(identity, set()).add(nummer)
    for row in without:
        identities = row.identities()
        matches = sorted({n for i in identities for n in by_identity.get(i, ())})
        if len(matches) == 1:
            row.values["leerlingnummer"] = matches[0]
            groups[matches[0]].append(row)
            problems.append(
                row.problem(
                    "leerlingnummer",
                    f"Deze rij heeft geen leerlingnummer en is op naam en geboortedatum gekoppeld "
                    f"aan leerling {matches[0]}.",
                    "Controleer of dat klopt; vul anders het leerlingnummer in.",
                    blocking=False,
                )
            )
            row.problems = [replace(p, leerlingnummer=matches[0]) for p in row.problems]
        elif len(matches) > 1:
            problems.append(
                row.problem(
                    "leerlingnummer",
                    "Deze rij heeft geen leerlingnummer en naam en geboortedatum passen bij meer "
                    f"dan één leerling ({', '.join(matches)}).",
                    "Vul het leerlingnummer in.",
                )
            )
            problems.extend(row.problems)
        else:
            what = (
                "er is geen aangemelde leerling met deze naam en geboortedatum"
                if identities
                else "naam en geboortedatum zijn niet compleet om op te koppelen"
            )
            problems.append(
                row.problem(
                    "leerlingnummer",
                    f"Deze rij heeft geen (geldig) leerlingnummer en {what}.",
                    "Vul het leerlingnummer in zoals het in de leerlingadministratie staat.",
                )
            )
            problems.extend(row.problems)
    leerlingen: list[Leerling] = []
    for nummer, group in groups.items():
        for row in group:
            problems.extend(row.problems)
        leerling = _merge(nummer, group, problems)
        if leerling is not None:
            leerlingen.append(leerling)
    return leerlingen, problems


def _merge(nummer: str, group: list[SourceRow], problems: list[Problem]) -> Leerling | None:
    registered = [r for r in group if "achternaam" in r.values or "roepnaam" in r.values]
    if not registered:
        for row in group:
            problems.append(
                row.problem(
                    "leerlingnummer",
                    f"Leerling {nummer} staat in geen enkele aanmeldlijst (geen naam gevonden).",
                    "Controleer het leerlingnummer, of zet de aanmelding van deze leerling in de "
                    "intakemap.",
                )
            )
        return None
    failed_keys = {key for row in group for key in row.failed}
    merged: dict[str, object] = {}
    first: dict[str, SourceRow] = {}
    for row in group:
        for key, value in row.values.items():
            if key not in merged:
                merged[key], first[key] = value, row
                continue
            if _agree(key, row, first[key]):
                if (
                    key == "achternaam"
                    and "tussenvoegsel" in row.values
                    and "tussenvoegsel" not in first[key].values
                ):
                    # The surname of a row that splits off its tussenvoegsel, so that the
                    # letters do not write it twice ('de de Bakker').
                    merged[key], first[key] = value, row
                continue
            problems.append(_conflict(nummer, key, row, first[key]))
            problems.append(_conflict(nummer, key, first[key], row))
    anchor = registered[0]
    for f in FIELDS:
        if (
            f.required
            and f.key != "leerlingnummer"
            and f.key not in merged
            and f.key not in failed_keys
        ):
            problems.append(
                anchor.problem(
                    f.key,
                    f"{f.noun[0].upper()}{f.noun[1:]} van leerling {nummer} ontbreekt.",
                    f"Vul {f.noun} in, in kolom '{f.header}'.",
                )
            )
    return _leerling(nummer, merged, [r.place for r in group])


def _agree(key: str, a: SourceRow, b: SourceRow) -> bool:
    """Whether two rows give one value for `key`; 'de Bakker' is 'Bakker' with 'de'."""
    if _same(a.values[key], b.values[key]):
        return True
    return key == "achternaam" and bool(a.surnames() & b.surnames())


def _names_differ(a: SourceRow, b: SourceRow) -> bool:
    """Whether two rows name different children; a row without a name names no other child."""
    return any(
        key in a.values and key in b.values and not _agree(key, a, b)
        for key in ("achternaam", "roepnaam")
    )


def _conflict(nummer: str, key: str, here: SourceRow, there: SourceRow) -> Problem:
    """One side of a conflict, naming the other side's place and value."""
    value, other = here.values[key], there.values[key]
    both = f"hier '{_shown_value(value)}', in {there.place} '{_shown_value(other)}'"
    if key == "geboortedatum" and not _names_differ(here, there):
        # Same number, same name: one child, and one of the two files is wrong.
        return here.problem(
            key,
            f"De twee bestanden geven leerling {nummer} (zelfde nummer en naam) een andere "
            f"geboortedatum: {both}.",
            "Zoek uit welke geboortedatum klopt en verbeter de verkeerde in het bestand of in de "
            "administratie waar het vandaan komt.",
        )
    if key in _IDENTITY:
        return here.problem(
            key,
            f"Leerlingnummer {nummer} wordt voor twee verschillende kinderen gebruikt: {both}.",
            "Zoek uit welk kind dit nummer heeft en verbeter het nummer van het andere kind.",
        )
    return here.problem(
        key,
        f"Twee verschillende waarden voor {FIELDS_BY_KEY[key].noun}: {both}.",
        "Maak de waarden in beide bestanden gelijk, of maak er één leeg.",
    )


# The Leerling attribute of a field whose key is not its name.
_ATTRIBUTE = {"route": "route_besluit"}
# The type a field's parsed value has on the Leerling, and what it is when no file gave it;
# a field type not named here is text.
_ON_LEERLING: dict[FieldType, tuple[type, object]] = {
    FieldType.YES_NO: (bool, False),
    FieldType.DATE: (dt.date, None),
    FieldType.WHOLE_NUMBER: (int, None),
    FieldType.ROUTE: (Route, None),
}


def _is_parent(f: Field) -> bool:
    return f.key.startswith(("ouder1_", "ouder2_"))


def _leerling(nummer: str, values: dict[str, object], places: list[Place]) -> Leerling:
    """The student of the joined values, attribute by field: a new field needs no line here."""

    def text(key: str) -> str:
        value = values.get(key)
        return value if isinstance(value, str) else ""

    attributes: dict[str, Any] = {}
    for f in FIELDS:
        if _is_parent(f):
            continue
        kind, empty = _ON_LEERLING.get(f.type, (str, ""))
        value = values.get(f.key)
        attributes[_ATTRIBUTE.get(f.key, f.key)] = value if isinstance(value, kind) else empty
    attributes["leerlingnummer"] = nummer
    ouders = []
    for n in (1, 2):
        adres = Adres(
            straat=text(f"ouder{n}_straat"),
            huisnummer=text(f"ouder{n}_huisnummer"),
            toevoeging=text(f"ouder{n}_toevoeging"),
            postcode=text(f"ouder{n}_postcode"),
            plaats=text(f"ouder{n}_plaats"),
        )
        if text(f"ouder{n}_naam") or not adres.empty:
            ouders.append(
                Ouder(
                    naam=text(f"ouder{n}_naam"),
                    email=text(f"ouder{n}_email"),
                    telefoon=text(f"ouder{n}_telefoon"),
                    adres=adres,
                    nummer=n,
                )
            )
    return Leerling(**attributes, ouders=ouders, places=places)
