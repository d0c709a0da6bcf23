"""Finding a table's header row and mapping its columns to the intake fields.

Exports put titles, dates and empty rows above the list; the header is the row among the
first ones that names the most fields. A column is recognised by its header or a synonym
(see `fields`); of two columns for one field the one with the field's own name wins. Some
OKR tools export the long form, one row per student and part, with the field's name in an
'Onderdeel' column and its value in a 'Waarde' column.
"""

from __future__ import annotations

from dataclasses import dataclass

from opp_docs.intake.fields import Field, HeaderMatch, header_key, match_header
from opp_docs.intake.tables import Table
from opp_docs.intake.values import show

# The header row is looked for among the first rows that hold anything.
HEADER_SEARCH_ROWS = 30
MIN_HEADER_FIELDS = 2


@dataclass
class Header:
    # Position of the header row in `Table.rows` (not its row number).
    position: int
    texts: tuple[str, ...]
    columns: dict[int, Field]
    unknown: list[str]
    ignored: list[str]
    # The long form's (Onderdeel, Waarde) columns: each row names its field in the first.
    pair: tuple[int, int] | None = None

    @property
    def read(self) -> list[int]:
        """The columns whose cells are read."""
        return [*self.columns, *(self.pair or ())]


# Headers of the long form, one row per student and factor, as some OKR tools export it.
_PART_HEADERS = frozenset(header_key(h) for h in ("Onderdeel", "Kenmerk", "Veld", "Rubriek"))
_VALUE_HEADERS = frozenset(header_key(h) for h in ("Waarde", "Antwoord", "Inhoud"))


def _long_pair(values: tuple[object, ...]) -> tuple[int, int] | None:
    keys = [header_key(v) if isinstance(v, str) else "" for v in values]
    part = next((i for i, k in enumerate(keys) if k in _PART_HEADERS), None)
    value = next((i for i, k in enumerate(keys) if k in _VALUE_HEADERS), None)
    return None if part is None or value is None else (part, value)


def find_header(table: Table, index: dict[str, HeaderMatch]) -> Header | None:
    """The row among the first ones that names the most fields (at least two); the long
    form's Onderdeel and Waarde count as two, so its header beats a data row that happens to
    hold two field names."""
    best: tuple[int, int] | None = None
    for position, (_, values) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        found = {
            m.field.key
            for v in values
            if isinstance(v, str) and (m := match_header(index, v)) is not None
        }
        score = len(found) + (2 if _long_pair(values) else 0)
        if score >= MIN_HEADER_FIELDS and (best is None or score > best[1]):
            best = (position, score)
    if best is None:
        return None
    values = table.rows[best[0]][1]
    texts = tuple(" ".join(show(v).split()) for v in values)
    pair = _long_pair(values)
    columns: dict[int, Field] = {}
    canonical: dict[str, bool] = {}
    unknown: list[str] = []
    ignored: list[str] = []
    for i, text in enumerate(texts):
        if pair and i in pair:
            continue
        match = match_header(index, text)
        if match is None:
            if text:
                unknown.append(text)
            continue
        key = match.field.key
        if key in canonical and (canonical[key] or not match.canonical):
            ignored.append(text)
            continue
        if key in canonical:
            old = next(c for c, f in columns.items() if f.key == key)
            ignored.append(texts[old])
            del columns[old]
        columns[i] = match.field
        canonical[key] = match.canonical
    return Header(best[0], texts, columns, unknown, ignored, pair)
