"""Check the Word templates before anything is rendered.

Staff edit the templates in Word. Word splits text into runs as it likes, autocorrects, and keeps
deleted text around in tracked changes, so a template that looks right can still fail or quietly
lose formatting when docxtpl renders it. `check_templates` finds those problems up front, names
the template and the spot in its text, and says what to do; `opp-docs templates check` and the
pipeline both run it. Field names are checked against the context the pipeline really builds
(`fields_reference`).
"""

from __future__ import annotations

import difflib
import html
import re
import zipfile
from collections import ChainMap
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import OpcError
from docx.opc.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import nodes
from lxml import etree

from opp_docs.documents.fields_reference import (
    LETTER_TEMPLATE,
    example_context,
    example_cover_fields,
    example_letter_fields,
)
from opp_docs.documents.ooxml import DOCUMENT
from opp_docs.documents.ooxml import W as _W
from opp_docs.documents.parts import EVALUATION_MARKS, FINAL_MARKS, PLAN_MARKS, marks_in
from opp_docs.documents.render import COVER_TEMPLATE, jinja_env, template_path
from opp_docs.errors import TemplateCheckError, TemplateProblem
from opp_docs.models import DOCUMENTS_PER_ROUTE

FIELDS_COMMAND = "opp-docs templates velden"

# ---------------------------------------------------------------------------------------------
# The check


@dataclass
class CheckResult:
    checked: list[str] = field(default_factory=list)
    # Templates that are not one of the pipeline's: checked, but not for field names.
    fields_unchecked: list[str] = field(default_factory=list)
    problems: list[TemplateProblem] = field(default_factory=list)
    # Not in the way of a run: parts opp-docs reads back that a school's template lost.
    warnings: list[TemplateProblem] = field(default_factory=list)


def required_templates() -> list[str]:
    """The templates the pipeline renders, by name without .docx."""
    kinds = {k.value for kinds in DOCUMENTS_PER_ROUTE.values() for k in kinds}
    return sorted(kinds | {COVER_TEMPLATE})


def find_problems(folder: Path) -> CheckResult:
    """Check every .docx in `folder` and that the pipeline's templates are there."""
    result = CheckResult()
    for name in required_templates():
        if not template_path(folder, name).is_file():
            result.problems.append(
                TemplateProblem(
                    f"{name}.docx",
                    f"ontbreekt in {folder}. Zet het sjabloon terug (git checkout templates).",
                )
            )
    files = sorted(folder.glob("*.docx")) if folder.is_dir() else []
    schema = _schema(example_context())
    cover_schema = {**schema, **_schema(example_cover_fields())}
    letter_schema = {**schema, **_schema(example_letter_fields())}
    for path in files:
        if path.name.startswith(("~$", ".")):  # Word's lock file, hidden files
            continue
        result.checked.append(path.name)
        if path.stem == COVER_TEMPLATE:
            fields: dict[str, Any] | None = cover_schema
        elif path.stem == LETTER_TEMPLATE:
            fields = letter_schema
        elif path.stem in required_templates():
            fields = schema
        else:
            fields = None
            result.fields_unchecked.append(path.name)
        result.problems.extend(TemplateProblem(path.name, p) for p in _check_file(path, fields))
        result.warnings.extend(TemplateProblem(path.name, w) for w in _lost_marks(path))
    return result


# The parts each template marks for opp-docs to read back (`parts.Mark`).
_MARKS = {
    "opp": PLAN_MARKS,
    "opp-light": PLAN_MARKS,
    "tussenevaluatie": EVALUATION_MARKS,
    "eindevaluatie": FINAL_MARKS,
}


def _lost_marks(path: Path) -> list[str]:
    """The marked parts of a shipped template that a school's copy no longer has: the run
    works, but cannot read those parts back from the students' files."""
    wanted = _MARKS.get(path.stem, ())
    if not wanted:
        return []
    try:
        with zipfile.ZipFile(path) as z:
            body = etree.fromstring(z.read(DOCUMENT)).find(f"{_W}body")
    except (OSError, KeyError, zipfile.BadZipFile, etree.LxmlError):
        return []  # said as a problem already
    found = marks_in(body) if body is not None else set()
    return [
        f"de bladwijzer '{mark.value}' bij {mark.titel} ontbreekt: opp-docs kan dat deel niet "
        "teruglezen uit de documenten. Zet het deel terug uit het meegeleverde sjabloon (of "
        "voeg in Word de bladwijzer toe: Invoegen > Bladwijzer, in de kopcel of het "
        "labelvak van het deel)."
        for mark in wanted
        if mark.value not in found
    ]


def check_templates(folder: Path) -> CheckResult:
    """Check the templates in `folder`; raises `TemplateCheckError` naming every problem."""
    result = find_problems(folder)
    if result.problems:
        raise TemplateCheckError(folder=str(folder), problems=result.problems)
    return result


@dataclass(frozen=True)
class _Part:
    """One piece of a template docxtpl renders on its own."""

    label: str  # "" for the body; else where in Word to look
    element: Any  # lxml root, for the checks on the raw XML; None for the properties
    source: str  # the Jinja source docxtpl makes of it


def _check_file(path: Path, fields: dict[str, Any] | None) -> list[str]:
    try:
        parts = list(_parts(path))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, OpcError, etree.LxmlError) as e:
        return [
            f"kan niet worden geopend als Word-bestand ({type(e).__name__}: {e}). "
            "Sla het in Word op als Word-document (.docx)."
        ]
    problems: list[str] = []
    for part in parts:
        raw = list(_raw_problems(part)) if part.element is not None else []
        problems.extend(raw)
        if any(UNCLOSED in p for p in raw):
            continue  # docxtpl would swallow the text up to the next closing: no point going on
        env = jinja_env()
        try:
            tree = env.parse(part.source)
            _check_filters(tree, env)
        except jinja2.TemplateSyntaxError as e:
            problems.append(_syntax_problem(part, e))
            continue
        if fields is not None:
            problems.extend(_field_problems(part, tree, fields, env))
    return list(dict.fromkeys(problems))  # a text box's fallback copy repeats its problems


def _parts(path: Path) -> Iterator[_Part]:
    template = DocxTemplate(str(path))
    template.init_docx()
    body = template.docx._element.body
    yield _Part("", body, _source(template, template.xml_to_string(body)))
    for uri, label in ((template.HEADER_URI, "koptekst"), (template.FOOTER_URI, "voettekst")):
        for _key, part in template.get_headers_footers(uri):
            root = parse_xml(part.blob)
            yield _Part(label, root, _source(template, template.xml_to_string(root)))
    for part in template.docx.part.package.parts:
        if part.content_type.endswith(".footnotes+xml"):
            root = parse_xml(part.blob)
            yield _Part("voetnoten", root, _source(template, template.xml_to_string(root)))
    props = template.docx.core_properties
    # The properties docxtpl renders; each is its own little template.
    for attr, label in (
        ("title", "titel"),
        ("subject", "onderwerp"),
        ("author", "auteur"),
        ("comments", "opmerkingen"),
    ):
        text = getattr(props, attr) or ""
        if "{" in text:
            yield _Part(f"documenteigenschappen ({label})", None, text)


def _source(template: Any, xml: str) -> str:
    """The Jinja source docxtpl renders: its patched XML, one paragraph per line."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", template.patch_xml(xml))


# --- problems visible in the raw XML: split tags, paragraph tags with company, tracked changes

UNCLOSED = "wordt in dezelfde alinea niet afgesloten"
_OPENERS = re.compile(r"\{[{%#]")
_CLOSERS = {"{": "}}", "%": "%}", "#": "#}"}
_STRUCTURE_TAG = re.compile(r"\{[{%](p|tr|tc|r)\s[^}%]*[}%]\}")
_STRUCTURE = {"p": ("alinea", "p"), "tr": ("tabelrij", "tr"), "tc": ("tabelcel", "tc")}
# Run properties that change no formatting: spelling language and proofing marks.
_NOT_FORMATTING = {"lang", "noProof", "rPrChange"}


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    run: Any


def _raw_problems(part: _Part) -> Iterator[str]:
    where = f" ({part.label})" if part.label else ""
    for p in part.element.iter(f"{_W}p"):
        text, pieces = _paragraph_text(p)
        if "{" not in text:
            continue
        yield from _split_tags(text, pieces, where)
        yield from _crowded_structure_tags(p, text, where)
    for deleted in part.element.iter(f"{_W}delText"):
        if deleted.text and _OPENERS.search(deleted.text):
            yield (
                f"bevat een bijgehouden wijziging waarin code is verwijderd "
                f'("{_short(deleted.text)}"){where}. Accepteer of weiger in Word alle wijzigingen '
                "(Controleren > Accepteren) en sla het sjabloon opnieuw op."
            )
            break


def _paragraph_text(p: Any) -> tuple[str, list[_Piece]]:
    """The text of paragraph `p` (not of paragraphs nested in it, as in a text box), with the
    run each stretch of it comes from."""
    text = ""
    pieces: list[_Piece] = []
    for t in p.iter(f"{_W}t"):
        if _nearest(t, f"{_W}p") is not p or not t.text:
            continue
        pieces.append(_Piece(len(text), len(text) + len(t.text), t.getparent()))
        text += t.text
    return text, pieces


def _nearest(element: Any, tag: str) -> Any:
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent


def _split_tags(text: str, pieces: list[_Piece], where: str) -> Iterator[str]:
    for match in _OPENERS.finditer(text):
        start = match.start()
        closer = _CLOSERS[text[start + 1]]
        close = text.find(closer, start + 2)
        if close < 0:
            yield (
                f'de code "{_short(text[start:], 40)}" {UNCLOSED} '
                f'met "{closer}"{where}: "{_around(text, start, len(text))}". Een code begint '
                "en eindigt in één alinea; typ hem opnieuw in één keer."
            )
            continue
        end = close + 2
        spanned = [p for p in pieces if p.start < end and p.end > start]
        if len(spanned) < 2:
            continue
        formats = {_format_key(p.run) for p in spanned}
        containers = {id(p.run.getparent()) for p in spanned}
        if len(formats) == 1 and len(containers) == 1:
            continue  # docxtpl joins the runs and nothing is lost
        tag = text[start:end]
        shown = " + ".join(f'"{text[max(p.start, start) : min(p.end, end)]}"' for p in spanned)
        reason = (
            "stukken met verschillende opmaak"
            if len(formats) > 1
            else "stukken waarvan een deel in een bijgehouden wijziging, hyperlink of veld staat"
        )
        yield (
            f'de code "{tag}" is in Word opgesplitst in {reason} ({shown}){where}: '
            f'"{_around(text, start, end)}". docxtpl zou de opmaak van het eerste stuk gebruiken. '
            "Selecteer de hele code en geef hem één opmaak, of typ hem opnieuw in één keer."
        )


def _format_key(run: Any) -> str:
    rpr = run.find(f"{_W}rPr")
    if rpr is None:
        return ""
    parts = []
    for child in rpr:
        if not isinstance(child.tag, str):  # an XML comment
            continue
        name = etree.QName(child).localname
        if name not in _NOT_FORMATTING:
            parts.append(f"{name}{sorted(child.attrib.items())}")
    return "|".join(sorted(parts))


def _crowded_structure_tags(p: Any, text: str, where: str) -> Iterator[str]:
    """A {%p %}, {%tr %} or {%tc %} tag makes docxtpl replace its whole paragraph, table row or
    cell; any other text there would vanish from every document."""
    for match in _STRUCTURE_TAG.finditer(text):
        kind = match.group(1)
        if kind == "r":
            continue
        noun, tag = _STRUCTURE[kind]
        container = p if kind == "p" else _nearest(p, f"{_W}{tag}")
        if container is None:
            yield (
                f'de code "{match.group(0)}" staat niet in een {noun}{where}. Gebruik '
                f"{{%{kind} … %}} alleen in een {noun}, of gebruik {{% … %}}."
            )
            continue
        own = "".join(t.text or "" for t in container.iter(f"{_W}t"))
        rest = _STRUCTURE_TAG.sub("", own).strip()
        if rest:
            yield (
                f'de code "{match.group(0)}" staat in een {noun} met andere tekst '
                f'("{_short(rest)}"){where}. docxtpl haalt de hele {noun} weg, met die tekst. '
                f"Zet de code in een eigen {noun}."
            )


# --- Jinja syntax


def _syntax_problem(part: _Part, e: jinja2.TemplateSyntaxError) -> str:
    where = f" ({part.label})" if part.label else ""
    explanation, line = _explain(e, part.source)
    around = _line_text(part.source, line)
    return f'fout in de Jinja-code{where}: {explanation}, bij "{around}".'


def _check_filters(tree: nodes.Template, env: jinja2.Environment) -> None:
    """Raise as compiling would for an unknown filter or test (compiling costs ten times more)."""
    for node in tree.find_all((nodes.Filter, nodes.Test)):
        known = env.filters if isinstance(node, nodes.Filter) else env.tests
        if node.name not in known:
            kind = "filter" if isinstance(node, nodes.Filter) else "test"
            raise jinja2.TemplateAssertionError(f"No {kind} named {node.name!r}.", node.lineno)


_BLOCKS = {"if", "for", "macro", "call", "filter", "with", "block", "raw", "autoescape", "trans"}


def _explain(e: jinja2.TemplateSyntaxError, source: str) -> tuple[str, int]:
    """A Dutch explanation of a Jinja syntax error, and the source line it is about."""
    message = e.message or ""
    line = e.lineno or 1
    unclosed = re.search(r"innermost block that needs to be closed is '(\w+)'", message)
    unknown = re.match(r"Encountered unknown tag '(\w+)'", message)
    no_filter = re.match(r"No (filter|test) named '([^']+)'", message)
    if message.startswith("Unexpected end of template") and unclosed:
        block = unclosed.group(1)
        tag, opened = _innermost_open_block(source) or (f"{{% {block} … %}}", line)
        return f'"{tag}" wordt nergens afgesloten met {{% end{block} %}}', opened
    if unknown and unclosed:
        block = unclosed.group(1)
        return (
            f"{{% {unknown.group(1)} %}} staat op een plek waar eerst {{% end{block} %}} "
            f"moet komen",
            line,
        )
    if unknown:
        tag = unknown.group(1)
        if tag.startswith("end") or tag in ("else", "elif"):
            return f"{{% {tag} %}} hoort bij geen enkel blok: het begin ontbreekt", line
        return f"onbekende code {{% {tag} %}}", line
    if no_filter:
        soort = "onbekend filter" if no_filter.group(1) == "filter" else "onbekende test"
        return f"{soort} '{no_filter.group(2)}'", line
    return f"de code klopt niet (Jinja: {message})", line


_BLOCK_TAG = re.compile(r"\{%-?\s*(\w+)([^%]*)%\}")


def _innermost_open_block(source: str) -> tuple[str, int] | None:
    """The tag and line of the innermost block that is never closed."""
    stack: list[tuple[str, str, int]] = []
    for match in _BLOCK_TAG.finditer(source):
        name, rest = match.group(1), match.group(2)
        line = source.count("\n", 0, match.start()) + 1
        if name in _BLOCKS or (name == "set" and "=" not in rest):
            stack.append((name, html.unescape(match.group(0)), line))
        elif name.startswith("end") and stack and stack[-1][0] == name[3:]:
            stack.pop()
    return (stack[-1][1], stack[-1][2]) if stack else None


def _line_text(source: str, line: int) -> str:
    lines = source.split("\n")
    text = _plain(lines[line - 1]) if 0 < line <= len(lines) else ""
    return _short(text, 90)


def _plain(xml: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", xml))


# --- field names


class _List:
    def __init__(self, item: Any) -> None:
        self.item = item


_LEAF = object()  # a value without fields
_ANY = object()  # a value the check cannot know: set by the template itself, or a loop's `loop`


def _schema(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _schema(v) for k, v in value.items()}
    if isinstance(value, list):
        return _List(_schema(value[0]) if value else _ANY)
    return _LEAF


def _field_problems(
    part: _Part, tree: nodes.Template, fields: dict[str, Any], env: jinja2.Environment
) -> list[str]:
    walker = _FieldWalker(set(env.globals))
    walker.statement(tree, ChainMap(dict(fields)))
    where = f" ({part.label})" if part.label else ""
    problems = []
    for name, line, known in walker.unknown:
        around = _tag_around(_plain(part.source.split("\n")[line - 1]), name)
        # Compare the last part only: 'leerling.' in front would make every field look close.
        prefix, _, last = name.rpartition(".")
        options = {k.rpartition(".")[2]: k for k in known if k.rpartition(".")[0] == prefix}
        hint = difflib.get_close_matches(last, list(options), n=1, cutoff=0.7)
        maybe = f" Bedoelt u '{options[hint[0]]}'?" if hint else ""
        problems.append(
            f"onbekend veld '{name}'{where}, bij \"{around}\".{maybe} "
            f"Alle velden: {FIELDS_COMMAND}."
        )
    return list(dict.fromkeys(problems))


Scope = MutableMapping[str, Any]


class _FieldWalker:
    """Walks a template's syntax tree and notes each field that the context does not have."""

    def __init__(self, globals_: set[str]) -> None:
        self.globals = globals_  # range, dict, namespace, …
        # (field as written, source line, the fields that do exist there)
        self.unknown: list[tuple[str, int, list[str]]] = []

    def statement(self, node: nodes.Node, scope: ChainMap[str, Any]) -> None:
        if isinstance(node, nodes.For):
            source = self.expression(node.iter, scope)
            inner = scope.new_child({"loop": _ANY})
            item = source.item if isinstance(source, _List) else _ANY
            for target in self._names(node.target):
                inner[target] = item
            if node.test is not None:
                self.expression(node.test, inner)
            for child in node.body:
                self.statement(child, inner)
            for child in node.else_:
                self.statement(child, scope)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            if isinstance(node, nodes.Assign):
                self.expression(node.node, scope)
            else:
                for child in node.body:
                    self.statement(child, scope)
            for target in self._names(node.target):
                scope[target] = _ANY
            return
        if isinstance(node, nodes.With):
            for value in node.values:
                self.expression(value, scope)
            inner = scope.new_child({t: _ANY for v in node.targets for t in self._names(v)})
            for child in node.body:
                self.statement(child, inner)
            return
        if isinstance(node, nodes.Macro | nodes.CallBlock):
            names = {"caller": _ANY, "varargs": _ANY, "kwargs": _ANY}
            names.update({a.name: _ANY for a in node.args})
            if isinstance(node, nodes.Macro):
                scope[node.name] = _ANY
            else:
                self.expression(node.call, scope)
            inner = scope.new_child(names)
            for child in node.body:
                self.statement(child, inner)
            return
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expression(child, scope)
            else:
                self.statement(child, scope)

    def expression(self, node: nodes.Node, scope: ChainMap[str, Any] | Scope) -> Any:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.globals:
                return _ANY
            self._unknown(node.name, node.lineno, list(scope))
            return _ANY
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            if isinstance(node, nodes.Getattr):
                key: object = node.attr
            else:
                key = node.arg.value if isinstance(node.arg, nodes.Const) else None
                if key is None:
                    self.expression(node.arg, scope)
            base = self.expression(node.node, scope)
            if isinstance(base, dict):
                if key in base:
                    return base[key]
                if isinstance(key, str):
                    written = f"{_written(node.node)}.{key}"
                    known = [f"{_written(node.node)}.{k}" for k in base]
                    self._unknown(written, node.lineno, known)
            elif isinstance(base, _List) and isinstance(key, int):
                return base.item
            return _ANY
        for child in node.iter_child_nodes():
            self.expression(child, scope)
        return _ANY

    def _unknown(self, name: str, line: int, known: list[str]) -> None:
        self.unknown.append((name, line, known))

    @staticmethod
    def _names(target: nodes.Node) -> list[str]:
        if isinstance(target, nodes.Name):
            return [target.name]
        return [n.name for n in target.find_all(nodes.Name)]


def _written(node: nodes.Node) -> str:
    """An expression as the template writes it: leerling.naam, ouder.naam."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_written(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        if isinstance(node.arg.value, int):
            return f"{_written(node.node)}[{node.arg.value}]"
        return f"{_written(node.node)}.{node.arg.value}"
    return "…"


def _tag_around(text: str, name: str) -> str:
    """The tag in `text` that uses `name`, with some text around it."""
    last = name.rsplit(".", 1)[-1]
    for match in re.finditer(r"\{[{%].*?[}%]\}", text):
        if name in match.group(0) or last in match.group(0):
            return _around(text, match.start(), match.end())
    return _short(text, 90)


def _around(text: str, start: int, end: int, margin: int = 30) -> str:
    before = text[max(0, start - margin) : start]
    after = text[end : end + margin]
    lead = "…" if start - margin > 0 else ""
    tail = "…" if end + margin < len(text) else ""
    return f"{lead}{before}{text[start:end]}{after}{tail}".strip()


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
