"""The joined file's PDF cut back into one PDF per document (`split_pdf`).

LibreOffice converted several documents as one file (see `join`); each document must still get
the PDF it would have had alone: its own pages, bookmarks, fonts, language and document
information. The bookmarks `join` put at each document's start and end, exported as named
destinations, say where to cut; when they do not agree with the pages, nothing is written and
the documents are converted one by one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from pikepdf import Name

from opp_docs.files import atomic_path
from opp_docs.pdf.join import END, START, JoinRefused, Metadata
from opp_docs.pdf.outline import link_outline, outline_of_pages, page_of, read_outline

# Why a joined PDF was not cut (counted by the pool, shown with --verbose).
NO_START = "begin van een document niet gevonden in de PDF"
OTHER_LAYOUT = "andere bladindeling dan los"


def split_pdf(merged: Path, targets: Sequence[Path], infos: Sequence[Metadata]) -> None:
    """Cut the joined PDF into one PDF per part (written atomically), each with its own
    bookmarks and document information. Raises JoinRefused (nothing written) when the PDF does
    not say where every part starts, or its parts are not laid out as they would be alone.

    pikepdf (qpdf) rather than pypdf: pypdf spends some 60 ms of Python per student on this,
    qpdf a fifth of that, and a run splits hundreds of them."""
    with pikepdf.open(merged) as pdf:
        index = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        named = _named_destinations(pdf)
        starts: list[int] = []
        lasts: list[int | None] = []
        for k in range(len(targets)):
            page = page_of(named.get(START.format(k)), index)
            if page is None:
                raise JoinRefused(NO_START)
            starts.append(page)
            lasts.append(page_of(named.get(END.format(k)), index))
        ends = [*starts[1:], len(pdf.pages)]
        # Each document must start where the previous one ended, on a page of its own, and end
        # on its own last page: anything else means the joined layout differs from the single
        # one (the files are then converted one by one).
        if starts[0] != 0 or any(
            last != end - 1 or end <= start
            for start, last, end in zip(starts, lasts, ends, strict=True)
        ):
            raise JoinRefused(OTHER_LAYOUT)
        entries = read_outline(pdf.Root.get(Name.Outlines), index)
        made = pdf.docinfo
        # What LibreOffice gives a PDF of its own, minus what came from the joined file.
        common = {k: str(made[k]) for k in ("/Producer", "/CreationDate") if k in made}
        common["/Creator"] = "Writer"
        for target, info, start, end in zip(targets, infos, starts, ends, strict=True):
            with pikepdf.new() as part:
                part.pages.extend(pdf.pages[start:end])
                for part_page in part.pages:
                    _drop_internal_links(part_page)
                _keep_own_fonts(part)
                # As a single PDF: its language (for screen readers) and viewer settings.
                if "/Lang" in pdf.Root:
                    part.Root.Lang = pikepdf.String(str(pdf.Root.Lang))
                if isinstance(pdf.Root.get("/ViewerPreferences"), pikepdf.Dictionary):
                    preferences = pdf.Root.ViewerPreferences
                    part.Root.ViewerPreferences = pikepdf.Dictionary(
                        {key: preferences[key] for key in _names(preferences)}
                    )
                items = outline_of_pages(part, entries, start, end)
                if items:
                    root = part.make_indirect(pikepdf.Dictionary(Type=Name.Outlines))
                    link_outline(root, items)
                    part.Root.Outlines = root
                fields = {
                    "/Title": info.title,
                    "/Subject": info.subject,
                    "/Author": info.author,
                    "/Keywords": info.keywords,
                } | common
                # Set at once: every use of pikepdf's docinfo property costs a lookup.
                part.docinfo = part.make_indirect(
                    pikepdf.Dictionary(
                        {key: pikepdf.String(value) for key, value in fields.items() if value}
                    )
                )
                if "/PageMode" in pdf.Root:
                    part.Root.PageMode = pdf.Root.PageMode
                # To an open file: given a path, pikepdf writes a temporary file of its own.
                with atomic_path(target) as tmp, tmp.open("wb") as f:
                    part.save(f)


def _keep_own_fonts(part: pikepdf.Pdf) -> None:
    """LibreOffice gives all pages of the joined file one resource dictionary, so every PDF
    cut from it would carry the fonts of all the student's documents. Each page gets its own
    dictionary with only the fonts its text sets (the Tf operator). qpdf's
    remove_unreferenced_resources does this by parsing every content stream in full, some
    4 ms per document; a page that draws forms (which may use the page's fonts) is left as it
    is."""
    for page in part.pages:
        resources = page.obj.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        fonts, xobjects = resources.get("/Font"), resources.get("/XObject")
        if not isinstance(fonts, pikepdf.Dictionary):
            continue
        if isinstance(xobjects, pikepdf.Dictionary) and any(
            xobjects[name].get("/Subtype") == "/Form" for name in _names(xobjects)
        ):
            continue
        contents = page.obj.get("/Contents")
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        used = {
            f"/{name.decode('latin-1')}"
            for stream in streams
            if isinstance(stream, pikepdf.Stream)
            for name in _FONT_USE.findall(stream.read_bytes())
        }
        own = pikepdf.Dictionary({key: resources[key] for key in _names(resources)})
        own.Font = pikepdf.Dictionary({key: fonts[key] for key in _names(fonts) if key in used})
        page.obj.Resources = own


def _names(dictionary: pikepdf.Object) -> list[str]:
    # Through keys(): iterating a pikepdf object itself is untyped.
    names = dictionary.keys()
    return list(names)


# A font set in a content stream: "/F1 12 Tf".
_FONT_USE = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+[-+]?[\d.]+\s+Tf\b")


def _drop_internal_links(page: pikepdf.Page) -> None:
    """Remove the links LibreOffice puts on the page references ("van 3" links to the last
    page); a file with links of its own inside the document is never joined."""
    annotations = page.obj.get("/Annots")
    if not isinstance(annotations, pikepdf.Array):
        return
    kept = [a for a in annotations if not (a.get("/Subtype") == "/Link" and "/Dest" in a)]
    if len(kept) != len(annotations):
        if kept:
            page.obj.Annots = pikepdf.Array(kept)
        else:
            del page.obj["/Annots"]


def _named_destinations(pdf: pikepdf.Pdf) -> dict[str, object]:
    found: dict[str, object] = {}
    root = pdf.Root
    if "/Dests" in root:
        for name, value in root.Dests.items():
            found[name.lstrip("/")] = value
    if "/Names" in root and "/Dests" in root.Names:
        for name, value in pikepdf.NameTree(root.Names.Dests).items():
            found[str(name)] = value
    return found
