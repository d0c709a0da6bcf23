from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from opp_docs.cli import main
from opp_docs.intake import legacy
from opp_docs.office import WORK_DIR_PREFIX
from tests.intake_helpers import (
    blocking,
    needs_soffice,
    read,
    registration,
    snapshot,
    soffice_convert,
    write_csv,
    write_xlsx,
)


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_ods_and_xls_are_converted_without_touching_the_intake(tmp_path: Path, fmt: str) -> None:
    write_xlsx(
        tmp_path / "bron.xlsx",
        [registration("012345"), registration("2", Roepnaam="Bo")],
        above=[["Aanmeldingen"]],
    )
    intake = tmp_path / "intake"
    soffice_convert(tmp_path / "bron.xlsx", fmt, intake)
    before = snapshot(intake)
    result = read(intake)
    assert snapshot(intake) == before
    assert sorted(p.name for p in intake.iterdir()) == [f"bron.{fmt}"]
    assert [s.leerlingnummer for s in result.leerlingen] == ["2", "012345"]
    assert result.leerlingen[1].geboortedatum == dt.date(2014, 5, 3)


@pytest.mark.libreoffice
@needs_soffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_ods_and_xls_keep_zero_padding_dates_and_hidden_sheets(tmp_path: Path, fmt: str) -> None:
    # What any other .xls/.ods reader must match. python-calamine 0.9 does not: it has no number
    # formats, so 012345 shown as '000000' becomes 12345, and it reads 28-2-1900 in an .ods as
    # 27-2-1900.
    write_xlsx(
        tmp_path / "bron.xlsx",
        {"Blad1": [registration("0")], "Oud": [registration("990009")]},
        hidden=["Oud"],
    )
    workbook = load_workbook(tmp_path / "bron.xlsx")
    cell = workbook["Blad1"]["A2"]
    cell.value, cell.number_format = 12345, "000000"
    workbook.save(tmp_path / "bron.xlsx")
    intake = tmp_path / "intake"
    soffice_convert(tmp_path / "bron.xlsx", fmt, intake)
    result = read(intake)
    assert blocking(result) == []
    [sanne] = result.leerlingen
    assert (sanne.leerlingnummer, sanne.geboortedatum) == ("012345", dt.date(2014, 5, 3))
    assert f"bron.{fmt}: verborgen blad 'Oud' is overgeslagen." in result.notes


# --- "Excel" downloads that are a web page or text ---------------------------------------

HTML_EXPORT = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Export</title></head><body>
<table border="1">
<tr><td colspan="6"><b>Aanmeldingen 2026-2027</b></td></tr>
<tr><th>Stamnr.</th><th>Achternaam</th><th>Tussenv.</th><th>Roepnaam</th><th>Geb.dat.</th>
    <th>Basisschool</th><th>Advies</th><th>Klassenmentor 1</th></tr>
<tr><td>0990101</td><td>Vries</td><td>de</td><td>Zo&euml;</td><td>03-05-2014</td>
    <td>De&nbsp;Regenboog</td><td>vmbo-kb</td><td>J. Bakker</td></tr>
<tr><td>0990102</td><td>Bakker</td><td></td><td>Bo</td><td>01-03-2014</td>
    <td>Sint-Jozef<br>dependance</td><td colspan="2">havo</td></tr>
<tr><td></td><td></td></tr>
</table></body></html>
"""


def test_xls_that_is_a_web_page_is_read_as_text(tmp_path: Path) -> None:
    (tmp_path / "export.xls").write_text(HTML_EXPORT, encoding="utf-8")
    before = snapshot(tmp_path)
    result = read(tmp_path)
    assert snapshot(tmp_path) == before
    assert blocking(result) == []
    zoe, bo = sorted(result.leerlingen, key=lambda s: s.leerlingnummer)
    assert (zoe.leerlingnummer, zoe.naam, zoe.geboortedatum) == (
        "0990101",
        "Zoë de Vries",
        dt.date(2014, 5, 3),
    )
    assert (zoe.basisschool, zoe.tutor) == ("De Regenboog", "J. Bakker")
    assert (bo.leerlingnummer, bo.basisschool, bo.schooladvies, bo.tutor) == (
        "0990102",
        "Sint-Jozef\ndependance",
        "havo",
        "",
    )
    assert [p.row for p in bo.places] == [4]
    assert result.notes == [
        "export.xls is eigenlijk een webpagina met een tabel (HTML) en is zo gelezen, elke cel "
        "als tekst."
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
def test_xls_that_is_tab_separated_text_is_read_as_csv(tmp_path: Path, encoding: str) -> None:
    write_csv(
        tmp_path / "export.xls",
        [registration("0990101", Roepnaam="Zoë"), registration("0990102", Roepnaam="Bo")],
        delimiter="\t",
        encoding=encoding,
    )
    before = snapshot(tmp_path)
    result = read(tmp_path)
    assert snapshot(tmp_path) == before
    assert blocking(result) == []
    assert [(s.leerlingnummer, s.roepnaam) for s in result.leerlingen] == [
        ("0990102", "Bo"),
        ("0990101", "Zoë"),
    ]
    assert result.notes == [
        "export.xls is eigenlijk een tekstbestand (zoals CSV) en is zo gelezen, elke cel als tekst."
    ]


# --- converted copies of the intake never outlive the run ------------------------------------


@pytest.fixture
def system_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The system's temporary folder, for this test alone."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_an_xls_is_converted_in_a_private_work_folder_that_goes_with_the_run(
    tmp_path: Path, system_temp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    intake = tmp_path / "intake"
    intake.mkdir()
    # A real (binary, OLE) .xls: only LibreOffice reads it.
    (intake / "aanmeldingen.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    seen: list[tuple[Path, int]] = []

    def convert(
        soffice: str, jobs: list[tuple[Path, Path]], fmt: str
    ) -> tuple[dict[Path, Path], dict[Path, str]]:
        ((source, target),) = jobs
        (work,) = [p for p in source.parents if p.parent == system_temp]
        seen.append((work, stat.S_IMODE(work.stat().st_mode)))
        write_xlsx(target, [registration("990001")])
        return {source: target}, {}

    monkeypatch.setattr(legacy, "find_soffice", lambda: "soffice")
    monkeypatch.setattr(legacy, "run_batch", convert)
    result = CliRunner().invoke(
        main, ["check", "--intake", str(intake), "--output", str(tmp_path / "uit")]
    )

    assert result.exit_code == 0, result.output
    ((work, mode),) = seen
    # Named after this process, so that when it is killed the next run removes the folder.
    assert work.name.startswith(f"{WORK_DIR_PREFIX}{os.getpid()}-")
    assert mode == 0o700
    assert list(system_temp.iterdir()) == []


def test_the_next_run_removes_what_a_killed_run_left_in_the_temporary_folder(
    tmp_path: Path, system_temp: Path
) -> None:
    ended = subprocess.Popen([sys.executable, "-c", ""])
    ended.wait()
    left = system_temp / f"{WORK_DIR_PREFIX}{ended.pid}-k7x2q9"
    (left / "bestand1").mkdir(parents=True)
    (left / "bestand1" / "invoer.xls").write_text("Leerlingnummer;Achternaam\n990001;Wolkenkrabber")
    # A running process's folder is its own.
    running = system_temp / f"{WORK_DIR_PREFIX}{os.getpid()}-p3m8w1"
    running.mkdir()
    intake = tmp_path / "intake"
    intake.mkdir()
    write_xlsx(intake / "aanmeldingen.xlsx", [registration("990001")])

    result = CliRunner().invoke(
        main, ["check", "--intake", str(intake), "--output", str(tmp_path / "uit")]
    )

    assert result.exit_code == 0, result.output
    assert list(system_temp.iterdir()) == [running]
