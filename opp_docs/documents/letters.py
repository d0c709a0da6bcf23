"""The parents' letters of one student: one letter per postal address.

Parents at one address get one letter, addressed to both; a parent at another address gets a
letter of their own, and both go into the dossier. A parent without an address of their own
lives at the student's home address, the first one the intake gives (its plain columns
'Straat', 'Woonplaats', … are ouder 1's, see intake-format.md). Two addresses are the same
when postcode and house number are: in the Netherlands those two name one front door, however
the street is spelt.

The address is written as PostNL asks for a printed address: no empty lines, a space inside the
postcode, two spaces between postcode and place, the place in capitals ("3911 AB  RHENEN").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from opp_docs.intake.values import fold
from opp_docs.models import Adres, Leerling


@dataclass(frozen=True)
class Letter:
    """One letter: its number (1 for the home address), who it is to, and where it goes
    (None: the intake gives no address, the letter holds a prompt)."""

    nummer: int
    namen: tuple[str, ...]
    adres: Adres | None


def letters(leerling: Leerling) -> list[Letter]:
    """The student's letters, the home address first; always at least one."""
    keys: list[str] = []
    addresses: list[Adres] = []
    names: list[list[str]] = []
    homeless: list[str] = []
    for ouder in leerling.ouders:
        if ouder.adres.empty:
            if ouder.naam:
                homeless.append(ouder.naam)
            continue
        key = address_key(ouder.adres)
        if key not in keys:
            keys.append(key)
            addresses.append(ouder.adres)
            names.append([])
        if ouder.naam:
            names[keys.index(key)].append(ouder.naam)
    if not addresses:
        return [Letter(1, tuple(homeless), None)]
    # The parents without an address of their own, in intake order with the others at home.
    home = [o.naam for o in leerling.ouders if o.naam and o.naam in homeless + names[0]]
    names[0] = home
    return [
        Letter(n, tuple(who), address)
        for n, (who, address) in enumerate(zip(names, addresses, strict=True), start=1)
    ]


def address_key(adres: Adres) -> str:
    """What makes two addresses one: postcode and house number, else the whole address."""
    postcode = _plain(adres.postcode)
    number = _plain(f"{adres.huisnummer}{adres.toevoeging}")
    if not adres.huisnummer:
        # "Kerkstraat 12 A" in one cell: the number is what follows the first digit.
        found = re.search(r"\d.*", adres.straat)
        number = _plain(f"{found.group() if found else ''}{adres.toevoeging}")
    if postcode and number:
        return f"{postcode}/{number}"
    return _plain(" ".join((adres.straat, adres.huisnummer, adres.toevoeging, adres.plaats)))


def _plain(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


def address_lines(adres: Adres) -> list[str]:
    """The address as the envelope shows it: street and number, then postcode and place."""
    number = adres.huisnummer
    if adres.toevoeging:
        # "12-2" and "12/3" as written; a letter or word after a space: "12 A".
        glue = "" if adres.toevoeging[0] in "-/" else " "
        number = f"{number}{glue}{adres.toevoeging}" if number else adres.toevoeging
    street = " ".join(p for p in (adres.straat, number) if p)
    place = "  ".join(p for p in (adres.postcode, adres.plaats.upper()) if p)
    return [line for line in (street, place) if line]


def letter_values(letter: Letter) -> dict[str, Any]:
    """What the letter's template gets as `brief`."""
    return {
        "nummer": letter.nummer,
        "aan": list(letter.namen),
        "adres": address_lines(letter.adres) if letter.adres is not None else [],
    }


def address_problems(leerling: Leerling) -> list[str]:
    """What keeps a letter out of an envelope, for the worklist; the letter renders anyway."""
    if all(o.adres.empty for o in leerling.ouders):
        return [
            "De informatiebrief heeft geen adres: de intake geeft geen adres van de ouders/"
            "verzorgers. Vul straat, huisnummer, postcode en woonplaats in (kolommen Straat, "
            "Huisnummer, Postcode en Woonplaats) en draai 'opp-docs dossiers' opnieuw; tot dan "
            "staat in de brief een invulinstructie waar het adres hoort."
        ]
    problems = []
    for ouder in leerling.ouders:
        missing = ouder.adres.missing()
        if ouder.adres.empty or not missing:
            continue
        what = " en ".join((", ".join(missing[:-1]), missing[-1])) if missing[1:] else missing[0]
        verb = "ontbreken" if missing[1:] else "ontbreekt"
        problems.append(
            f"Het adres van ouder/verzorger {ouder.nummer} voor de informatiebrief is niet "
            f"compleet: {what} {verb}. Vul het aan in de intake en draai 'opp-docs dossiers' "
            "opnieuw."
        )
    return problems
