"""Several Word files joined into one, for LibreOffice to convert in one go.

LibreOffice's cost is mostly per document, not per page: loading the five documents of one
student as one file and exporting one PDF costs about half of five separate conversions. The
joined file exists only for that conversion; afterwards the PDF is cut back into one PDF per
document (`split_pdf`), so every document still has its own PDF, looking as it would alone.

What keeps the pages identical:
- each document becomes its own section (new page, its own header and footer) whose page
  numbering restarts at 1;
- "van N" in a footer is NUMPAGES, which would count the whole joined file. It becomes a page
  reference to a bookmark at the document's last paragraph: with numbering restarted, the page
  number of its last paragraph is the document's page count. (SECTIONPAGES would say the same
  thing, but LibreOffice 7.4 renders it as "1".)
- a bookmark at each document's first paragraph becomes a named destination in the PDF, which
  says where each document starts, also when LibreOffice skipped a blank page in between.

Only what is sure to come out the same is joined: files that share everything but their text,
headers and footers (all documents made from this project's templates do), with one section
that names all its headers and footers and starts with a paragraph. Documents of a template
that was saved anew by Word share their parts only with each other (`compatible_groups`: the
converter then joins those separately); Word's "_GoBack" bookmark is dropped from the joined
copy. Refused, and so converted on their own as before: a document a person saved in Word,
footnotes and comments, other bookmarks and internal links (their names would clash between
documents, and a cross-reference could show another child's text), numbered lists (they would
count on), pages numbered their own way, even/odd headers. `split_pdf` (cut.py) then checks
each document's end mark against its pages before it trusts the cut. A refusal is a JoinRefused
with a few Dutch words of why: the pool counts them, and --verbose shows a school why its
documents went one by one.
"""

from __future__ import annotations

import re
import threading
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from opp_docs.documents.ooxml import (
    CONTENT_TYPES,
    CORE,
    CP_NS,
    DC_NS,
    DOCUMENT,
    DOCUMENT_RELS,
    R_NS,
    RELS_NS,
    SETTINGS,
    STYLES,
    W_NS,
    W,
)
from opp_docs.documents.render import parsed_styles
from opp_docs.pdf.lean import write_stored
from opp_docs.pdf.sections import names_own_headers_and_footers, restart_numbering

HEADER_FOOTER_TYPES = {
    f"{R_NS}/header": "header",
    f"{R_NS}/footer": "footer",
}
# Parts that may differ between the documents; every other part must be the same bytes.
_OWN_PART = re.compile(
    r"^(word/document\.xml|word/_rels/document\.xml\.rels|docProps/.*|"
    r"\[Content_Types\]\.xml|word/(header|footer)\d+\.xml|"
    r"word/_rels/(header|footer)\d+\.xml\.rels)$"
)
# What refers to something outside the document's own text; joining would mix those up.
# Bookmarks (and the links and cross-references that point at them) are refused too: their
# names would clash between the documents, and a reference would find another child's text.
_UNSUPPORTED = {
    b"<w:footnoteReference": "voetnoot",
    b"<w:endnoteReference": "eindnoot",
    b"<w:commentReference": "opmerking",
    b"<w:commentRangeStart": "opmerking",
    b"<w:altChunk": "ingevoegd document",
    b"<w:subDoc": "ingevoegd document",
    b"<w:bookmarkStart": "bladwijzer",
    b"<w:numPr": "genummerde lijst",
    b" w:anchor=": "interne koppeling",
}
_STYLE_REFERENCE = re.compile(rb'<w:pStyle w:val="([^"]*)"')
_STYLE = re.compile(rb'<w:style\b[^>]*?w:styleId="([^"]*)".*?</w:style>', re.DOTALL)
_BASED_ON = re.compile(rb'<w:basedOn w:val="([^"]*)"')
_PAGE_TOTAL = re.compile(rb"\b(NUMPAGES|SECTIONPAGES)\b")
START = "OppDocsDeel{}"
END = "OppDocsEinde{}"

# Why files were not joined, in a few Dutch words: the pool counts them, --verbose shows them.
UNREADABLE = "onleesbaar Word-bestand"
ONE_FILE = "maar één bestand"
DIFFERENT = "verschillen in meer dan tekst"
SAVED_OTHERWISE = "anders opgeslagen dan onze sjablonen"
EVEN_ODD = "even en oneven kopteksten"
NUMBERED = "genummerde lijst"
SECTIONS = "meerdere secties"
TRACKED = "bijgehouden wijziging"
TABLE_AT_EDGE = "begint of eindigt met een tabel"
INHERITED_HEADER = "kop- of voettekst niet in het document zelf"
OWN_PAGE_NUMBERS = "eigen paginanummering"
PAGE_TOTAL = "paginatotaal op een onbekende manier geschreven"


class JoinRefused(Exception):
    """Raised when files cannot be joined, or their joined PDF cut, faithfully: they are then
    converted one by one. `reason` says why in a few Dutch words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Metadata:
    """What LibreOffice would put in a PDF's document information, from the Word file."""

    title: str
    subject: str
    author: str
    keywords: str


def merge(
    sources: Sequence[Path],
    target: Path,
    lean: Callable[[dict[str, bytes]], dict[str, bytes] | None] | None = None,
) -> list[Metadata]:
    """Write `sources` joined as one Word file to `target`, and return each source's document
    information (for `split_pdf`, read while the files are open anyway). Raises JoinRefused
    (nothing written) when they cannot be joined faithfully. Part k starts at the bookmark
    START.format(k). `lean` (LeanCopies.lean_parts) may trim the joined parts before they are
    written: one file written instead of two."""
    try:
        zips = [zipfile.ZipFile(source) for source in sources]
    except (OSError, zipfile.BadZipFile, ValueError) as e:
        raise JoinRefused(UNREADABLE) from e
    try:
        data = _merged(zips)
        infos = [_metadata(z) for z in zips]
    except (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile, OSError) as e:
        raise JoinRefused(UNREADABLE) from e
    finally:
        for z in zips:
            z.close()
    if lean is not None:
        data = lean(data) or data
    write_stored(data, target)
    return infos


def _merged(zips: list[zipfile.ZipFile]) -> dict[str, bytes]:
    if len(zips) < 2:
        raise JoinRefused(ONE_FILE)
    first = zips[0]
    signature = _shared_signature(first)
    for z in zips:
        names = z.namelist()
        if DOCUMENT not in names or DOCUMENT_RELS not in names or CONTENT_TYPES not in names:
            raise JoinRefused(UNREADABLE)
        if _shared_signature(z) != signature:
            raise JoinRefused(DIFFERENT)

    if SETTINGS in first.namelist() and b"evenAndOddHeaders" in _shared_part(first, SETTINGS):
        # Which header a page gets would depend on the pages before it.
        raise JoinRefused(EVEN_ODD)
    numbered = _numbered_styles(first)
    base_rels: _Common | None = None
    parts: dict[str, bytes] = {}
    new_rels: list[etree._Element] = []
    overrides: list[tuple[str, str]] = []
    head: bytes | None = None
    pieces: list[bytes] = []
    for k, z in enumerate(zips):
        rels, own = _relationships(z)
        if base_rels is None:
            base_rels = rels
        elif rels != base_rels:
            raise JoinRefused(DIFFERENT)
        xml = _without_own_bookmarks(z.read(DOCUMENT))
        _refuse_what_would_mix(xml, numbered)
        document = _Document.cut(xml)
        if head not in (None, document.head):
            raise JoinRefused(SAVED_OTHERWISE)  # it declares other namespaces
        head = document.head
        section = _section(document.section)
        if not names_own_headers_and_footers(section):
            # It would inherit the previous document's header or footer.
            raise JoinRefused(INHERITED_HEADER)
        # Header and footer parts, renamed per document.
        renamed: dict[str, str] = {}
        for n, (rid, (kind, target)) in enumerate(own.items()):
            name = f"{kind}-deel{k + 1}-{n + 1}.xml"
            content = z.read(f"word/{target}")
            _refuse_what_would_mix(content, numbered)
            content = _PAGE_TOTAL.sub(f"PAGEREF {END.format(k)}".encode(), content)
            parts[f"word/{name}"] = content
            rels_name = f"word/_rels/{target}.rels"
            if rels_name in z.namelist():
                parts[f"word/_rels/{name}.rels"] = z.read(rels_name)
            new_id = f"rIdOppDocs{k}{rid}"
            renamed[rid] = new_id
            rel = etree.Element(f"{{{RELS_NS}}}Relationship")
            rel.set("Id", new_id)
            rel.set("Type", f"{R_NS}/{kind}")
            rel.set("Target", name)
            new_rels.append(rel)
            overrides.append(
                (
                    f"/word/{name}",
                    f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml",
                )
            )
        for ref in section:
            if ref.tag in (f"{W}headerReference", f"{W}footerReference"):
                old = ref.get(f"{{{R_NS}}}id")
                if old not in renamed:
                    raise JoinRefused(SAVED_OTHERWISE)
                ref.set(f"{{{R_NS}}}id", renamed[old])
        if not restart_numbering(section, new_page=k > 0):
            raise JoinRefused(OWN_PAGE_NUMBERS)
        properties = etree.tostring(section)
        last = k == len(zips) - 1
        # A section ends with the paragraph that carries its properties; the last one's stay
        # where they are, at the end of the body.
        body = document.marked(k, None if last else properties)
        pieces.append(body + properties if last else body)
    assert head is not None  # there were documents
    joined = head + b"".join(pieces) + b"</w:body></w:document>"
    try:
        # The joined bytes must be XML LibreOffice can read; when in doubt, one by one.
        etree.fromstring(joined)
    except etree.XMLSyntaxError as e:
        raise JoinRefused(SAVED_OTHERWISE) from e
    parts[DOCUMENT] = joined
    parts[DOCUMENT_RELS] = _rels_xml(first, new_rels)
    parts[CONTENT_TYPES] = _content_types(first, overrides)
    kept = [n for n in first.namelist() if not _OWN_PART.match(n) or n.startswith("docProps/")]
    out = {
        name: first.read(name) if name.startswith("docProps/") else _shared_part(first, name)
        for name in kept
    }
    out.update(parts)
    return out


@dataclass(frozen=True)
class _Document:
    """A document part cut into its pieces, as bytes: everything up to and including
    <w:body>, the body's paragraphs and tables, and its section properties.

    Joining works on the bytes: parsing and writing fifteen documents as trees cost more than
    the rest of the joining. What it relies on is checked here, else the files are converted
    one by one: one section, a body that starts and ends with a paragraph, nothing but
    elements (no comments, no text between them), no tracked change of paragraph properties
    (which would nest one paragraph's properties in another's). The joined result is parsed
    once, as a last check."""

    head: bytes
    content: bytes
    section: bytes

    @classmethod
    def cut(cls, xml: bytes) -> _Document:
        if b"<w:pPrChange" in xml:
            raise JoinRefused(TRACKED)
        if b"<!--" in xml or b"<![CDATA[" in xml or _CLOSING_WITH_SPACE.search(xml):
            raise JoinRefused(SAVED_OTHERWISE)  # not as lxml writes it
        if b"&#" in xml and b"instr" in xml:
            raise JoinRefused(SAVED_OTHERWISE)
        if xml.count(b"<w:sectPr") != 1 or xml.count(b"<w:body>") != 1:
            raise JoinRefused(SECTIONS)  # (or a tracked change of one)
        body = xml.index(b"<w:body>") + len(b"<w:body>")
        section = xml.index(b"<w:sectPr")
        tail = xml[section:].rstrip()
        if not tail.endswith(b"</w:body></w:document>"):
            raise JoinRefused(SAVED_OTHERWISE)
        properties = tail[: -len(b"</w:body></w:document>")]
        content = xml[body:section]
        if not _PARAGRAPH_START.match(content) or not content.endswith(b"</w:p>"):
            raise JoinRefused(TABLE_AT_EDGE)  # its marks would not be on its first and last page
        head = xml[:body]
        # The section properties are edited with w: and r: bound to these namespaces, and
        # the paragraphs' tags are found by these prefixes.
        if not all(n in head for n in _MAIN_NAMESPACES):
            raise JoinRefused(SAVED_OTHERWISE)
        if b"xmlns:w=" in content or b"xmlns:r=" in content:
            raise JoinRefused(SAVED_OTHERWISE)  # bound anew inside the body
        return cls(head, content, properties)

    def marked(self, k: int, section: bytes | None) -> bytes:
        """The content with bookmarks at the start of its first and the end of its last
        paragraph, page totals pointing at the end mark, and `section` (when given) in the
        last paragraph's properties."""
        total = f"PAGEREF {END.format(k)}".encode()

        def field(m: re.Match[bytes]) -> bytes:
            return m.group(1) + _PAGE_TOTAL.sub(total, m.group(2)) + m.group(3)

        content = self.content
        # (Looked for as plain bytes first: most documents have no field in their body.)
        for needle, pattern in _FIELD_INSTRUCTIONS:
            if needle in content:
                content = pattern.sub(field, content)
        if b"NUMPAGES" in content or b"SECTIONPAGES" in content:
            # A page total written in a way not found above: it would be wrong.
            raise JoinRefused(PAGE_TOTAL)
        last = _last_paragraph(content)
        if last is None:
            raise JoinRefused(SAVED_OTHERWISE)
        # The last paragraph first: the first one's edits would move its offsets.
        end = _mark(END.format(k), 2 * k + 2)
        paragraph = content[last : -len(b"</w:p>")] + end + b"</w:p>"
        if section is not None:
            paragraph = _with_section(paragraph, section)
        content = content[:last] + paragraph
        at, properties = _properties(content)
        if properties is not None:
            at = (
                properties.end()
                if properties.group(0).endswith(b"/>")
                else (content.index(b"</w:pPr>", at) + len(b"</w:pPr>"))
            )
        return content[:at] + _mark(START.format(k), 2 * k + 1) + content[at:]


# A paragraph's opening tag (not an empty <w:p/>), and its properties' opening tag.
_PARAGRAPH_START = re.compile(rb"<w:p(?:\s[^>]*[^/>])?>|<w:p>")
_PROPERTIES_START = re.compile(rb"<w:pPr(?:\s[^>]*)?/?>")
# Paragraph tags (opening, empty, closing), to find the last paragraph's start.
_PARAGRAPH_TAG = re.compile(rb"<w:p(?:\s[^>]*)?/?>|</w:p>")
# Field instructions: the text of w:instrText, and w:fldSimple's w:instr attribute.
_FIELD_INSTRUCTIONS = (
    (b"<w:instrText", re.compile(rb"(<w:instrText(?:\s[^>]*)?>)([^<]*)(</w:instrText>)")),
    (b"<w:fldSimple", re.compile(rb'(<w:fldSimple\s[^>]*?w:instr=")([^"]*)(")')),
)
_CLOSING_WITH_SPACE = re.compile(rb"</w:p\s")
_MAIN_NAMESPACES = (f' xmlns:w="{W_NS}"'.encode(), f' xmlns:r="{R_NS}"'.encode())


def _mark(name: str, number: int) -> bytes:
    return (
        f'<w:bookmarkStart w:id="{number}" w:name="{name}"/><w:bookmarkEnd w:id="{number}"/>'
    ).encode()


def _last_paragraph(content: bytes) -> int | None:
    """Where the body's last paragraph (which ends the content) starts: its opening tag,
    counting back past the paragraphs of text boxes inside it."""
    depth = 0
    for tag in reversed(list(_PARAGRAPH_TAG.finditer(content))):
        text = tag.group(0)
        if text == b"</w:p>":
            depth += 1
        elif not text.endswith(b"/>"):
            depth -= 1
            if depth == 0:
                return tag.start()
    return None


def _properties(paragraph: bytes) -> tuple[int, re.Match[bytes] | None]:
    """Where the paragraph that `paragraph` starts with has its properties: the end of its
    opening tag, and the properties' opening tag if it has any. Refused when something other
    than an element follows the opening tag (not as lxml writes it)."""
    opening = _PARAGRAPH_START.match(paragraph)
    if opening is None or paragraph[opening.end() : opening.end() + 1] != b"<":
        raise JoinRefused(SAVED_OTHERWISE)
    return opening.end(), _PROPERTIES_START.match(paragraph, opening.end())


def _with_section(paragraph: bytes, section: bytes) -> bytes:
    """`paragraph` with `section` as the last of its properties."""
    at, properties = _properties(paragraph)
    if properties is None:
        return paragraph[:at] + b"<w:pPr>" + section + b"</w:pPr>" + paragraph[at:]
    if properties.group(0).endswith(b"/>"):
        filled = b"<w:pPr>" + section + b"</w:pPr>"
        return paragraph[:at] + filled + paragraph[properties.end() :]
    close = paragraph.index(b"</w:pPr>", at)
    return paragraph[:close] + section + paragraph[close:]


def _section(properties: bytes) -> etree._Element:
    """A document's section properties as an element, to edit; refused when they use another
    namespace than w: and r:."""
    wrapped = b"<x" + b"".join(_MAIN_NAMESPACES) + b">" + properties + b"</x>"
    try:
        elements = list(etree.fromstring(wrapped))
    except etree.XMLSyntaxError as e:
        raise JoinRefused(SAVED_OTHERWISE) from e
    if len(elements) != 1 or elements[0].tag != f"{W}sectPr":
        raise JoinRefused(SAVED_OTHERWISE)  # anything after the section properties
    return elements[0]


def _without_own_bookmarks(xml: bytes) -> bytes:
    """The document without the bookmarks nothing in it refers to: Word's "_GoBack" (where the
    cursor was at the last save; a template saved by Word passes it to every document) and
    the `opp_…` marks of the parts opp-docs reads back (documents/parts.py). The joined copy
    can do without them, and the documents can be joined. A bookmark written some other way
    stays, and the join is refused."""
    if b"_GoBack" not in xml and b'w:name="opp_' not in xml:
        return xml
    for found in reversed(list(_OWN_BOOKMARK.finditer(xml))):
        end = f'<w:bookmarkEnd w:id="{found.group(1).decode()}"/>'.encode()
        rest = xml[: found.start()] + xml[found.end() :]
        if rest.count(end) != 1:
            return xml
        xml = rest.replace(end, b"", 1)
    return xml


_OWN_BOOKMARK = re.compile(rb'<w:bookmarkStart w:id="(\d+)" w:name="(?:_GoBack|opp_[a-z_]+)"/>')


def compatible_groups(sources: Sequence[Path]) -> list[list[int]]:
    """The indices of `sources` grouped by the parts they must share to be joined (styles,
    settings, …): documents made from one template share them; a template saved anew by Word
    has its own. A group that `merge` refuses may still join within each of these."""
    groups: dict[object, list[int]] = {}
    for i, source in enumerate(sources):
        try:
            with zipfile.ZipFile(source) as z:
                key: object = _shared_signature(z)
        except (OSError, zipfile.BadZipFile, ValueError):
            key = i  # unreadable: on its own
        groups.setdefault(key, []).append(i)
    return list(groups.values())


def _shared_signature(z: zipfile.ZipFile) -> tuple[tuple[str, int, int], ...]:
    """The parts a file must share with the others it is joined with, by name, checksum and
    size from the zip's directory: unpacking the styles of every file to compare them would
    cost more than the rest of the joining."""
    return tuple(
        sorted(
            (info.filename, info.CRC, info.file_size)
            for info in z.infolist()
            if not _OWN_PART.match(info.filename)
        )
    )


def _shared_part(z: zipfile.ZipFile, name: str) -> bytes:
    """A part every file of a template shares (styles, theme, settings, …), unpacked once per
    run rather than once per joined file; known by its name, checksum and size."""
    info = z.getinfo(name)
    key = (name, info.CRC, info.file_size)
    found = _SHARED.get(key)
    if found is None:
        found = z.read(info)
        with _SHARED_LOCK:
            if len(_SHARED) >= _KEEP_SHARED:
                _SHARED.clear()
            _SHARED[key] = found
    return found


# Parts of a handful of templates; the converter's threads share them.
_KEEP_SHARED = 256
_SHARED: dict[tuple[str, int, int], bytes] = {}
_SHARED_LOCK = threading.Lock()


# A relationship: id, type, target, target mode.
_Common = set[tuple[str, str, str, str]]


def _relationships(z: zipfile.ZipFile) -> tuple[_Common, dict[str, tuple[str, str]]]:
    """The document's relationships other than headers and footers (which must be the same in
    every document), and its headers and footers by id: (kind, target)."""
    rels = etree.fromstring(z.read(DOCUMENT_RELS))
    common: _Common = set()
    own: dict[str, tuple[str, str]] = {}
    for rel in rels:
        rid, kind, target = rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", "")
        if kind in HEADER_FOOTER_TYPES and rel.get("TargetMode") != "External":
            own[rid] = (HEADER_FOOTER_TYPES[kind], target)
        else:
            common.add((rid, kind, target, rel.get("TargetMode", "")))
    return common, own


def _rels_xml(first: zipfile.ZipFile, added: list[etree._Element]) -> bytes:
    rels = etree.fromstring(first.read(DOCUMENT_RELS))
    for rel in list(rels):
        if rel.get("Type") in HEADER_FOOTER_TYPES:
            rels.remove(rel)
    rels.extend(added)
    return bytes(etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True))


def _content_types(first: zipfile.ZipFile, overrides: list[tuple[str, str]]) -> bytes:
    types = etree.fromstring(first.read(CONTENT_TYPES))
    namespace = etree.QName(types).namespace
    for item in list(types):
        if re.match(r"^/word/(header|footer)\d+\.xml$", item.get("PartName", "")):
            types.remove(item)
    for part, content_type in overrides:
        override = etree.SubElement(types, f"{{{namespace}}}Override")
        override.set("PartName", part)
        override.set("ContentType", content_type)
    return bytes(etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True))


def _numbered_styles(z: zipfile.ZipFile) -> frozenset[bytes]:
    """Paragraph styles that number (directly or through the style they are based on): their
    lists would count on from one document into the next."""
    if STYLES not in z.namelist():
        return frozenset()
    return parsed_styles(z, _numbered_in)


def _numbered_in(styles: bytes) -> frozenset[bytes]:
    based: dict[bytes, bytes] = {}
    numbers: set[bytes] = set()
    for match in _STYLE.finditer(styles):
        style, text = match.group(1), match.group(0)
        if b"<w:numPr" in text:
            numbers.add(style)
        parent = _BASED_ON.search(text)
        if parent:
            based[style] = parent.group(1)
    for style in list(based):
        seen, current = set(), style
        while current in based and current not in seen and current not in numbers:
            seen.add(current)
            current = based[current]
        if current in numbers:
            numbers.add(style)
    return frozenset(numbers)


def _refuse_what_would_mix(xml: bytes, numbered: frozenset[bytes]) -> None:
    """Refuse a part (the body, a header or footer) that refers to something outside its own
    text, or numbers paragraphs (directly or by a style in `numbered`)."""
    # Substring tests: a regular expression with these alternatives took longer than the
    # whole rest of the check.
    for needle, reason in _UNSUPPORTED.items():
        if needle in xml:
            raise JoinRefused(reason)
    if numbered and any(s in numbered for s in _STYLE_REFERENCE.findall(xml)):
        raise JoinRefused(NUMBERED)


def _metadata(z: zipfile.ZipFile) -> Metadata:
    """Title, subject, author and keywords of a Word file, as LibreOffice exports them."""
    try:
        core = etree.fromstring(z.read(CORE))
    except (KeyError, etree.XMLSyntaxError):
        return Metadata("", "", "", "")

    def text(namespace: str, tag: str) -> str:
        found = core.find(f"{{{namespace}}}{tag}")
        return (found.text or "").strip() if found is not None else ""

    return Metadata(
        text(DC_NS, "title"),
        text(DC_NS, "subject"),
        text(DC_NS, "creator"),
        text(CP_NS, "keywords"),
    )
