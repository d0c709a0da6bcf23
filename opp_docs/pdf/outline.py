"""Bookmarks (a PDF's outline) read and written on the outline's own dictionaries.

Shared by the cut (each document's PDF keeps the bookmarks of its own pages) and the dossier
(each part's bookmarks go below the part's own). pikepdf's outline model reads and writes every
item in Python, which cost more than the rest of the dossier; these helpers touch only the
dictionaries they need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Dictionary, Name

# More top-level bookmarks than any real document has: a damaged outline that loops.
_MOST_BOOKMARKS = 10_000


def outline_items(outlines: object) -> list[Dictionary]:
    """The items directly below `outlines` (the outline's root or an item), in order."""
    found: list[Dictionary] = []
    seen: set[tuple[int, int]] = set()
    item = outlines.get(Name.First) if isinstance(outlines, Dictionary) else None
    # A damaged outline may loop back on itself.
    while isinstance(item, Dictionary) and (item.objgen == (0, 0) or item.objgen not in seen):
        seen.add(item.objgen)
        found.append(item)
        if len(found) > _MOST_BOOKMARKS:
            break
        item = item.get(Name.Next)
    return found


def link_outline(parent: Dictionary, children: list[Dictionary]) -> None:
    """Make `children` the (open) items below `parent` (the outline's root or an item), in
    this order."""
    for key in (Name.First, Name.Last, Name.Count):
        if key in parent:
            del parent[key]
    if not children:
        return
    visible = 0
    for i, child in enumerate(children):
        child.Parent = parent
        for key, neighbour in ((Name.Prev, i - 1), (Name.Next, i + 1)):
            if 0 <= neighbour < len(children):
                child[key] = children[neighbour]
            elif key in child:
                del child[key]
        count = child.get(Name.Count)
        visible += 1 + (int(count) if isinstance(count, int) and count > 0 else 0)
    parent.First, parent.Last = children[0], children[-1]
    parent.Count = visible


@dataclass
class Entry:
    """A bookmark as read from a PDF: its title, page number and place on the page, and the
    bookmarks below it."""

    title: str
    page: int
    # Where on the page: the rest of the destination array (/XYZ left top zoom).
    location: Sequence[object]
    children: list[Entry]


def page_of(destination: object, index: dict[tuple[int, int], int]) -> int | None:
    """The page number (by `index`: page object → number) a destination leads to, if any."""
    if isinstance(destination, pikepdf.Dictionary) and "/D" in destination:
        destination = destination.D
    if isinstance(destination, pikepdf.Array) and len(destination) > 0:
        target = destination[0]
        if isinstance(target, pikepdf.Dictionary):
            return index.get(target.objgen)
    return None


def read_outline(node: object, index: dict[tuple[int, int], int]) -> list[Entry]:
    """The bookmarks below `node` with their page numbers; read from the outline's
    dictionaries (pikepdf's outline model costs several times more)."""
    entries = []
    for item in outline_items(node):
        destination = item.get(Name.Dest)
        action = item.get(Name.A)
        if destination is None and isinstance(action, pikepdf.Dictionary):
            destination = action.get(Name.D)
        page = page_of(destination, index)
        if page is None:
            continue
        location = list(destination[1:]) if isinstance(destination, pikepdf.Array) else []
        title = str(item.get(Name.Title, ""))
        entries.append(Entry(title, page, location or [Name.Fit], read_outline(item, index)))
    return entries


def outline_of_pages(
    part: pikepdf.Pdf, entries: list[Entry], start: int, end: int
) -> list[pikepdf.Dictionary]:
    """The bookmarks of pages start..end as items of `part`, pointing at its own pages."""
    items = []
    for entry in entries:
        if not start <= entry.page < end:
            continue
        destination = pikepdf.Array([part.pages[entry.page - start].obj, *entry.location])
        item = part.make_indirect(
            pikepdf.Dictionary(Title=pikepdf.String(entry.title), Dest=destination)
        )
        link_outline(item, outline_of_pages(part, entry.children, start, end))
        items.append(item)
    return items
