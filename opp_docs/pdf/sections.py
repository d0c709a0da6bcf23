"""A document's section properties, edited for the joined file: each document starts a new
page and numbers its pages from 1, and names every header and footer it shows.

In the joined file every document is one section; what a section leaves unsaid it takes from
the section before it, which is another student's document.
"""

from __future__ import annotations

from lxml import etree

from opp_docs.documents.ooxml import W

# Where in a section's properties each element goes (CT_SectPr's order).
_SECTION_ORDER = [
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
]


def restart_numbering(section: etree._Element, *, new_page: bool) -> bool:
    """Page numbers from 1, each document on a new page; False for a document that numbers
    its pages its own way (a start, a number format other than 1, 2, 3, chapter numbers).
    LibreOffice writes the plain format out (`w:fmt="decimal"`): that one is no own way."""
    numbering = section.find(f"{W}pgNumType")
    if numbering is None:
        numbering = _insert_in_order(section, "pgNumType")
    elif set(numbering.attrib) - {f"{W}fmt"} or numbering.get(f"{W}fmt") != "decimal":
        return False
    numbering.set(f"{W}start", "1")
    if new_page:
        # Also over a "continuous" of its own: a document never runs on after the previous one.
        kind = section.find(f"{W}type")
        if kind is None:
            kind = _insert_in_order(section, "type")
        kind.set(f"{W}val", "nextPage")
    return True


def names_own_headers_and_footers(section: etree._Element) -> bool:
    """Whether a section names every header and footer it shows: one it leaves out would be
    inherited from the document before it in the joined file."""
    kinds = {
        (etree.QName(ref).localname, ref.get(f"{W}type", "default"))
        for ref in section
        if ref.tag in (f"{W}headerReference", f"{W}footerReference")
    }
    needed = {("headerReference", "default"), ("footerReference", "default")}
    if section.find(f"{W}titlePg") is not None:
        needed |= {("headerReference", "first"), ("footerReference", "first")}
    return needed <= kinds


def _insert_in_order(section: etree._Element, name: str) -> etree._Element:
    rank = _SECTION_ORDER.index(name)
    element = etree.Element(W + name)
    for i, child in enumerate(section):
        local = etree.QName(child).localname
        if local in _SECTION_ORDER and _SECTION_ORDER.index(local) > rank:
            section.insert(i, element)
            return element
    section.append(element)
    return element
