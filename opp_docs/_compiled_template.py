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
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate

from opp_docs.errors import TemplateError
from opp_docs.files import sha256_file
from opp_docs.render import (
    PROPERTIES,
    clean_text,
    document_property,
    jinja_env,
    render_document,
    template_path,
)

_JINJA = re.compile(r"\{[{%#]")
_LISTING = re.compile("[\t\n\a\f]")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
# docxtpl numbers drawing ids from here on in the body.
_FIRST_DOCPR_ID = 1000
# Fixed time stamps: the same data gives the same bytes.
_STAMP = (2000, 1, 1, 0, 0, 0)


class Unsupported(Exception):
    """Raised when a template uses something only docxtpl itself renders."""


class CompiledTemplate:
    """One template, ready to render; `render` returns the bytes of the .docx."""

    def __init__(self, path: Path, env: jinja2.Environment) -> None:
        template = DocxTemplate(str(path))
        document = template.get_docx()
        for part in document.part.package.parts:
            if part.content_type == _FOOTNOTES and _JINJA.search(part.blob.decode("utf-8")):
                raise Unsupported(f"{path.name}: Jinja in voetnoten")
        self._template = template
        properties = document.core_properties
        self._properties = {name: env.from_string(getattr(properties, name)) for name in PROPERTIES}
        self._core = serialize_part_xml(properties._element)
        self._body = env.from_string(_for_jinja(template.patch_xml(template.get_xml())))
        self._parts: dict[str, jinja2.Template] = {}
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
        rendered = {"word/document.xml", _CORE, *self._parts}
        static = io.BytesIO()
        with (
            zipfile.ZipFile(saved) as source,
            zipfile.ZipFile(static, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for name in source.namelist():
                if name not in rendered:
                    target.writestr(_entry(name), source.read(name))
        self._static = static.getvalue()

    def render(self, context: dict[str, Any]) -> bytes:
        """The rendered .docx; raises jinja2 errors as docxtpl does."""
        template = self._template
        body = template.fix_tables(_from_jinja(template, self._body.render(context)))
        for number, drawing in enumerate(
            body.xpath("//wp:docPr", namespaces=_NAMESPACES), start=_FIRST_DOCPR_ID + 1
        ):
            drawing.attrib["id"] = str(number)
        document = parse_xml(self._document)
        document.replace(document.body, body)
        core = parse_xml(self._core)
        properties = CoreProperties(core)
        for name, value in self._properties.items():
            setattr(properties, name, document_property(value.render(context)))
        out = io.BytesIO(self._static)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as docx:
            docx.writestr(_entry("word/document.xml"), serialize_part_xml(document))
            docx.writestr(_entry(_CORE), serialize_part_xml(core))
            for name, part in self._parts.items():
                xml = parse_xml(_from_jinja(template, part.render(context)).encode("utf-8"))
                docx.writestr(_entry(name), serialize_part_xml(xml))
        return out.getvalue()


_CORE = "docProps/core.xml"


class TemplateCache:
    """The templates of one run, each compiled at first use; renders to bytes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._compiled: dict[str, CompiledTemplate | None] = {}
        self._digests: dict[str, str] = {}

    def digest(self, name: str) -> str:
        if name not in self._digests:
            self._digests[name] = sha256_file(template_path(self.folder, name))
        return self._digests[name]

    def render(self, name: str, context: dict[str, Any]) -> bytes:
        """The .docx of template `name` for `context`, as `render.render_document` makes it."""
        path = template_path(self.folder, name)
        with template_errors(path.name):
            if name not in self._compiled:
                try:
                    self._compiled[name] = CompiledTemplate(path, jinja_env())
                except Unsupported:
                    self._compiled[name] = None
            compiled = self._compiled[name]
            if compiled is not None:
                return compiled.render(clean_text(context))
        with tempfile.TemporaryDirectory(prefix="opp-docs-render-") as tmp:
            target = Path(tmp) / path.name
            render_document(path, context, target)
            return target.read_bytes()


@contextmanager
def template_errors(name: str) -> Iterator[None]:
    """Template problems as `TemplateError`, with the messages of `render.render_document`."""
    try:
        yield
    except jinja2.UndefinedError as e:
        raise TemplateError(
            template=name, problem=f"onbekend veld ({e.message}). Zie 'opp-docs templates velden'."
        ) from e
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(template=name, problem=f"fout in een Jinja-code: {e.message}") from e
    except (OSError, zipfile.BadZipFile, KeyError) as e:
        raise TemplateError(
            template=name, problem=f"kan niet worden geopend als Word-bestand ({e})"
        ) from e


_NAMESPACES = {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, _STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _for_jinja(xml: str) -> str:
    # As docxtpl's render_xml_part: a line per paragraph, so Jinja errors have a line number.
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def _from_jinja(template: DocxTemplate, xml: str) -> Any:
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    # resolve_listing only rewrites text holding these characters; it is slow on the rest.
    if not _LISTING.search(xml):
        return xml
    return template.resolve_listing(xml)
