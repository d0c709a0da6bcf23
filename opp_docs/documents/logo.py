"""The school's logo (`school.logo`) in the header of every document and of the dossier's cover.

The logo is added to a template once, when it is loaded (`with_logo`), not to each rendered
document: the header then holds a picture like any other, both renderers (compiled.py and
docxtpl) render it as part of the header, and every document of a run shares the same image
part, byte for byte, which `pdf/join.py` needs to convert documents together. Without a logo
nothing here runs, so a school without one gets the very same documents as before.

It goes into the templates as they are, also into one a school edited in Word: a template
needs no field for it. It floats at the right margin (`wrapNone`), its bottom just above the
line under the school's name and address, so that it takes no height: the header stays as
high as the text in it, within the top margin, and the text below stays where it was.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from docx.image.image import Image
from docx.oxml.ns import nsdecls
from docx.oxml.parser import parse_xml
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Emu
from lxml import etree

from opp_docs.config import Config, read_logo
from opp_docs.documents.ooxml import WP_NS, W

# At most this high and this wide; the logo keeps its proportions within the box.
MAX_HEIGHT = Cm(1.4)
MAX_WIDTH = Cm(5.0)
# Where the logo's bottom sits, measured down from the top of the header's first paragraph:
# just above the line under the address in our templates (12 pt name, 8.5 pt address, 4 pt
# space: 1.0 cm). The logo rises from there, never above 0.5 cm from the paper's edge (our
# header starts 1.0 cm down), which printers can print.
BOTTOM = Cm(0.9)
_WP = f"{{{WP_NS}}}"


@dataclass(frozen=True)
class Logo:
    """The logo's image file, read once per run, and its size on the page."""

    data: bytes
    width: Emu
    height: Emu

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @classmethod
    def of(cls, config: Config) -> Logo | None:
        """The school's logo, or None when the settings name none. Raises ConfigError when
        the file cannot be used (`config.read_logo`)."""
        if config.school_logo is None:
            return None
        return cls.read(config.school_logo, config.source)

    @classmethod
    def read(cls, path: Path, file: str) -> Logo:
        image = read_logo(path, file)
        width, height = _fitted(image)
        return cls(image.blob, width, height)


def _fitted(image: Image) -> tuple[Emu, Emu]:
    """The image's size scaled to fit MAX_WIDTH × MAX_HEIGHT, proportions kept: every
    school's logo the same height on the page, whatever its resolution, unless it is wide."""
    ratio = image.px_width / image.px_height
    height = min(MAX_HEIGHT, round(MAX_WIDTH / ratio))
    return Emu(round(height * ratio)), Emu(height)


def with_logo(document: Document, logo: Logo) -> None:
    """Put `logo` into every header of `document` (a template, as python-docx opened it), at
    the start of the header's first paragraph. A header without a paragraph (only a table, say)
    gets none: the school made its own."""
    package = document.part.package
    headers = [p for p in package.iter_parts() if p.partname.endswith(".xml") and _is_header(p)]
    used = [int(i) for h in headers for i in h.element.xpath("//wp:docPr/@id") if i.isdigit()]
    next_id = max(used, default=0)
    for header in headers:
        paragraph = header.element.find(f"{W}p")
        if paragraph is None:
            continue
        rid, _image = header.get_or_add_image(io.BytesIO(logo.data))
        next_id += 1
        run = parse_xml(f"<w:r {nsdecls('w')}><w:drawing/></w:r>")
        run[0].append(_anchor(logo, rid, next_id))
        properties = paragraph.find(f"{W}pPr")
        if properties is None:
            paragraph.insert(0, run)
        else:
            properties.addnext(run)


def _is_header(part: object) -> bool:
    content_type = getattr(part, "content_type", "")
    return bool(content_type.endswith("wordprocessingml.header+xml"))


def _anchor(logo: Logo, rid: str, shape_id: int) -> etree._Element:
    """The picture as a floating shape: right-aligned to the margin, bottom at BOTTOM below its
    paragraph's top, in front of the text and not moving it (no wrapping). python-docx writes
    the picture itself (as it would inline); it is moved into a wp:anchor."""
    cx, cy = logo.width, logo.height
    xml = (
        f'<wp:anchor {nsdecls("wp", "a", "pic", "r")} distT="0" distB="0" distL="114300"'
        ' distR="0" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0"'
        ' layoutInCell="1" allowOverlap="1">'
        '<wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="margin"><wp:align>right</wp:align></wp:positionH>'
        f'<wp:positionV relativeFrom="paragraph"><wp:posOffset>{BOTTOM - cy}</wp:posOffset>'
        "</wp:positionV>"
        f'<wp:extent cx="{cx}" cy="{cy}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        "<wp:wrapNone/>"
        f'<wp:docPr id="{shape_id}" name="Logo {shape_id}" descr="Logo van de school"/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        "</wp:anchor>"
    )
    anchor = parse_xml(xml)
    inline = CT_Inline.new_pic_inline(shape_id, rid, "logo", cx, cy)
    anchor.append(inline.find(f"{{{inline.nsmap['a']}}}graphic"))
    return anchor
