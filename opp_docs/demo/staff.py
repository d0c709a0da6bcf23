"""Fictional staff at work, for `make demo`: the counsellor writes Sem Jansen's plan in full, as
she would in Word, and the secretary drops the scan of the signed sheet into the intake; so
the demo shows a finished, signed plan whose goals the evaluation forms list.

Every prompt of the plan is a content control showing a placeholder; typing over it in Word
leaves the typed text in normal formatting and no placeholder. This does the same in the XML,
and leaves the rest of the file as it is. Only for the demo's invented students.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pikepdf
from lxml import etree

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DOCUMENT = "word/document.xml"

SEM = "990101"


def sem_plan(year: int, today: str) -> dict[str, list[str]]:
    """What the counsellor writes in Sem's plan for the school year starting in `year`, on
    the day written out as `today` (the day of the meeting), by the prompt's first words; a
    prompt met more than once (the goals' rows, the dates) gets the next text each time."""
    return {
        key: [text.format(volgend=year + 1, vandaag=today) for text in texts]
        for key, texts in _SEM_PLAN.items()
    }


def write_sem_plan(year_dir: Path, texts: dict[str, list[str]]) -> Path | None:
    """Sem's plan in the demo's output, written in full with `texts` (`sem_plan`); None when
    there is no such plan still to write (a rerun of the demo finds it written, and leaves
    it)."""
    for plan in sorted(year_dir.glob(f"leerlingen/{SEM} */opp - *.docx")):
        if "nieuwe versie" not in plan.name and type_over_prompts(plan, texts):
            return plan
    return None


_SEM_PLAN: dict[str, list[str]] = {
    "[Schoolloopbaan": [
        "Geen doublures. In groep 6 gewisseld van basisschool na een verhuizing; vanaf groep 7 "
        "wekelijks remedial teaching voor begrijpend lezen."
    ],
    "[Beschrijf het uitstroomperspectief": [
        "Diploma vmbo-tl in vier jaar, daarna mbo niveau 4 (richting techniek)."
    ],
    "[Onderbouw het perspectief": [
        "Het schooladvies is vmbo-tl/havo. Rekenen gaat goed; begrijpend lezen en plannen "
        "blijven achter. Met begeleiding bij plannen en lezen is vmbo-tl haalbaar."
    ],
    "[Wat helpt bij het leren?": ["Sterk in rekenen en techniek; leert goed van voorbeelden."],
    "[Wat maakt het leren moeilijker?": ["Begrijpend lezen, lange teksten en werktempo."],
    "[Bijv. contact met klasgenoten": ["Heeft twee vaste vrienden in de klas; behulpzaam."],
    "[Bijv. faalangst": ["Spanning bij toetsen; trekt zich dan terug."],
    "[Bijv. motivatie": ["Gemotiveerd bij praktische opdrachten."],
    "[Bijv. concentratie": ["Plannen van huiswerk en starten met een taak."],
    "[Bijv. betrokkenheid": ["Ouders zijn betrokken en helpen thuis met plannen."],
    "[Bijv. omstandigheden thuis": ["Geen bijzonderheden."],
    "[Wat heeft Sem nodig": [
        "Sem heeft instructie nodig die kort is en met een voorbeeld begint. Sem heeft een "
        "docent nodig die hem helpt een taak op te delen in kleine stappen."
    ],
    "[Beschrijf de ondersteuning": [
        "Wekelijks gesprek van 15 minuten met de leerlingbegeleider over planning; twee keer per "
        "week RT begrijpend lezen; huiswerkbegeleiding op dinsdag en donderdag."
    ],
    "[Wat werkt in de les voor Sem?": [
        "Geef instructie in korte stappen en begin met een voorbeeld. Zet de planning van de les "
        "op het bord. Bied bij toetsen een rustige plek aan."
    ],
    "[Beschrijf de afwijkingen": ["Geen afwijkingen van het reguliere programma."],
    "[gebied]": ["Werkhouding", "Lezen", "Sociaal-emotioneel"],
    "[Concreet en meetbaar doel]": [
        "Sem plant zijn huiswerk zelf in de agenda en heeft 8 van de 10 weken alles af.",
        "Sem haalt bij de leestoets in juni minimaal een voldoende.",
        "Sem bereidt elke toets voor met de toetsplanner en meldt spanning bij zijn mentor.",
    ],
    "[Wat doen school, leerling en ouders?]": [
        "Wekelijks plangesprek; ouders kijken op zondag de agenda na.",
        "RT twee keer per week; thuis elke dag 15 minuten lezen.",
        "Toetsplanner met de leerlingbegeleider; rustige plek bij toetsen.",
    ],
    "[wie]": ["leerlingbegeleider", "RT'er en ouders", "mentor"],
    "[datum]": [
        "1 februari {volgend}",
        "1 juni {volgend}",
        "1 juli {volgend}",
        "{vandaag}",
        "{vandaag}",
    ],
    "[Wat vindt Sem zelf?": [
        "“Rekenen en techniek vind ik leuk. Lezen vind ik moeilijk en ik vergeet soms mijn "
        "huiswerk. Ik wil graag zelf leren plannen.”"
    ],
    "[Hoe is de mening van Sem": [
        "Sem wilde zelf leren plannen: dat is het eerste doel geworden. Hij wilde geen RT "
        "tijdens de gymles; de RT is daarom op een ander uur gepland."
    ],
    "[Hoe kijken de ouder(s)": [
        "Ouders zijn het eens met het plan en helpen thuis met plannen en lezen."
    ],
}


def type_over_prompts(docx: Path, texts: dict[str, list[str]]) -> int:
    """Type `texts` over the prompts of `docx`, as a person does in Word; the number typed."""
    with zipfile.ZipFile(docx) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    used: dict[str, int] = {}
    typed = 0
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            if info.filename == _DOCUMENT:
                root = etree.fromstring(data)
                typed = _type(root, texts, used)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(info, data)
    docx.write_bytes(out.getvalue())
    return typed


def _type(root: etree._Element, texts: dict[str, list[str]], used: dict[str, int]) -> int:
    typed = 0
    for sdt in list(root.iter(f"{_W}sdt")):
        shown = placeholder_text(sdt)
        key = next((k for k in texts if shown.startswith(k)), None)
        if key is None or used.get(key, 0) >= len(texts[key]):
            continue
        type_over_control(sdt, texts[key][used.get(key, 0)])
        used[key] = used.get(key, 0) + 1
        typed += 1
    return typed


def placeholder_text(sdt: etree._Element) -> str:
    """What a content control shows: its placeholder, or what was typed over it."""
    content = sdt.find(f"{_W}sdtContent")
    return "" if content is None else "".join(t.text or "" for t in content.iter(f"{_W}t"))


def type_over_control(sdt: etree._Element, text: str) -> None:
    """What Word does when a person clicks a prompt and types: the control holds `text` in
    normal formatting and no longer shows a placeholder."""
    placeholder = sdt.find(f"{_W}sdtPr/{_W}showingPlcHdr")
    if placeholder is not None:
        placeholder.getparent().remove(placeholder)
    content = sdt.find(f"{_W}sdtContent")
    if content is None:
        content = etree.SubElement(sdt, f"{_W}sdtContent")
    for child in list(content):
        content.remove(child)
    run = etree.SubElement(content, f"{_W}r")
    typed = etree.SubElement(run, f"{_W}t")
    typed.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    typed.text = text


def write_signed_scan(intake: Path, naam: str) -> Path:
    """What the secretary drops into the intake after the meeting: a scan of Sem's signed
    signature sheet (`handtekeningen/990101 ondertekend.pdf`). An invented page: a title and
    a pen stroke for each signature, drawn, no real handwriting."""
    target = intake / "handtekeningen" / f"{SEM} ondertekend.pdf"
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = [
        "BT /F1 16 Tf 72 770 Td (Ondertekeningsblad OPP - getekend) Tj ET",
        f"BT /F1 11 Tf 72 748 Td ({_pdf_text(naam)}) Tj ET",
    ]
    people = ("Ouder/verzorger", "Ouder/verzorger", "Leerling", "Tutor", "Leerlingbegeleider")
    for n, who in enumerate(people):
        y = 680 - n * 120
        lines.append(f"0 g BT /F1 10 Tf 72 {y} Td ({who}) Tj ET")
        # A signature: one pen stroke of a few curves.
        lines.append(
            f"0 0 0.5 RG 1.2 w 200 {y - 20} m 230 {y + 25} 250 {y - 35} 275 {y} c "
            f"290 {y + 20} 305 {y - 25} 330 {y - 5} c 345 {y + 5} 360 {y - 10} 380 {y} c S"
        )
        lines.append(f"0.6 G 0.5 w 72 {y - 40} m 520 {y - 40} l S")
    with pikepdf.Pdf.new() as pdf:
        pdf.add_blank_page(page_size=(595, 842))
        page = pdf.pages[0]
        font = pdf.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )
        )
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream("\n".join(lines).encode("latin-1"))
        pdf.save(target)
    return target


def _pdf_text(text: str) -> str:
    """Text for a PDF string in the standard font: latin-1, with its special characters."""
    safe = text.encode("latin-1", "replace").decode("latin-1")
    return safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
