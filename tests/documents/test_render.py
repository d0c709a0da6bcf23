"""Every template rendered with awkward data and read back: the Word text, and a few PDFs."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from opp_docs.documents.render import count_prompts
from opp_docs.models import Route
from opp_docs.pdf.pool import convert_files
from tests.documents.students import (
    AWKWARD_NAME,
    CONFIG,
    LONG,
    PLAN_DAY,
    STUDENT_TEMPLATES,
    STUDENTS,
    awkward,
    context,
    leerling,
    render,
)
from tests.helpers import element_text, pdf_text


def paragraphs(path: Path) -> list[str]:
    """The text of every paragraph of the body, tables included, in document order."""
    document = docx.Document(str(path))
    return [element_text(p) for p in document.element.body.iter(qn("w:p"))]


def body_text(path: Path) -> str:
    return "\n".join(paragraphs(path))


def header_footer(path: Path) -> tuple[str, str]:
    section = docx.Document(str(path)).sections[0]
    return (
        "\n".join(p.text for p in section.header.paragraphs),
        "\n".join(p.text for p in section.footer.paragraphs),
    )


def rows(path: Path) -> list[list[str]]:
    document = docx.Document(str(path))
    return [[element_text(c._tc) for c in row.cells] for t in document.tables for row in t.rows]


def headings(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [
        element_text(p._p)
        for p in document.paragraphs
        if p.style and p.style.name.startswith("Heading")
    ]


def assert_well_formed(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(z.read(name))  # raises on any corrupt part


# ---------------------------------------------------------------------------------------------
# Every template, awkward data


@pytest.mark.parametrize("name", STUDENT_TEMPLATES)
@pytest.mark.parametrize("case", list(STUDENTS))
def test_every_template_renders_whatever_the_data(tmp_path: Path, name: str, case: str) -> None:
    student, route = STUDENTS[case]
    path = render(tmp_path, name, context(student, route))
    assert_well_formed(path)
    text = body_text(path)
    header, footer = header_footer(path)
    assert not re.search(r"\{[{%#]", text.replace("{{ geen code }} {% if %}", ""))
    # Escaped once by the template engine, never twice.
    assert "&amp;" not in text and "&lt;" not in text and "&#" not in text
    assert student.naam in text
    assert header.startswith(CONFIG.school_naam)
    if name == "voorblad":
        # No page number on the cover: the dossier's parts keep their own (make_voorblad).
        assert footer == f"Vertrouwelijk – {student.naam}"
    else:
        assert footer.startswith(f"Vertrouwelijk – {student.naam} – pagina ")
    if name in ("opp", "opp-light", "tussenevaluatie", "eindevaluatie"):
        assert count_prompts(path) > 0  # what staff must still write
    elif name == "ondertekeningsblad" or case == "twee ouders":
        assert count_prompts(path) == 0  # a letter or sheet that can go out as it is


def test_special_characters_come_out_as_typed(tmp_path: Path) -> None:
    path = render(tmp_path, "opp-light", context(awkward(), Route.OPP_LIGHT))
    text = body_text(path)
    assert AWKWARD_NAME in text
    assert "mevr. <Kok> & co" in text
    assert "Anouk O'Brien & Partner" in text
    assert 'Basisschool "De Regenboog" & Zn' in text
    # Jinja in the data stays text: the data never becomes template code.
    assert "Faalangst 😟 {{ geen code }} {% if %}" in text
    assert AWKWARD_NAME in header_footer(path)[1]


def test_line_breaks_from_any_system_become_line_breaks(tmp_path: Path) -> None:
    path = render(tmp_path, "opp-light", context(awkward(), Route.OPP_LIGHT))
    # \r\n, \r and Word's vertical tab become line breaks; bell and form feed disappear.
    assert "Regel één & <twee>\nRegel twee\nRegel drie\nRegel vier" in paragraphs(path)


def test_document_properties_hold_the_name_unescaped(tmp_path: Path) -> None:
    config = replace(CONFIG, school_naam="School <A&B>")
    path = render(tmp_path, "opp", context(awkward(), Route.OPP, config))
    assert_well_formed(path)
    props = docx.Document(str(path)).core_properties
    assert props.title == f"Ontwikkelingsperspectiefplan (OPP) – {AWKWARD_NAME}"
    assert props.subject == f"{AWKWARD_NAME}, schooljaar 2026-2027"
    assert props.author == "School <A&B>"


def test_long_texts_stay_whole(tmp_path: Path) -> None:
    path = render(tmp_path, "opp", context(awkward(), Route.OPP))
    assert sum(row.count(LONG) for row in rows(path)) >= 2


# ---------------------------------------------------------------------------------------------
# The plan holds what the law asks, under headings that say so


REQUIRED_HEADINGS = [
    "Personalia",
    "Informatie van de basisschool",
    "Uitstroomperspectief en onderbouwing",
    "Bevorderende en belemmerende factoren",
    "Ondersteuning en begeleiding",
    "Handelingsadviezen voor docenten",
    "Afwijkingen van het reguliere programma",
    "Handelingsdeel",
    "Evaluatiemomenten",
    "Visie van de leerling",
    "Betrokkenen",
]


@pytest.mark.parametrize(("name", "goals"), [("opp", 3), ("opp-light", 2)])
def test_the_plan_has_every_required_part(tmp_path: Path, name: str, goals: int) -> None:
    route = Route.OPP if name == "opp" else Route.OPP_LIGHT
    path = render(tmp_path, name, context(leerling(), route))
    found = headings(path)
    assert [h for h in found if h in REQUIRED_HEADINGS] == REQUIRED_HEADINGS
    if name == "opp":
        assert "Onderwijsbehoeften" in found
        assert "Visie van de ouder(s)/verzorger(s)" in found
    table = rows(path)
    assert [r[0] for r in table if r[0] == "Uitstroomperspectief"] == ["Uitstroomperspectief"]
    assert any(r[0] == "Onderbouwing" for r in table)
    factors = table.index(["Gebied", "Bevorderende factoren", "Belemmerende factoren"])
    areas = [r[0] for r in table[factors + 1 : factors + 6]]
    assert areas == [
        "Cognitief",
        "Sociaal-emotioneel",
        "Werkhouding",
        "Thuissituatie",
        "Algemeen\n(van de basisschool)",
    ]
    assert table[factors + 5][1:] == ["Sterk in rekenen.", "Plant slecht."]
    goals_at = table.index(["Gebied", "Doel", "Aanpak", "Wie", "Tot wanneer"])
    goal_rows = [r for r in table[goals_at + 1 : goals_at + 1 + goals + 1] if r[0] == "[gebied]"]
    assert len(goal_rows) == goals
    dates = {r[0]: r[1] for r in table if r[0] in ("Vaststelling plan", "Eindevaluatie")}
    assert dates == {
        "Vaststelling plan": "uiterlijk 15 oktober 2026",
        "Eindevaluatie": "uiterlijk 1 juli 2027",
    }
    people = [r for r in table if r[0] == "Ouder/verzorger"]
    assert [r[1] for r in people][-2:] == ["Anouk Jansen", "Pieter Jansen"]


def test_the_plan_writes_dates_levels_and_names_as_a_school_does(tmp_path: Path) -> None:
    student = leerling(tussenvoegsel="de", achternaam="Vries", schooladvies="havo/vwo")
    text = body_text(render(tmp_path, "opp", context(student)))
    assert "Sem de Vries" in text
    assert "3 mei 2014 (12 jaar)" in text
    assert "havo/vwo" in text


def test_what_the_intake_does_not_know_becomes_a_prompt(tmp_path: Path) -> None:
    student = leerling(basisschool="", schooladvies="", tutor="", klas="", ouders=[])
    config = replace(CONFIG, leerlingbegeleiders=())
    path = render(tmp_path, "opp", context(student, Route.OPP, config))
    text = body_text(path)
    for prompt in ("[basisschool]", "[schooladvies]", "[naam tutor]", "[klas]", "[naam]"):
        assert prompt in text, prompt
    assert "[naam leerlingbegeleider]" in text
    assert "Uit het onderwijskundig rapport (OKR) en de intake." in text
    assert "Sem Jansen  ·  schooljaar 2026-2027" in text  # no empty 'klas'


def test_a_plan_made_during_the_year_shows_the_signal(tmp_path: Path) -> None:
    assert not any(r[0] == "Signaal" for r in rows(render(tmp_path, "opp", context(leerling()))))
    student = leerling(signaaldatum=dt.date(2026, 11, 2))
    table = rows(render(tmp_path, "opp", context(student)))
    at = table.index(["Signaal", "2 november 2026"])
    assert table[at + 1] == ["Vaststelling plan", "uiterlijk 14 december 2026"]


def test_facilities_only_for_a_declared_dyslexia(tmp_path: Path) -> None:
    without = body_text(render(tmp_path, "opp", context(leerling())))
    assert "Faciliteiten dyslexie" not in without
    with_it = body_text(render(tmp_path, "opp", context(leerling(dyslexie=True))))
    assert "Faciliteiten dyslexie: [Bijv." in with_it


# ---------------------------------------------------------------------------------------------
# The signature sheet


def signature_blocks(path: Path) -> list[tuple[str, str]]:
    """(heading of the block, name in it) per signature block."""
    table = rows(path)
    blocks = []
    for i, row in enumerate(table):
        if " – " in row[0] and row[1] == row[0]:  # the merged heading row
            name_row = table[i + 1]
            assert name_row[0] == "Naam" and name_row[2] == "Datum"
            assert table[i + 2][0] == "Plaats" and table[i + 2][2] == "Handtekening"
            assert "niet akkoord, omdat: ___" in table[i + 3][0]
            blocks.append((row[0].replace("\xa0", " "), name_row[1]))
    return blocks


def test_signature_sheet_names_everyone(tmp_path: Path) -> None:
    path = render(tmp_path, "ondertekeningsblad", context(leerling()))
    assert signature_blocks(path) == [
        ("Ouder/verzorger  –  instemming met het handelingsdeel", "Anouk Jansen"),
        ("Ouder/verzorger  –  instemming met het handelingsdeel", "Pieter Jansen"),
        ("Leerling  –  gezien en besproken", "Sem Jansen"),
        ("Tutor  –  namens de school", "mevr. Kok"),
        ("Leerlingbegeleider  –  namens de school, opsteller van het plan", "mevr. J. de Wit"),
    ]
    assert "Sem tekent voor ‘gezien en besproken’" in body_text(path)


def test_signature_sheet_without_parents_leaves_room_for_two(tmp_path: Path) -> None:
    path = render(tmp_path, "ondertekeningsblad", context(leerling(ouders=[])))
    parents = [b for b in signature_blocks(path) if b[0].startswith("Ouder")]
    assert parents == [("Ouder/verzorger  –  instemming met het handelingsdeel", "")] * 2


@pytest.mark.parametrize(
    ("birthday", "consents"),
    [
        (PLAN_DAY.replace(year=PLAN_DAY.year - 16), True),  # 16 on the day of the plan
        (PLAN_DAY.replace(year=PLAN_DAY.year - 16) + dt.timedelta(days=1), False),
    ],
)
def test_the_student_consents_from_16_on_the_plan_date(
    tmp_path: Path, birthday: dt.date, consents: bool
) -> None:
    path = render(tmp_path, "ondertekeningsblad", context(leerling(geboortedatum=birthday)))
    student = next(b for b in signature_blocks(path) if b[0].startswith("Leerling"))
    text = body_text(path)
    if consents:
        assert student == ("Leerling  –  instemming met het handelingsdeel", "Sem Jansen")
        assert "De ouder(s)/verzorger(s) en Sem geven met hun handtekening instemming" in text
        assert "Sem is op de datum van het plan 16 jaar of ouder en stemt daarom zelf in" in text
    else:
        assert student == ("Leerling  –  gezien en besproken", "Sem Jansen")
    plan = body_text(render(tmp_path, "opp", context(leerling(geboortedatum=birthday))))
    assert ("en van Sem zelf (16 jaar of ouder)" in plan) is consents


# ---------------------------------------------------------------------------------------------
# The letter to the parents


CONTACT = "Heeft u vragen, of wilt u alvast iets met ons delen? Neem dan gerust contact op met "


@pytest.mark.parametrize(
    ("telefoon", "email", "ending"),
    [
        ("0343-123456", "zorg@revius.nl", "mevr. J. de Wit via 0343-123456 of zorg@revius.nl."),
        ("0343-123456", "", "mevr. J. de Wit via 0343-123456."),
        ("", "zorg@revius.nl", "mevr. J. de Wit via zorg@revius.nl."),
        ("", "", "mevr. J. de Wit."),
    ],
)
def test_the_letter_reads_well_with_any_contact_details(
    tmp_path: Path, telefoon: str, email: str, ending: str
) -> None:
    config = replace(CONFIG, school_telefoon=telefoon, school_email=email)
    text = paragraphs(render(tmp_path, "informatiebrief", context(leerling(), Route.OPP, config)))
    assert CONTACT + ending in text


def test_the_letter_addresses_each_parent(tmp_path: Path) -> None:
    text = paragraphs(render(tmp_path, "informatiebrief", context(leerling())))
    # Below the window's empty top: the school's return line, the parents, their address.
    assert text[:2] == ["", ""]
    assert text[2] == "Revius Wijk, Gildestraat 20, 3961 DC Wijk bij Duurstede"
    assert text[3:7] == ["Anouk Jansen", "Pieter Jansen", "Kerkstraat 12 A", "3911 SA  RHENEN"]
    assert "Beste Anouk Jansen en Pieter Jansen," in text


def test_the_letter_without_parents_or_school_name(tmp_path: Path) -> None:
    config = replace(CONFIG, school_naam="")
    student = leerling(ouders=[], klas="")
    text = paragraphs(
        render(tmp_path, "informatiebrief", context(student, Route.OPP_LIGHT, config))
    )
    assert text[2] == "Gildestraat 20, 3961 DC Wijk bij Duurstede"
    assert text[3] == "Aan de ouder(s)/verzorger(s) van Sem Jansen"
    # No address: a prompt where it goes.
    assert text[4] == "[straat en huisnummer]\n[postcode  WOONPLAATS]"
    assert "Beste ouder(s)/verzorger(s)," in text
    assert any(t.startswith("Graag informeren wij u over de begeleiding van Sem. ") for t in text)
    assert "OPP light voor Sem Jansen, schooljaar 2026-2027" in text
    assert any("een OPP light opstellen" in t for t in text)


@pytest.mark.parametrize(
    ("adres", "plaats", "line"),
    [
        ("Gildestraat 20", "3961 DC Wijk", "Gildestraat 20  ·  3961 DC Wijk"),
        ("", "3961 DC Wijk", "3961 DC Wijk"),
        ("Gildestraat 20", "", "Gildestraat 20"),
    ],
)
def test_the_header_has_no_loose_separator(
    tmp_path: Path, adres: str, plaats: str, line: str
) -> None:
    config = replace(CONFIG, school_adres=adres, school_postcode_plaats=plaats)
    header, _ = header_footer(render(tmp_path, "opp", context(leerling(), Route.OPP, config)))
    assert header == f"{CONFIG.school_naam}\n{line}"


# ---------------------------------------------------------------------------------------------
# Evaluations and the cover


@pytest.mark.parametrize(("route", "goals"), [(Route.OPP, 3), (Route.OPP_LIGHT, 2)])
def test_evaluations_ask_per_goal(tmp_path: Path, route: Route, goals: int) -> None:
    for name in ("tussenevaluatie", "eindevaluatie"):
        path = render(tmp_path, name, context(leerling(), route))
        table = rows(path)
        goal_rows = [r for r in table if r[0].startswith("[Doel ")]
        assert len(goal_rows) == goals
        assert ["Doel", "Voortgang", "Wat verandert"] in table
        found = headings(path)
        assert "Visie van de leerling" in found
        assert "Visie van de ouder(s)/verzorger(s)" in found
        if name == "eindevaluatie":
            assert "Besluit" in found
            assert f"Het {route.label} wordt in het volgende schooljaar" in body_text(path)
        else:
            assert "De eindevaluatie volgt uiterlijk 1 juli 2027." in paragraphs(path)


def test_the_cover_lists_the_contents(tmp_path: Path) -> None:
    text = paragraphs(render(tmp_path, "voorblad", context(awkward(), Route.OPP_LIGHT)))
    assert "Informatiebrief & <ouders>\t2" in text
    assert "Ontwikkelingsperspectiefplan\t3" in text


# ---------------------------------------------------------------------------------------------
# PDFs


def to_pdf(docs: list[Path]) -> list[Path]:
    pdfs = [d.with_suffix(".pdf") for d in docs]
    result = convert_files(docs, pdfs)
    assert not result.failed, result.failed
    return pdfs


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))  # type: ignore[union-attr]


@pytest.mark.libreoffice
def test_pdfs_of_awkward_documents(tmp_path: Path) -> None:
    values = context(awkward(), Route.OPP_LIGHT)
    names = ["informatiebrief", "opp-light", "ondertekeningsblad", "eindevaluatie"]
    docs = [render(tmp_path, name, values) for name in names]
    pdfs = dict(zip(names, to_pdf(docs), strict=True))
    for name, pdf in pdfs.items():
        text = pdf_text(pdf)
        pages = page_count(pdf)
        assert " ".join(AWKWARD_NAME.split()) in " ".join(text.split()), name
        for page in range(1, pages + 1):
            assert f"Vertrouwelijk – {AWKWARD_NAME} – pagina {page} van {pages}" in text, name
    # Letter, signature sheet (two parents and a 16-year-old) and evaluation: one page each.
    assert [page_count(pdfs[n]) for n in ("informatiebrief", "ondertekeningsblad")] == [1, 1]
    assert page_count(pdfs["eindevaluatie"]) == 1
    assert 3 <= page_count(pdfs["opp-light"]) <= 5
    letter = " ".join(pdf_text(pdfs["informatiebrief"]).split())
    assert "Beste Anouk O'Brien & Partner en Piet <Smit>," in letter
    assert "contact op met mevr. J. de Wit via 0343-123456 of zorg@revius.example.nl." in letter
    plan = pdf_text(pdfs["opp-light"])
    assert "Regel één & <twee>\nRegel twee\nRegel drie\nRegel vier" in plan
    assert "Faalangst 😟" in plan


@pytest.mark.libreoffice
def test_pdf_of_the_full_plan_without_parents(tmp_path: Path) -> None:
    student = leerling(ouders=[], klas="", sociaal_emotioneel=LONG, werkhouding=LONG)
    (pdf,) = to_pdf([render(tmp_path, "opp", context(student))])
    text = " ".join(pdf_text(pdf).split())
    for heading in REQUIRED_HEADINGS:
        assert heading in text, heading
    assert "Ondertekening uiterlijk 29 oktober 2026" in text
    pages = page_count(pdf)
    assert f"Vertrouwelijk – Sem Jansen – pagina {pages} van {pages}" in text


@pytest.mark.parametrize("name", ["opp", "opp-light", "tussenevaluatie", "eindevaluatie"])
def test_every_plan_and_evaluation_hears_the_student(tmp_path: Path, name: str) -> None:
    """Hoorrecht (Wet versterking positie ouders en leerlingen in het passend onderwijs): the
    plan and both evaluations record the student's view and how the school weighed it, as
    prompts the software counts as unfinished until staff write them."""
    route = Route.OPP_LIGHT if name == "opp-light" else Route.OPP
    path = render(tmp_path, name, context(leerling(), route))
    assert "Visie van de leerling" in headings(path)
    text = paragraphs(path)
    weighed = text.index("Hoe de mening van de leerling is meegewogen")
    assert text[weighed + 1].startswith("[Hoe is de mening van ")
    view = next(t for t in text if t.startswith("[Wat vindt "))
    assert "eigen woorden van de leerling" in view
    assert count_prompts(path) >= 2
