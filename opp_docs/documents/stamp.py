"""What a Word file is, written inside it: student number, document kind, school year.

A document belongs to a student and a kind, not to a file name: staff rename folders, names
in the intake get corrected, sync tools skip the state file. So every .docx opp-docs writes
carries its identity as custom document properties (`docProps/custom.xml`), which Word,
LibreOffice and python-docx all keep when they save the file. The same properties hold what
the file was rendered from (`invoer`) and a digest of the package as written (`inhoud`): a
file whose parts still match that digest is ours and unedited, whatever the state file says
or whether it still exists.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from opp_docs.documents.ooxml import CONTENT_TYPES, CUSTOM, CUSTOM_PROPS_NS, PACKAGE_RELS, VT_NS

_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
# The format id every custom document property carries (ECMA-376 part 1, 22.3.2.2).
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_PREFIX = "opp-docs."
# Fixed time stamps: the same data gives the same bytes.
ZIP_STAMP = (2000, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Stamp:
    """Whose document a Word file is, and what it was rendered from."""

    leerlingnummer: str
    soort: str
    schooljaar: str
    # Digest of everything the document was rendered from (intake, template, settings).
    invoer: str
    # The day its deadlines count from (ISO date; `decide.deadlines`): kept in the file, so
    # that a rerun on a later day, even without the state file, moves no date.
    peildatum: str = ""
    # Which of the student's letters it is: one per parents' address (`letters.py`). Only a
    # second one says so, so that a document of one address is stamped as before.
    adres: int = 1

    def properties(self) -> dict[str, str]:
        values = {
            "leerlingnummer": self.leerlingnummer,
            "soort": self.soort,
            "schooljaar": self.schooljaar,
            "invoer": self.invoer,
        }
        if self.peildatum:
            values["peildatum"] = self.peildatum
        if self.adres != 1:
            values["adres"] = str(self.adres)
        return values


@dataclass(frozen=True)
class Found:
    """A Word file's stamp as read back, and whether the file is still as opp-docs wrote it."""

    stamp: Stamp
    unchanged: bool


def zip_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, ZIP_STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def content_digest(infos: Iterable[zipfile.ZipInfo]) -> str:
    """A digest of a package's parts from its table of contents alone (name, CRC-32, size):
    an edit changes at least one part, and no part needs unpacking to see it."""
    digest = hashlib.sha256()
    for info in sorted(infos, key=lambda i: i.filename):
        if info.filename != CUSTOM:
            digest.update(f"{info.filename}\0{info.CRC:08x}\0{info.file_size}\n".encode())
    return digest.hexdigest()


def parts_digest(path: Path) -> str:
    """`content_digest` of the Word file at `path`: what its pages are made from. A file that
    is no package (LibreOffice will say it cannot convert it) is known by its bytes."""
    try:
        with zipfile.ZipFile(path) as package:
            return content_digest(package.infolist())
    except zipfile.BadZipFile:
        return hashlib.sha256(path.read_bytes()).hexdigest()


def with_custom_part(content_types: bytes, package_rels: bytes) -> tuple[bytes, bytes]:
    """[Content_Types].xml and _rels/.rels that declare docProps/custom.xml (unchanged when
    they already do)."""
    if b"/docProps/custom.xml" not in content_types:
        override = f'<Override PartName="/{CUSTOM}" ContentType="{_CUSTOM_TYPE}"/>'
        content_types = content_types.replace(b"</Types>", override.encode() + b"</Types>")
    if _CUSTOM_REL.encode() not in package_rels:
        relation = f'<Relationship Id="rIdOppDocs" Type="{_CUSTOM_REL}" Target="{CUSTOM}"/>'
        package_rels = package_rels.replace(
            b"</Relationships>", relation.encode() + b"</Relationships>"
        )
    return content_types, package_rels


def custom_xml(stamp: Stamp, inhoud: str, base: bytes | None = None) -> bytes:
    """The custom properties part: the school's own properties from `base` (a template's
    custom.xml), then ours."""
    root = etree.Element(
        f"{{{CUSTOM_PROPS_NS}}}Properties", nsmap={None: CUSTOM_PROPS_NS, "vt": VT_NS}
    )
    if base:
        for prop in etree.fromstring(base).findall(f"{{{CUSTOM_PROPS_NS}}}property"):
            if not str(prop.get("name", "")).startswith(_PREFIX):
                root.append(prop)
    for name, value in {**stamp.properties(), "inhoud": inhoud}.items():
        prop = etree.SubElement(
            root, f"{{{CUSTOM_PROPS_NS}}}property", fmtid=_FMTID, name=_PREFIX + name
        )
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value
    # Property ids start at 2 and are unique (ECMA-376 part 1, 22.3.2.2).
    for number, prop in enumerate(root, start=2):
        prop.set("pid", str(number))
    xml: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return xml


def stamp_package(package: bytes, stamp: Stamp) -> bytes:
    """`package` (a .docx) with `stamp` written into it. The compiled renderer stamps while it
    writes (`CompiledTemplate.render`); this full rewrite is for docxtpl's own output."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        names = source.namelist()
        content_types, rels = with_custom_part(
            source.read(CONTENT_TYPES), source.read(PACKAGE_RELS)
        )
        base = source.read(CUSTOM) if CUSTOM in names else None
        for name in names:
            if name == CUSTOM:
                continue
            data = source.read(name)
            if name == CONTENT_TYPES:
                data = content_types
            elif name == PACKAGE_RELS:
                data = rels
            target.writestr(zip_entry(name), data)
        target.writestr(
            zip_entry(CUSTOM), custom_xml(stamp, content_digest(target.infolist()), base)
        )
    return out.getvalue()


def read_stamp(path: Path) -> Found | None:
    """The stamp of the Word file at `path`, or None when it has none (a file of an older
    version, or not ours) or cannot be read as a package."""
    try:
        with zipfile.ZipFile(path) as package:
            if CUSTOM not in package.NameToInfo:
                return None
            values = _our_properties(package.read(CUSTOM))
            unchanged = values.get("inhoud") == content_digest(package.infolist())
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError, ValueError, KeyError):
        return None
    try:
        stamp = Stamp(
            leerlingnummer=values["leerlingnummer"],
            soort=values["soort"],
            schooljaar=values["schooljaar"],
            invoer=values.get("invoer", ""),
            peildatum=values.get("peildatum", ""),
            adres=_address_number(values.get("adres", "1")),
        )
    except (KeyError, ValueError):
        return None
    return Found(stamp, unchanged)


def _our_properties(xml: bytes) -> dict[str, str]:
    root = etree.fromstring(xml)
    values: dict[str, str] = {}
    for prop in root.findall(f"{{{CUSTOM_PROPS_NS}}}property"):
        name = str(prop.get("name", ""))
        if name.startswith(_PREFIX):
            values[name.removeprefix(_PREFIX)] = "".join(prop.itertext())
    return values


def _address_number(text: str) -> int:
    """The letter's address number from its stamp; 1 for anything else than a number from 1."""
    return int(text) if text.isdigit() and int(text) >= 1 else 1
