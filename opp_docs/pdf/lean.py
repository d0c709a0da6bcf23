"""A copy of a Word file without the styles it does not use, for LibreOffice to convert.

Templates made with python-docx (and many made with Word) carry some 160 unused styles and a
long list of "latent" ones; LibreOffice imports every one of them for every document, which is
about a third of its work per document. A style no paragraph, run, table, list or other style
refers to cannot change a page, so the copy gives the same PDF, faster; the staff's file itself is
never touched. When in doubt (fields that name styles, another namespace prefix, anything
unexpected) there is no copy and the original is converted.
"""

from __future__ import annotations

import re
import threading
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from opp_docs.documents.ooxml import STYLES, W_NS

# Word 2010's copy of the styles; LibreOffice does not read it.
STYLES_WITH_EFFECTS = "word/stylesWithEffects.xml"
_MAIN_NS = f'xmlns:w="{W_NS}"'.encode()
_REFERENCE = re.compile(
    rb'<w:(?:pStyle|rStyle|tblStyle|numStyleLink|styleLink)\b[^>]*?\bw:val="([^"]*)"'
)
_STYLE = re.compile(rb"<w:style\b[^>]*?(?:/>|>.*?</w:style>)", re.DOTALL)
_LATENT = re.compile(rb"<w:latentStyles\b[^>]*?(?:/>|>.*?</w:latentStyles>)", re.DOTALL)
_STYLE_ID = re.compile(rb'\bw:styleId="([^"]*)"')
_DEFAULT = re.compile(rb'^<w:style\b[^>]*?\bw:default="(?:1|true|on)"')
_CHAIN = re.compile(rb'<w:(?:basedOn|next|link)\b[^>]*?\bw:val="([^"]*)"')
# Fields that find text by its style; with them every style stays.
_STYLE_FIELDS = re.compile(rb"STYLEREF|\bTOC\b")


@dataclass(frozen=True)
class _Styles:
    """A styles part cut into pieces: (style id or None for what is not a style, bytes)."""

    pieces: tuple[tuple[bytes | None, bytes], ...]
    defaults: frozenset[bytes]
    chains: dict[bytes, tuple[bytes, ...]]


class LeanCopies:
    """Makes lean copies; remembers each distinct styles part (all documents made from one
    template share it), so a copy costs a few milliseconds."""

    def __init__(self) -> None:
        self._styles: dict[tuple[int, int], _Styles | None] = {}
        self._lock = threading.Lock()

    def write(self, source: Path, target: Path) -> bool:
        """Write the lean copy of `source` to `target`; False (and nothing written) when the
        original should be converted as it is."""
        try:
            with zipfile.ZipFile(source) as docx:
                parts = {name: docx.read(name) for name in docx.namelist()}
        except (OSError, zipfile.BadZipFile, KeyError, ValueError, EOFError):
            # A damaged file goes to LibreOffice as it is, which reports it.
            target.unlink(missing_ok=True)
            return False
        lean = self.lean_parts(parts)
        if lean is None:
            target.unlink(missing_ok=True)
            return False
        write_stored(lean, target)
        return True

    def lean_parts(self, parts: dict[str, bytes]) -> dict[str, bytes] | None:
        """The parts of a Word file (name: content, in the package's order) without the styles
        it does not use; None when the file should be converted as it is."""
        if STYLES not in parts:
            return None
        styles = self._parsed(parts[STYLES])
        if styles is None:
            return None
        used: set[bytes] = set()
        for name, xml in parts.items():
            if not name.startswith("word/") or not name.endswith(".xml"):
                continue
            if name in (STYLES, STYLES_WITH_EFFECTS):
                continue
            if b"<w:" in xml and _MAIN_NS not in xml:
                return None
            if (b"instrText" in xml or b"fldSimple" in xml) and _STYLE_FIELDS.search(xml):
                return None
            used.update(_REFERENCE.findall(xml))
        keep = set(styles.defaults) | {u for u in used if u in styles.chains}
        todo = list(keep)
        while todo:
            for linked in styles.chains[todo.pop()]:
                if linked in styles.chains and linked not in keep:
                    keep.add(linked)
                    todo.append(linked)
        lean = b"".join(xml for style, xml in styles.pieces if style is None or style in keep)
        return {
            name: lean if name == STYLES else data
            for name, data in parts.items()
            if name != STYLES_WITH_EFFECTS
        }

    def _parsed(self, xml: bytes) -> _Styles | None:
        key = (zlib.crc32(xml), len(xml))
        with self._lock:
            if key in self._styles:
                return self._styles[key]
        parsed = _parse_styles(xml)
        with self._lock:
            self._styles[key] = parsed
        return parsed


def write_stored(parts: dict[str, bytes], target: Path) -> None:
    """Write a package's parts, stored rather than compressed: such a file lives a second, on
    local disk, for LibreOffice only."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as out:
        for name, content in parts.items():
            out.writestr(name, content)


def _parse_styles(xml: bytes) -> _Styles | None:
    if _MAIN_NS not in xml:
        return None
    xml = _LATENT.sub(b"", xml)
    pieces: list[tuple[bytes | None, bytes]] = []
    defaults: set[bytes] = set()
    chains: dict[bytes, tuple[bytes, ...]] = {}
    end = 0
    for match in _STYLE.finditer(xml):
        found = _STYLE_ID.search(match.group(0))
        if found is None:
            return None
        style = found.group(1)
        pieces.append((None, xml[end : match.start()]))
        pieces.append((style, match.group(0)))
        chains[style] = tuple(_CHAIN.findall(match.group(0)))
        if _DEFAULT.match(match.group(0)):
            defaults.add(style)
        end = match.end()
    pieces.append((None, xml[end:]))
    return _Styles(tuple(pieces), frozenset(defaults), chains)
