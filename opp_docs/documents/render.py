"""Render the Word documents of a student's route from the docxtpl templates."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import jinja2
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from opp_docs.documents.logo import Logo, with_logo
from opp_docs.documents.ooxml import DOCUMENT, STYLES
from opp_docs.documents.ooxml import W as _W
from opp_docs.errors import TemplateError
from opp_docs.files import atomic_path

PROMPT_STYLE = "Invulinstructie"
COVER_TEMPLATE = "voorblad"


def template_path(templates: Path, name: str) -> Path:
    return templates / f"{name}.docx"


def jinja_env() -> jinja2.Environment:
    """Sandboxed and strict: data never becomes template code, and a misspelt field is an
    error rather than an empty spot in a letter to parents."""
    return SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=True)


# python-docx refuses a document property (title, subject, …) longer than this.
MAX_PROPERTY = 255
# The properties docxtpl renders as templates; the others cannot be set as text.
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


def document_property(text: str) -> str:
    """A rendered document property as python-docx can store it: a name that fills a whole
    cell must not stop the run because it does not fit in the document's title."""
    return text[:MAX_PROPERTY]


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl, with each document property cut to what python-docx can store."""

    def render_properties(
        self, context: dict[str, Any], env: jinja2.Environment | None = None
    ) -> None:
        env = env or jinja_env()
        properties = self.docx.core_properties
        for name in PROPERTIES:
            text = env.from_string(getattr(properties, name)).render(context)
            setattr(properties, name, document_property(text))


def render_document(
    template: Path, context: dict[str, Any], target: Path, logo: Logo | None = None
) -> None:
    """Render `template` with `context` into `target`, atomically; with the school's `logo`
    in its headers when given."""
    with template_errors(template.name):
        doc = _Template(str(template))
        if logo is not None:
            with_logo(doc.get_docx(), logo)
        doc.render(clean_text(context), jinja_env(), autoescape=True)
    with atomic_path(target) as tmp:
        doc.save(str(tmp))


@contextmanager
def template_errors(name: str) -> Iterator[None]:
    """A template's problems while it is opened or rendered, as `TemplateError`: one message
    for each kind of problem, whichever renderer (docxtpl or the compiled one) met it."""
    try:
        yield
    except jinja2.UndefinedError as e:
        raise TemplateError(
            template=name, problem=f"onbekend veld ({e.message}). Zie 'opp-docs templates velden'."
        ) from e
    except jinja2.TemplateSyntaxError as e:
        raise TemplateError(template=name, problem=f"fout in een Jinja-code: {e.message}") from e
    except SecurityError as e:
        # The sandbox stopped a template that reached for Python itself (__class__ and such).
        raise TemplateError(
            template=name, problem=f"niet toegestane Jinja-code ({e}). Gebruik alleen de velden."
        ) from e
    except (OSError, zipfile.BadZipFile, KeyError) as e:
        raise TemplateError(
            template=name, problem=f"kan niet worden geopend als Word-bestand ({e})"
        ) from e


# Characters XML 1.0 does not allow, and the ones docxtpl turns into structure (\a starts a new
# paragraph, \f a page break): a value from the intake must come out as typed, not as layout.
_CONTROL = re.compile(r"[\x00-\x08\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Windows and old-Mac line ends, and Word's manual line break (vertical tab) pasted into Excel.
_LINE_END = re.compile(r"\r\n?|\x0b")


def clean_text(value: Any) -> Any:
    """`value` with every string safe for a Word document: line ends become a newline (which
    docxtpl writes as a line break), control characters other than tab and newline go.
    Dicts, lists and tuples are cleaned throughout."""
    if isinstance(value, str):
        return _CONTROL.sub("", _LINE_END.sub("\n", value))
    if isinstance(value, dict):
        return {k: clean_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_text(v) for v in value]
    return value


def count_prompts(docx: Path) -> int:
    """How many fill-in prompts (text in square brackets in the prompt style) remain."""
    with zipfile.ZipFile(docx) as z:
        return prompts_in(z, lambda: etree.fromstring(z.read(DOCUMENT)))


def prompts_in(docx: zipfile.ZipFile, document: Callable[[], etree._Element]) -> int:
    """`count_prompts` of an open Word file; `document` gives its word/document.xml parsed,
    and is only called when the file has the prompt style."""
    style_ids = parsed_styles(docx, _prompt_style_ids)
    if not style_ids:
        return 0
    count = 0
    for run, style in styled(document(), "r").items():
        if style.get(f"{_W}val") not in style_ids:
            continue
        text = "".join(t.text or "" for t in run.iter(f"{_W}t")).strip()
        if text.startswith("["):
            count += 1
    return count


def styled(root: etree._Element, kind: str) -> dict[etree._Element, etree._Element]:
    """The runs (`kind` "r") or paragraphs ("p") under `root` that have a style, each with the
    style element that `element.find("w:rPr/w:rStyle")` (or pPr/pStyle) gives: found from the
    few style elements, several times faster than a search in every run."""
    properties, owner_tag = f"{_W}{kind}Pr", f"{_W}{kind}"
    found: dict[etree._Element, etree._Element] = {}
    for style in root.iter(f"{_W}{kind}Style"):
        parent = style.getparent()
        if parent is None or parent.tag != properties:
            continue
        owner = parent.getparent()
        if owner is not None and owner.tag == owner_tag:
            # In document order, so the first one is the one `find` gives.
            found.setdefault(owner, style)
    return found


def _prompt_style_ids(styles_xml: bytes) -> frozenset[str]:
    root = etree.fromstring(styles_xml)
    ids = set()
    for style in root.iter(f"{_W}style"):
        name = style.find(f"{_W}name")
        if name is not None and name.get(f"{_W}val") == PROMPT_STYLE:
            ids.add(style.get(f"{_W}styleId", ""))
    return frozenset(ids)


_T = TypeVar("_T")
_styles: dict[tuple[int, int, Callable[[bytes], Any]], Any] = {}
# Styles parts remembered: one per template, and a few of files that staff saved in Word.
_KEEP_STYLES = 32


def parsed_styles(docx: zipfile.ZipFile, parse: Callable[[bytes], _T]) -> _T:
    """`parse` of the Word file's styles part, remembered by the part's checksum and size:
    every document of a template shares it, and unpacking and parsing it costs more than the
    rest of a reading of the document."""
    info = docx.getinfo(STYLES)
    key = (info.CRC, info.file_size, parse)
    # Read once: the converter's threads use this too, and may clear it in between.
    found = _styles.get(key)
    if found is None:
        found = parse(docx.read(info))
        if len(_styles) >= _KEEP_STYLES:
            _styles.clear()
        _styles[key] = found
    return cast(_T, found)
