"""A docxtpl template prepared once and rendered many times, with the same result as docxtpl.

docxtpl opens the .docx, cleans its XML for Jinja and compiles it again on every render, which
is most of the cost of a document. This does those steps once per template, with docxtpl's own
functions, and per student only renders the compiled Jinja of the parts docxtpl renders (body,
headers, footers, document properties) into a copy of the package whose other parts were
written and compressed once. The parts hold the same XML as docxtpl's output; a test compares.

A template with Jinja in its footnotes (which this does not repeat) raises `Unsupported`;
`TemplateCache` then renders it with docxtpl itself (`render.render_document`).
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from lxml import etree

from opp_docs.documents.logo import Logo, with_logo
from opp_docs.documents.ooxml import (
    CONTENT_TYPES,
    CORE,
    CUSTOM,
    DOCUMENT,
    PACKAGE_RELS,
    W_NS,
    WP_NS,
)
from opp_docs.documents.render import (
    PROPERTIES,
    clean_text,
    document_property,
    jinja_env,
    render_document,
    template_errors,
    template_path,
)
from opp_docs.documents.stamp import (
    Stamp,
    content_digest,
    custom_xml,
    stamp_package,
    with_custom_part,
)
from opp_docs.documents.stamp import zip_entry as _entry
from opp_docs.files import sha256_file, text_digest

_JINJA = re.compile(r"\{[{%#]")
# What docxtpl's resolve_listing turns into Word structure (tab, line, paragraph, page).
_LISTING_CHARS = "\t\n\a\f"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# docxtpl numbers drawing ids from here on in the body.
_FIRST_DOCPR_ID = 1000


class Unsupported(Exception):
    """Raised when a template uses something only docxtpl itself renders."""


class CompiledTemplate:
    """One template, ready to render; `render` returns the bytes of the .docx."""

    def __init__(
        self,
        path: Path,
        env: jinja2.Environment,
        parts_made: dict[str, bytes] | None = None,
        logo: Logo | None = None,
    ) -> None:
        template = DocxTemplate(str(path))
        document = template.get_docx()
        if logo is not None:
            with_logo(document, logo)
        for part in document.part.package.parts:
            if part.content_type == _FOOTNOTES and _JINJA.search(part.blob.decode("utf-8")):
                raise Unsupported(f"{path.name}: Jinja in voetnoten")
        self._template = template
        properties = document.core_properties
        # A property without Jinja (language, mostly) is the same for every student: rendered
        # once (Jinja still drops a trailing newline).
        self._properties: dict[str, jinja2.Template | str] = {}
        for name in PROPERTIES:
            text = getattr(properties, name)
            compiled = env.from_string(text)
            constant = not _JINJA.search(text)
            self._properties[name] = document_property(compiled.render()) if constant else compiled
        self._core = serialize_part_xml(properties._element)
        self._body = env.from_string(_for_jinja(template.patch_xml(template.get_xml())))
        self._parts: dict[str, jinja2.Template] = {}
        # Rendered headers and footers and their XML, shared by the templates of a run: every
        # document has the school's name on top, and a student's documents share their footer.
        self._parts_made = {} if parts_made is None else parts_made
        for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
            for _key, part in template.get_headers_footers(uri):
                xml = template.patch_xml(template.get_part_xml(part))
                self._parts[str(part.partname).lstrip("/")] = env.from_string(_for_jinja(xml))
        # The document part around the body; the body is rendered per student.
        shell = parse_xml(serialize_part_xml(document.element))
        shell.body.clear()
        self._document = serialize_part_xml(shell)
        # The unchanged parts, compressed once; rendered parts are appended per student.
        saved = io.BytesIO()
        document.save(saved)
        rendered = {DOCUMENT, CORE, *self._parts}
        with zipfile.ZipFile(saved) as source:
            unchanged = {n: source.read(n) for n in source.namelist() if n not in rendered}
        self._static = _package(unchanged)
        # The same for a stamped document (see stamp.py): its custom properties are written
        # per student, after the other parts, since they hold a digest of them.
        self._custom_base = unchanged.pop(CUSTOM, None)
        types, rels = with_custom_part(unchanged[CONTENT_TYPES], unchanged[PACKAGE_RELS])
        self._static_stamped = _package({**unchanged, CONTENT_TYPES: types, PACKAGE_RELS: rels})

    def render(self, context: dict[str, Any], stamp: Stamp | None = None) -> bytes:
        """The rendered .docx, with `stamp` in its custom properties when given; raises
        jinja2 errors as docxtpl does."""
        template = self._template
        xml = _from_jinja(template, self._body.render(context))
        body = _fix_tables(template, xml)
        # A search of the whole tree costs more than a look at the text, which seldom has one.
        if "docPr" in xml:
            drawings = body.xpath("//wp:docPr", namespaces=_NAMESPACES)
            for number, drawing in enumerate(drawings, start=_FIRST_DOCPR_ID + 1):
                drawing.attrib["id"] = str(number)
        document = parse_xml(self._document)
        document.replace(document.body, body)
        core = parse_xml(self._core)
        properties = CoreProperties(core)
        for name, value in self._properties.items():
            if not isinstance(value, str):
                value = document_property(value.render(context))
            setattr(properties, name, value)
        out = io.BytesIO(self._static if stamp is None else self._static_stamped)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as docx:
            docx.writestr(_entry(DOCUMENT), serialize_part_xml(document))
            docx.writestr(_entry(CORE), serialize_part_xml(core))
            for name, part in self._parts.items():
                docx.writestr(_entry(name), self._render_part(part, context))
            if stamp is not None:
                inhoud = content_digest(docx.infolist())
                docx.writestr(_entry(CUSTOM), custom_xml(stamp, inhoud, self._custom_base))
        return out.getvalue()

    def _render_part(self, part: jinja2.Template, context: dict[str, Any]) -> bytes:
        text = part.render(context)
        made = self._parts_made
        if text not in made:
            if len(made) >= _KEEP_PARTS:
                made.clear()
            made[text] = serialize_part_xml(
                parse_xml(_from_jinja(self._template, text).encode("utf-8"))
            )
        return made[text]


class TemplateCache:
    """The templates of one run, each compiled at first use; renders to bytes. With the
    school's `logo`, each template gets it in its headers first (logo.py)."""

    def __init__(self, folder: Path, logo: Logo | None = None) -> None:
        self.folder = folder
        self.logo = logo
        self._compiled: dict[str, CompiledTemplate | None] = {}
        self._digests: dict[str, str] = {}
        self._parts_made: dict[str, bytes] = {}

    def digest(self, name: str) -> str:
        if name not in self._digests:
            digest = sha256_file(template_path(self.folder, name))
            # A document is made again when the logo comes, goes or changes; without one the
            # digest is the template's own, as before there were logos.
            if self.logo is not None:
                digest = text_digest(f"{digest} logo {self.logo.digest}")
            self._digests[name] = digest
        return self._digests[name]

    def render(self, name: str, context: dict[str, Any], stamp: Stamp | None = None) -> bytes:
        """The .docx of template `name` for `context`, as `render.render_document` makes it,
        with `stamp` written into it when given."""
        path = template_path(self.folder, name)
        with template_errors(path.name):
            if name not in self._compiled:
                try:
                    self._compiled[name] = CompiledTemplate(
                        path, jinja_env(), self._parts_made, self.logo
                    )
                except Unsupported:
                    self._compiled[name] = None
            compiled = self._compiled[name]
            if compiled is not None:
                return compiled.render(clean_text(context), stamp)
        with tempfile.TemporaryDirectory(prefix="opp-docs-render-") as tmp:
            target = Path(tmp) / path.name
            render_document(path, context, target, self.logo)
            data = target.read_bytes()
        return data if stamp is None else stamp_package(data, stamp)


_NAMESPACES = {"wp": WP_NS}
# Rendered headers and footers kept; only the last student's are reused.
_KEEP_PARTS = 64


def _package(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(_entry(name), data)
    return out.getvalue()


# docxtpl's fix_tables widens or narrows a table's grid when rendering changed how many cells
# its rows have (column loops, colspan); it parses with this parser.
_RECOVER = etree.XMLParser(recover=True)
_XPATH_NS = {"w": W_NS}
_TABLE = f"{{{_XPATH_NS['w']}}}tbl"
_HAS_GRID = etree.XPath("boolean(w:tblGrid)", namespaces=_XPATH_NS)
_GRID_COLUMNS = etree.XPath("count(w:tblGrid/w:gridCol)", namespaces=_XPATH_NS)
# A row (its own or a nested table's: fix_tables looks at all) with more cells than columns...
_WIDER_ROW = etree.XPath("boolean(.//w:tr[count(w:tc) > $n])", namespaces=_XPATH_NS)
# ...or a row that fills all columns (cells with their gridSpan); without one it narrows.
_FULL_ROW = etree.XPath(
    "boolean(.//w:tr[sum(w:tc/w:tcPr/w:gridSpan/@w:val)"
    " + count(w:tc[not(w:tcPr/w:gridSpan)]) >= $n])",
    namespaces=_XPATH_NS,
)


# Cells XPath's sum would count differently from docxtpl: several properties or spans in one
# cell, or a span that is not a plain whole number (docxtpl then raises, as it should).
_ODD_CELLS = etree.XPath(
    "boolean(.//w:tc[count(w:tcPr) > 1 or count(w:tcPr/w:gridSpan) > 1]"
    " | .//w:gridSpan[not(@w:val) or string(number(@w:val)) != @w:val])",
    namespaces=_XPATH_NS,
)


def _fix_tables(template: DocxTemplate, xml: str) -> Any:
    """The parsed body, as docxtpl's fix_tables gives it. Its check of every row, in Python,
    took a third of a render; the same check in XPath costs a fraction, and only a table
    that needs a fix (none in our templates) gets docxtpl's own code."""
    body = etree.fromstring(xml, parser=_RECOVER)
    for table in body.iter(_TABLE):
        if not _HAS_GRID(table):
            return template.fix_tables(xml)  # which raises as docxtpl would
        columns = _GRID_COLUMNS(table)
        if _ODD_CELLS(table) or _WIDER_ROW(table, n=columns) or not _FULL_ROW(table, n=columns):
            return template.fix_tables(xml)
    return body


def _for_jinja(xml: str) -> str:
    # As docxtpl's render_xml_part: a line per paragraph, so Jinja errors have a line number.
    # (str.replace does what its regular expression does, several times faster.)
    return xml.replace("<w:p ", "\n<w:p ").replace("<w:p>", "\n<w:p>")


def _from_jinja(template: DocxTemplate, xml: str) -> str:
    xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if not any(char in xml for char in _LISTING_CHARS):
        return xml
    # resolve_listing only rewrites the paragraphs that hold these characters, and its regular
    # expressions are slow on the others, so it gets just those paragraphs (the same ones).
    pieces: list[str] = []
    done = 0
    for start, end in _paragraphs(xml):
        paragraph = xml[start:end]
        if any(char in paragraph for char in _LISTING_CHARS):
            pieces += [xml[done:start], template.resolve_listing(paragraph)]
            done = end
    return "".join(pieces) + xml[done:]


def _paragraphs(xml: str) -> Iterator[tuple[int, int]]:
    """Where docxtpl's resolve_listing finds paragraphs: its pattern `<w:p(?: [^>]*)?>.*?</w:p>`
    (DOTALL), found with str.find."""
    at = 0
    while (start := xml.find("<w:p", at)) >= 0:
        if xml[start + 4 : start + 5] not in (" ", ">"):
            at = start + 1
            continue
        opened = xml.find(">", start + 4)
        end = xml.find("</w:p>", opened + 1) if opened >= 0 else -1
        if end < 0:
            return
        yield start, end + len("</w:p>")
        at = end + len("</w:p>")
