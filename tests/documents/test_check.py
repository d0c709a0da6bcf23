"""The template check and the field list: templates broken on purpose, messages asserted exactly."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.document import Document as DocumentObject
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from opp_docs.cli import main
from opp_docs.config import Config
from opp_docs.demo.cohort import write_example_intake
from opp_docs.documents.check import check_templates, find_problems, required_templates
from opp_docs.documents.fields_reference import example_context
from opp_docs.documents.render import render_document
from opp_docs.errors import TemplateCheckError, TemplateError
from opp_docs.models import SchoolYear
from opp_docs.pipeline.run import RunOptions, run_dossiers
from tests.helpers import REPO

TEMPLATES = REPO / "templates"


def copy_templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    for name in required_templates():
        shutil.copy(TEMPLATES / f"{name}.docx", folder)
    return folder


def edit(folder: Path, name: str, change: Callable[[DocumentObject], None]) -> Path:
    path = folder / name
    document = docx.Document(str(path))
    change(document)
    document.save(str(path))
    return path


def add_text(text: str) -> Callable[[DocumentObject], None]:
    def change(document: DocumentObject) -> None:
        document.add_paragraph(text)

    return change


def problems(folder: Path) -> list[str]:
    return [str(p) for p in find_problems(folder).problems]


def only_problem(folder: Path) -> str:
    with pytest.raises(TemplateError) as caught:
        check_templates(folder)
    return str(caught.value)


# ---------------------------------------------------------------------------------------------
# The shipped templates


def test_the_shipped_templates_pass() -> None:
    result = check_templates(TEMPLATES)
    required = {f"{n}.docx" for n in required_templates()}
    assert required <= set(result.checked)
    assert result.problems == []
    # A template of another kind (the teachers' overview) is checked, but not for fields.
    assert result.fields_unchecked == sorted(set(result.checked) - required)


# ---------------------------------------------------------------------------------------------
# Jinja syntax


def test_a_block_that_is_never_closed(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(folder, "opp.docx", add_text("Hallo {% if leerling.klas %}klas {{ leerling.klas }}"))
    assert only_problem(folder) == (
        'Sjabloon opp.docx: fout in de Jinja-code: "{% if leerling.klas %}" wordt nergens '
        'afgesloten met {% endif %}, bij "Hallo {% if leerling.klas %}klas {{ leerling.klas }}".'
    )


def test_an_end_without_a_beginning(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(folder, "tussenevaluatie.docx", add_text("Klaar.{% endif %}"))
    assert only_problem(folder) == (
        "Sjabloon tussenevaluatie.docx: fout in de Jinja-code: {% endif %} hoort bij geen "
        'enkel blok: het begin ontbreekt, bij "Klaar.{% endif %}".'
    )


def test_an_end_in_the_wrong_place(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(folder, "opp.docx", add_text("{% for o in ouders %}{{ o.naam }}{% endif %}"))
    assert only_problem(folder) == (
        "Sjabloon opp.docx: fout in de Jinja-code: {% endif %} staat op een plek waar eerst "
        '{% endfor %} moet komen, bij "{% for o in ouders %}{{ o.naam }}{% endif %}".'
    )


def test_an_unknown_filter(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(folder, "eindevaluatie.docx", add_text("Naam: {{ leerling.naam|hoofdletters }}"))
    assert only_problem(folder) == (
        "Sjabloon eindevaluatie.docx: fout in de Jinja-code: onbekend filter 'hoofdletters', "
        'bij "Naam: {{ leerling.naam|hoofdletters }}".'
    )


def test_other_syntax_errors_keep_jinjas_words(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(folder, "opp.docx", add_text("Naam: {{ leerling.naam leerling.klas }}"))
    assert only_problem(folder) == (
        "Sjabloon opp.docx: fout in de Jinja-code: de code klopt niet (Jinja: expected token "
        "'end of print statement', got 'leerling'), bij \"Naam: {{ leerling.naam "
        'leerling.klas }}".'
    )


# ---------------------------------------------------------------------------------------------
# Fields


def test_an_unknown_field_names_the_template_and_the_field(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(folder, "informatiebrief.docx", add_text("Beste {{ leerling.roepnam }},"))
    assert only_problem(folder) == (
        "Sjabloon informatiebrief.docx: onbekend veld 'leerling.roepnam', bij "
        "\"Beste {{ leerling.roepnam }},\". Bedoelt u 'leerling.roepnaam'? Alle velden: "
        "opp-docs templates velden."
    )


def test_the_message_in_the_guide_is_the_real_one(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(folder, "informatiebrief.docx", add_text("Beste {{ leerling.roepnam }},"))
    guide = (TEMPLATES / "LEESMIJ.md").read_text(encoding="utf-8")
    assert only_problem(folder) in guide


def test_unknown_fields_of_a_loop_item_and_top_level_names(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(
        folder,
        "opp.docx",
        add_text("{% for o in ouders %}{{ o.emial }}{% endfor %} {{ leerlingbegeleidster }}"),
    )
    assert problems(folder) == [
        # The text around the tag is cut off at thirty characters on either side.
        "Sjabloon opp.docx: onbekend veld 'o.emial', bij \"{% for o in ouders %}{{ o.emial }}"
        "{% endfor %} {{ leerlingbegele…\". Bedoelt u 'o.email'? Alle velden: "
        "opp-docs templates velden.",
        "Sjabloon opp.docx: onbekend veld 'leerlingbegeleidster', bij \"…s %}{{ o.emial "
        "}}{% endfor %} {{ leerlingbegeleidster }}\". Bedoelt u 'leerlingbegeleider'? Alle "
        "velden: opp-docs templates velden.",
    ]


def test_fields_set_by_the_template_itself_are_known(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    text = (
        "{% set wie = leerling.roepnaam %}{{ wie }} "
        "{% for o in ouders %}{{ loop.index }}. {{ o.naam|upper }}{% endfor %} "
        "{{ ouders[0].naam if ouders else '' }} {{ leerling['klas'] }} {{ range(3)|list }}"
    )
    edit(folder, "opp.docx", add_text(text))
    assert problems(folder) == []


def test_the_table_of_contents_only_exists_on_the_cover(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(folder, "opp.docx", add_text("{% for deel in inhoud %}{{ deel.titel }}{% endfor %}"))
    edit(folder, "voorblad.docx", add_text("{% for deel in inhoud %}{{ deel.titl }}{% endfor %}"))
    assert problems(folder) == [
        "Sjabloon opp.docx: onbekend veld 'inhoud', bij \"{% for deel in inhoud %}{{ deel.titel "
        '}}{% endfor %}". Alle velden: opp-docs templates velden.',
        "Sjabloon voorblad.docx: onbekend veld 'deel.titl', bij \"{% for deel in inhoud %}{{ "
        "deel.titl }}{% endfor %}\". Bedoelt u 'deel.titel'? Alle velden: opp-docs templates "
        "velden.",
    ]


def test_a_field_in_the_footer_says_where(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)

    def change(document: DocumentObject) -> None:
        document.sections[0].footer.add_paragraph("Klas {{ leerling.groep }}")

    edit(folder, "ondertekeningsblad.docx", change)
    assert only_problem(folder) == (
        "Sjabloon ondertekeningsblad.docx: onbekend veld 'leerling.groep' (voettekst), bij "
        '"Klas {{ leerling.groep }}". Alle velden: opp-docs templates velden.'
    )


def test_a_field_in_the_document_properties(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)

    def change(document: DocumentObject) -> None:
        document.core_properties.title = "OPP {{ leerling.name|safe }}"

    edit(folder, "opp.docx", change)
    assert only_problem(folder) == (
        "Sjabloon opp.docx: onbekend veld 'leerling.name' (documenteigenschappen (titel)), bij "
        "\"OPP {{ leerling.name|safe }}\". Bedoelt u 'leerling.naam'? Alle velden: opp-docs "
        "templates velden."
    )


def test_quotes_in_the_document_properties_are_no_problem(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)

    def change(document: DocumentObject) -> None:
        document.core_properties.title = 'Plan "{{ route.naam }}" – {{ leerling.naam ~ "" }}'

    edit(folder, "opp.docx", change)
    assert problems(folder) == []


# ---------------------------------------------------------------------------------------------
# What Word does to a tag


def test_a_tag_split_over_runs_with_different_formatting(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)

    def change(document: DocumentObject) -> None:
        p = document.add_paragraph("Naam: {{ leer")
        p.add_run("ling.naam }} (leerling)").bold = True

    edit(folder, "opp.docx", change)
    assert only_problem(folder) == (
        'Sjabloon opp.docx: de code "{{ leerling.naam }}" is in Word opgesplitst in stukken met '
        'verschillende opmaak ("{{ leer" + "ling.naam }}"): "Naam: {{ leerling.naam }} '
        '(leerling)". docxtpl zou de opmaak van het eerste stuk gebruiken. Selecteer de hele '
        "code en geef hem één opmaak, of typ hem opnieuw in één keer."
    )


def test_the_braces_of_one_tag_in_different_formatting(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)

    def change(document: DocumentObject) -> None:
        p = document.add_paragraph("{")
        p.add_run("{ leerling.klas }}").italic = True

    edit(folder, "opp.docx", change)
    assert only_problem(folder).startswith(
        'Sjabloon opp.docx: de code "{{ leerling.klas }}" is in Word opgesplitst in stukken met '
        'verschillende opmaak ("{" + "{ leerling.klas }}")'
    )


def test_a_split_with_the_same_formatting_is_left_to_docxtpl(tmp_path: Path) -> None:
    """Word splits runs for spelling marks and revision ids; docxtpl joins those itself."""
    folder = copy_templates(tmp_path)

    def change(document: DocumentObject) -> None:
        p = document.add_paragraph("Naam: {{ leer")
        p.add_run("ling.naam }}.")
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        p.runs[1]._r.get_or_add_rPr().append(lang)  # a spelling language is no formatting

    path = edit(folder, "opp.docx", change)
    assert problems(folder) == []
    target = tmp_path / "uit.docx"
    render_document(path, example_context(), target)
    text = [p.text for p in docx.Document(str(target)).paragraphs]
    assert f"Naam: {example_context()['leerling']['naam']}." in text


def test_a_tag_split_by_a_tracked_insertion(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)

    def change(document: DocumentObject) -> None:
        p = document.add_paragraph("Klas {{ leerling.")
        insertion = OxmlElement("w:ins")
        insertion.set(qn("w:id"), "1")
        insertion.set(qn("w:author"), "Mentor")
        run = p.add_run("klas }}")
        run._r.addprevious(insertion)
        insertion.append(run._r)

    edit(folder, "opp.docx", change)
    assert only_problem(folder).startswith(
        'Sjabloon opp.docx: de code "{{ leerling.klas }}" is in Word opgesplitst in stukken '
        "waarvan een deel in een bijgehouden wijziging, hyperlink of veld staat"
    )


def test_a_tag_left_open_in_its_paragraph(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(folder, "opp.docx", add_text("Klas {{ leerling.klas"))
    assert only_problem(folder) == (
        'Sjabloon opp.docx: de code "{{ leerling.klas" wordt in dezelfde alinea niet afgesloten '
        'met "}}": "Klas {{ leerling.klas". Een code begint en eindigt in één alinea; typ hem '
        "opnieuw in één keer."
    )


def test_a_paragraph_tag_with_other_text(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)

    def change(document: DocumentObject) -> None:
        document.add_paragraph("Alleen voor de klas: {%p if leerling.klas %}")
        document.add_paragraph("{%p endif %}")

    edit(folder, "opp.docx", change)
    assert only_problem(folder) == (
        'Sjabloon opp.docx: de code "{%p if leerling.klas %}" staat in een alinea met andere '
        'tekst ("Alleen voor de klas:"). docxtpl haalt de hele alinea weg, met die tekst. Zet '
        "de code in een eigen alinea."
    )


def test_a_row_tag_with_other_text_in_the_row(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)

    def change(document: DocumentObject) -> None:
        table = document.add_table(rows=3, cols=2)
        table.cell(0, 0).text = "{%tr for ouder in ouders %}"
        table.cell(0, 1).text = "Ouder"
        table.cell(1, 0).text = "{{ ouder.naam }}"
        table.cell(2, 0).text = "{%tr endfor %}"

    edit(folder, "opp.docx", change)
    assert only_problem(folder) == (
        'Sjabloon opp.docx: de code "{%tr for ouder in ouders %}" staat in een tabelrij met '
        'andere tekst ("Ouder"). docxtpl haalt de hele tabelrij weg, met die tekst. Zet de code '
        "in een eigen tabelrij."
    )


def test_code_in_a_tracked_deletion(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)

    def change(document: DocumentObject) -> None:
        p = document.add_paragraph("Tekst")
        deletion = OxmlElement("w:del")
        deletion.set(qn("w:id"), "2")
        deletion.set(qn("w:author"), "Mentor")
        run = OxmlElement("w:r")
        deleted = OxmlElement("w:delText")
        deleted.text = "{{ leerling.oude_naam }}"
        run.append(deleted)
        deletion.append(run)
        p._p.append(deletion)

    edit(folder, "opp.docx", change)
    assert problems(folder)[0] == (
        "Sjabloon opp.docx: bevat een bijgehouden wijziging waarin code is verwijderd "
        '("{{ leerling.oude_naam }}"). Accepteer of weiger in Word alle wijzigingen '
        "(Controleren > Accepteren) en sla het sjabloon opnieuw op."
    )


# ---------------------------------------------------------------------------------------------
# Files


def test_a_missing_template(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    (folder / "voorblad.docx").unlink()
    assert only_problem(folder) == (
        f"Sjabloon voorblad.docx: ontbreekt in {folder}. Zet het sjabloon terug "
        "(git checkout templates)."
    )


def test_a_file_that_is_no_word_document(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    (folder / "opp.docx").write_text("geen Word", encoding="utf-8")
    assert only_problem(folder).startswith(
        "Sjabloon opp.docx: kan niet worden geopend als Word-bestand ("
    )
    assert only_problem(folder).endswith("Sla het in Word op als Word-document (.docx).")


def test_word_lock_files_are_skipped_and_other_templates_checked_without_fields(
    tmp_path: Path,
) -> None:
    folder = copy_templates(tmp_path)
    (folder / "~$opp.docx").write_bytes(b"lock")
    other = folder / "docentenoverzicht.docx"
    document = docx.Document()
    document.add_paragraph("{% for klas in klassen %}{{ klas.naam }}{% endfor %}")
    document.save(str(other))
    result = check_templates(folder)
    assert "~$opp.docx" not in result.checked
    assert result.fields_unchecked == ["docentenoverzicht.docx"]
    output = CliRunner().invoke(main, ["templates", "check", "--templates", str(folder)]).output
    assert output.endswith(
        "Let op: docentenoverzicht.docx is geen sjabloon voor één leerling; de Jinja-code is "
        "gecontroleerd, de velden niet.\n"
    )
    document.add_paragraph("{% if x %}")
    document.save(str(other))
    assert problems(folder) == [
        'Sjabloon docentenoverzicht.docx: fout in de Jinja-code: "{% if x %}" wordt nergens '
        'afgesloten met {% endif %}, bij "{% if x %}".'
    ]


def test_several_problems_are_listed_together(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(folder, "opp.docx", add_text("{{ leerling.foo }}"))
    edit(folder, "voorblad.docx", add_text("{{ leerling.bar }}"))
    with pytest.raises(TemplateCheckError) as caught:
        check_templates(folder)
    assert str(caught.value) == (
        f"2 problemen in de sjablonen in {folder}:\n"
        "  - Sjabloon opp.docx: onbekend veld 'leerling.foo', bij \"{{ leerling.foo }}\". "
        "Alle velden: opp-docs templates velden.\n"
        "  - Sjabloon voorblad.docx: onbekend veld 'leerling.bar', bij \"{{ leerling.bar }}\". "
        "Alle velden: opp-docs templates velden."
    )


# ---------------------------------------------------------------------------------------------
# The pipeline runs the same check


def test_the_pipeline_stops_with_the_same_message(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(folder, "informatiebrief.docx", add_text("Beste {{ leerling.roepnam }},"))
    year = SchoolYear(2026)
    write_example_intake(tmp_path / "intake", year)
    options = RunOptions(
        intake=tmp_path / "intake",
        output=tmp_path / "uit",
        schooljaar=year,
        templates=folder,
        config=Config(),
        today=dt.date(2026, 9, 1),
    )
    with pytest.raises(TemplateError) as caught:
        run_dossiers(options)
    assert str(caught.value) == only_problem(folder)
    assert not (tmp_path / "uit" / str(year) / "leerlingen").exists()


# ---------------------------------------------------------------------------------------------
# The command line


def test_cli_check_passes_on_the_shipped_templates() -> None:
    result = CliRunner().invoke(main, ["templates", "check", "--templates", str(TEMPLATES)])
    assert result.exit_code == 0, result.output
    count = len(list(TEMPLATES.glob("*.docx")))
    assert result.output.startswith(
        f"{count} sjablonen in {TEMPLATES} gecontroleerd: geen problemen.\n"
    )


def test_cli_check_fails_with_the_message_and_no_traceback(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    edit(folder, "opp.docx", add_text("Klas {{ leerling.klas"))
    result = CliRunner().invoke(main, ["templates", "check", "--templates", str(folder)])
    assert result.exit_code == 1
    assert result.output == f"Fout: {only_problem(folder)}\n"
    assert "Traceback" not in result.output


def test_cli_check_knows_the_dutch_option_name(tmp_path: Path) -> None:
    folder = copy_templates(tmp_path)
    result = CliRunner().invoke(main, ["templates", "check", "--sjablonen", str(folder)])
    assert result.exit_code == 0, result.output


def test_cli_check_of_a_folder_that_does_not_exist(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["templates", "check", "--templates", str(tmp_path / "weg")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Fout: 7 problemen in de sjablonen in {tmp_path / 'weg'}:")
    assert "Sjabloon opp.docx: ontbreekt in" in result.output


def test_a_template_that_lost_a_marked_part_is_warned_about(tmp_path: Path) -> None:
    """A school deletes the goals table's heading row in Word (and with it the bookmark that
    marks the table): the run still works, but the check says what opp-docs cannot read."""
    folder = copy_templates(tmp_path)

    def drop_goal_heading(document: DocumentObject) -> None:
        body = document.element.body
        (start,) = [
            b for b in body.iter(qn("w:bookmarkStart")) if b.get(qn("w:name")) == "opp_doelen"
        ]
        row = start
        while row.tag != qn("w:tr"):
            row = row.getparent()
        row.getparent().remove(row)

    edit(folder, "opp.docx", drop_goal_heading)
    result = find_problems(folder)
    assert result.problems == []
    (warning,) = result.warnings
    assert warning.template == "opp.docx"
    assert "'opp_doelen'" in warning.problem and "doelen" in warning.problem
    out = CliRunner().invoke(main, ["templates", "check", "--templates", str(folder)])
    assert out.exit_code == 0
    assert "Let op: opp.docx: de bladwijzer 'opp_doelen'" in out.output


def test_the_shipped_templates_keep_every_marked_part() -> None:
    assert find_problems(REPO / "templates").warnings == []
