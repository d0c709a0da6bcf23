"""Bundle a student's PDFs into one dossier: cover page, the documents, the primary school's
report, a bookmark per part, and metadata."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Encryption, Name, Pdf, Permissions

from opp_docs.files import atomic_path
from opp_docs.pdf.outline import link_outline, outline_items

# What reading a PDF raises when it is damaged, locked with a password, or gone.
_UNREADABLE = (pikepdf.PdfError, pikepdf.PasswordError, OSError, ValueError)


@dataclass(frozen=True)
class Part:
    titel: str
    pdf: Path
    # Made by this run's LibreOffice (a document, the cover); a PDF from elsewhere, such as a
    # primary school's report, gets pikepdf's careful copy of its bookmarks and forms.
    ours: bool = True


@dataclass(frozen=True)
class DossierInfo:
    """What the dossier's document information says: shown by PDF readers, and read back by
    `dossier_student` to know a dossier of ours."""

    title: str
    school: str
    leerlingnummer: str


@dataclass(frozen=True)
class _Appended:
    """One PDF in the dossier: its bookmark's title, where it starts, its own top-level
    bookmarks as copied into the dossier (they go below its bookmark), its PDF version."""

    titel: str
    first_page: int
    bookmarks: list[Dictionary]
    version: str


def page_count(pdf: Path) -> int:
    with pikepdf.open(pdf) as doc:
        return len(doc.pages)


def contents_pages(parts: Sequence[Part], cover_pages: int = 1) -> list[dict[str, object]]:
    """The cover's table of contents: each part with the dossier page it starts on."""
    entries: list[dict[str, object]] = []
    page = cover_pages + 1
    for part in parts:
        entries.append({"titel": part.titel, "pagina": page})
        page += page_count(part.pdf)
    return entries


def build_dossier(
    cover: Path,
    parts: Sequence[Part],
    target: Path,
    *,
    info: DossierInfo,
    password: str | None = None,
) -> list[str]:
    """Write the dossier atomically; returns the titles of parts that could not be read.

    With a `password` the dossier is encrypted with AES-256, metadata included, for schools
    that send dossiers by mail."""
    skipped: list[str] = []
    # qpdf reads the pages' contents only while saving, so the sources stay open until then.
    with ExitStack() as sources, Pdf.new() as dossier:
        appended = [_append(dossier, Part("Voorblad", cover), sources)]
        for part in parts:
            try:
                appended.append(_append(dossier, part, sources))
            except _UNREADABLE:
                # A damaged report PDF from a primary school must not cost the whole dossier.
                skipped.append(part.titel)
        _nest_outlines(dossier, appended)
        dossier.docinfo = dossier.make_indirect(
            Dictionary(
                Title=info.title,
                Author=info.school,
                Subject=f"Leerlingnummer {info.leerlingnummer}",
                Keywords=f"OPP; vertrouwelijk; {info.leerlingnummer}",
                Creator="opp-docs",
            )
        )
        dossier.Root.PageMode = Name.UseOutlines
        encryption = None
        if password:
            # Every permission: the password keeps strangers out, not the school from printing.
            everything = Permissions(modify_assembly=True)
            encryption = Encryption(
                owner=password, user=password, R=6, aes=True, metadata=True, allow=everything
            )
        # To an open file, which keeps atomic_path's mode 0600: given a path, pikepdf would
        # write a temporary file of its own beside it.
        with atomic_path(target) as tmp, tmp.open("wb") as f:
            # A new Pdf says version 1.3, while the parts may use features of a later one.
            dossier.save(f, min_version=max(a.version for a in appended), encryption=encryption)
    return skipped


def dossier_student(pdf: Path, password: str | None = None) -> str | None:
    """The student number of a dossier opp-docs made (from its document information), or
    None when `pdf` is no dossier of ours or cannot be opened."""
    try:
        with pikepdf.open(pdf, password=password or "") as opened:
            info = opened.docinfo
            if str(info.get("/Creator", "")) != "opp-docs":
                return None
            subject = str(info.get("/Subject", ""))
    except (pikepdf.PdfError, OSError, ValueError):
        return None
    number = subject.removeprefix("Leerlingnummer ")
    return number if number != subject else None


def _append(dossier: Pdf, part: Part, sources: ExitStack) -> _Appended:
    """Append the pages of the part's PDF and copy its bookmarks."""
    source = sources.enter_context(pikepdf.open(part.pdf))
    if not source.pages:
        raise ValueError(f"{part.pdf} has no pages")  # nothing for its bookmark to lead to
    first_page = len(dossier.pages)
    try:
        if part.ours and _plain(source):
            for page in source.pages:
                dossier.pages.append(page)
            # After the pages, so the bookmarks' destinations are the pages just copied (qpdf
            # copies an object of one source once).
            outlines = source.Root.get(Name.Outlines)
            copied = dossier.copy_foreign(outlines) if isinstance(outlines, Dictionary) else None
            bookmarks = outline_items(copied)
        else:
            before = len(outline_items(dossier.Root.get(Name.Outlines)))
            dossier.add_pages_from(source)
            # pikepdf put the part's bookmarks at the end of the dossier's top level.
            bookmarks = outline_items(dossier.Root.get(Name.Outlines))[before:]
    except BaseException:
        # A part goes in whole or not at all, so the bookmarks after it lead to the right page.
        del dossier.pages[first_page:]
        raise
    return _Appended(part.titel, first_page, bookmarks, source.pdf_version)


def _plain(source: Pdf) -> bool:
    """Whether our own PDF has nothing but pages and bookmarks to carry: no form fields, named
    destinations or layers (a document a person changed might). Anything else goes through
    pikepdf's add_pages_from, which keeps those working, repairs damaged bookmarks and drops
    their scripts, but reads and rewrites every bookmark in Python: for our documents that
    was half of a dossier's cost."""
    root = source.Root
    return not any(key in root for key in (Name.AcroForm, Name.Names, Name.Dests, "/OCProperties"))


def _nest_outlines(dossier: Pdf, appended: list[_Appended]) -> None:
    """One top-level bookmark per part, at its first page, with the part's own bookmarks (the
    headings LibreOffice exports) below it: a reader finds the part first, then the heading.

    Done on the outline's dictionaries themselves: pikepdf's outline model reads and writes
    every item in Python, which cost more than the rest of the dossier."""
    root = dossier.make_indirect(Dictionary(Type=Name.Outlines))
    parts: list[Dictionary] = []
    for part in appended:
        bookmark = dossier.make_indirect(
            Dictionary(
                Title=pikepdf.String(part.titel),
                Dest=pikepdf.Array([dossier.pages[part.first_page].obj, Name.Fit]),
                Parent=root,
            )
        )
        link_outline(bookmark, part.bookmarks)
        parts.append(bookmark)
    link_outline(root, parts)
    dossier.Root.Outlines = root
