"""`opp-docs templates velden`: every field of the real context, described, with the example
student's values; a drift between the intake fields, the record, the context and the demo's
exports fails here."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from openpyxl import load_workbook

from opp_docs.cli import main
from opp_docs.demo.cohort import write_example_intake
from opp_docs.documents.context import DOCUMENT_FIELDS
from opp_docs.documents.fields_reference import DESCRIPTIONS, example_context, list_fields
from opp_docs.intake.fields import FIELDS, FieldType
from opp_docs.models import Leerling, SchoolYear


def test_cli_velden_lists_every_field_with_description_and_example() -> None:
    result = CliRunner().invoke(main, ["templates", "velden"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for f in list_fields():
        at = lines.index(f.usage)
        assert lines[at + 1] == f"    {f.description}"
    assert "{{ leerling.naam }}" in lines
    assert "{% for ouder in ouders %} … {% endfor %}" in lines
    assert "    Alleen binnen {% for ouder in ouders %} … {% endfor %}" in lines
    assert "{% if instemming_leerling %} … {% endif %}" in lines
    assert "    Alleen in voorblad.docx" in lines
    assert f"    Voorbeeld: {example_context()['leerling']['naam']}" in lines


# ---------------------------------------------------------------------------------------------
# The field list follows the data model


def leaves(value: Any, name: str = "") -> set[str]:
    if isinstance(value, dict):
        return {leaf for k, v in value.items() for leaf in leaves(v, f"{name}.{k}".lstrip("."))}
    return {name}


def test_every_context_field_is_listed_with_a_description() -> None:
    fields = {f.name: f for f in list_fields()}
    missing = [f.name for f in fields.values() if not f.description]
    assert missing == [], f"velden zonder beschrijving (vul DESCRIPTIONS aan): {missing}"
    for name in leaves(example_context()):
        assert name in fields, name
    # Each parent field, through the name the for-loop gives an item.
    assert {"ouder.naam", "ouder.email", "ouder.telefoon"} <= set(fields)
    assert {"deel.titel", "deel.pagina"} <= set(fields)


def test_no_description_is_left_over_from_a_field_that_is_gone() -> None:
    names = {f.name for f in list_fields()}
    assert set(DESCRIPTIONS) <= names


def test_the_example_values_are_the_example_students() -> None:
    fields = {f.name: f for f in list_fields()}
    assert fields["leerling.naam"].example == "Sem Jansen"
    assert fields["ouder.naam"].example == "Anouk Jansen"
    assert fields["ouders"].example == "een lijst van 2"
    assert fields["instemming_leerling"].example == "niet waar"
    assert fields["leerling.tussenvoegsel"].example == "(leeg)"


# ---------------------------------------------------------------------------------------------
# One definition per intake field: the record, the context, the reference and the demo follow it

# Fields the record holds under another name or in another shape.
RECORD_NAMES = {"route": "route_besluit"}
PARENT_FIELDS = {f.key for f in FIELDS if f.key.startswith("ouder")}
TYPES = {
    FieldType.DATE: "dt.date | None",
    FieldType.YES_NO: "bool",
    FieldType.WHOLE_NUMBER: "int | None",
    FieldType.ROUTE: "Route | None",
}


def test_the_record_has_every_intake_field_with_its_type() -> None:
    annotations = {f.name: f.type for f in dataclasses.fields(Leerling)}
    for field in FIELDS:
        if field.key in PARENT_FIELDS:
            continue  # the record's `ouders`
        name = RECORD_NAMES.get(field.key, field.key)
        assert name in annotations, f"Leerling mist het veld {name}"
        assert annotations[name] == TYPES.get(field.type, "str"), name
    assert "ouders" in typing.get_type_hints(Leerling)


def test_the_context_shows_exactly_the_document_fields() -> None:
    shown = set(example_context()["leerling"])
    assert shown == {f.key for f in DOCUMENT_FIELDS} | {"naam", "leeftijd"}


def test_the_reference_describes_each_document_field_by_its_intake_field() -> None:
    fields = {f.name: f for f in list_fields()}
    for field in DOCUMENT_FIELDS:
        listed = fields[f"leerling.{field.key}"]
        assert listed.description == DESCRIPTIONS.get(f"leerling.{field.key}", field.description)


def test_the_demo_exports_have_a_column_for_every_field(tmp_path: Path) -> None:
    headers: set[str] = set()
    for path in write_example_intake(tmp_path, SchoolYear(2026)):
        for row in load_workbook(path).active.iter_rows(values_only=True):
            if row and row[0] == "Leerlingnummer":
                headers.update(str(cell) for cell in row)
    assert headers == {f.header for f in FIELDS}
