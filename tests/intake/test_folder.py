from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opp_docs.errors import IntakeFilesError, IntakeFolderError
from opp_docs.models import Route
from tests.intake_helpers import (
    blocking,
    read,
    registration,
    snapshot,
    write_xlsx,
)


def test_canonical_headers_give_typed_students(tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "aanmeldingen.xlsx",
        [
            registration(
                "012345",
                **{
                    "Geslacht": "V",
                    "Klas": "1B",
                    "Tutor": "J. Bakker",
                    "LWOO": "ja",
                    "PrO": "nee",
                    "OPP basisschool": "x",
                    "Dyslexieverklaring": True,
                    "Aanmelddatum": "15-3-2026",
                    "Naam ouder/verzorger 1": "A. de Vries",
                    "E-mail ouder/verzorger 1": "a@b.nl",
                    "Telefoon ouder/verzorger 1": 612345678,
                    "Naam ouder/verzorger 2": None,
                    "E-mail ouder/verzorger 2": "c@d.nl",
                },
            ),
            registration(
                "000077",
                Achternaam="Bakker",
                Tussenvoegsel=None,
                Roepnaam="Ali",
                Schooladvies="havo/vwo",
            ),
        ],
    )
    write_xlsx(
        tmp_path / "okr.xlsx",
        [
            {
                "Leerlingnummer": "012345",
                "Doorstroomtoets lezen": "2F",
                "Eindtoets rekenen": "<1F",
                "Ondersteuningsbehoefte": "Structuur.\nKorte instructie.",
                "Ondersteuningsniveau": "licht",
                "Verwacht aantal RT-momenten": 6,
                "TLV mogelijk": "nee",
                "Route (besluit)": "OPP light",
                "Signaaldatum": None,
            }
        ],
    )
    result = read(tmp_path)
    assert blocking(result) == []
    assert [s.leerlingnummer for s in result.leerlingen] == ["000077", "012345"]
    sanne = result.leerlingen[1]
    assert sanne.naam == "Sanne de Vries"
    assert sanne.geboortedatum == dt.date(2014, 5, 3)
    assert (sanne.geslacht, sanne.klas, sanne.tutor) == ("V", "1B", "J. Bakker")
    assert (sanne.lwoo, sanne.pro, sanne.opp_po, sanne.dyslexie) == (True, False, True, True)
    assert sanne.aanmelddatum == dt.date(2026, 3, 15)
    assert [(o.naam, o.email, o.telefoon) for o in sanne.ouders] == [
        ("A. de Vries", "a@b.nl", "0612345678")
    ]
    assert (sanne.toets_lezen, sanne.toets_rekenen, sanne.toets_taalverzorging) == ("2F", "<1F", "")
    assert sanne.ondersteuningsbehoefte == "Structuur.\nKorte instructie."
    assert (sanne.ondersteuningsniveau, sanne.rt_momenten) == ("licht", 6)
    assert sanne.route_besluit is Route.OPP_LIGHT
    assert len(sanne.places) == 2
    assert result.leerlingen[0].schooladvies == "havo/vwo"


def test_lock_hidden_and_readme_files_are_ignored(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "a.xlsx", [registration()])
    (tmp_path / "~$a.xlsx").write_bytes(b"\x00lock")
    (tmp_path / ".~lock.a.xlsx#").write_text("lock")
    (tmp_path / ".verborgen.csv").write_text("x")
    (tmp_path / "Thumbs.db").write_bytes(b"\x00")
    (tmp_path / "desktop.ini").write_text("[x]")
    (tmp_path / "LEESMIJ.txt").write_text("lees mij")
    (tmp_path / "README.md").write_text("read me")
    result = read(tmp_path)
    assert result.files_read == ["a.xlsx"]
    assert len(result.leerlingen) == 1


def test_unreadable_files_stop_the_run_with_one_line_each(tmp_path: Path) -> None:
    write_xlsx(tmp_path / "goed.xlsx", [registration()])
    (tmp_path / "kapot.xlsx").write_bytes(b"PK\x03\x04 dit is geen werkmap")
    (tmp_path / "leeg.csv").write_bytes(b"")
    (tmp_path / "brief.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "rapport 123456.pdf").write_bytes(b"geen pdf")
    (tmp_path / "zonder-kop.csv").write_text("a;b\n1;2\n")
    before = snapshot(tmp_path)
    with pytest.raises(IntakeFilesError) as info:
        read(tmp_path)
    assert snapshot(tmp_path) == before
    names = [p.file for p in info.value.problems]
    assert names == ["brief.docx", "kapot.xlsx", "leeg.csv", "rapport 123456.pdf", "zonder-kop.csv"]
    message = str(info.value)
    assert "sla het opnieuw op als .xlsx" in message.replace("Sla", "sla")
    assert "Traceback" not in message


def test_password_protected_workbook(tmp_path: Path) -> None:
    # An encrypted .xlsx is an OLE container holding an 'EncryptedPackage' stream.
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    )
    (tmp_path / "geheim.xlsx").write_bytes(ole)
    with pytest.raises(IntakeFilesError) as info:
        read(tmp_path)
    assert "wachtwoord" in str(info.value)


def test_missing_and_empty_folders(tmp_path: Path) -> None:
    with pytest.raises(IntakeFolderError, match="bestaat niet"):
        read(tmp_path / "nergens")
    (tmp_path / "Thumbs.db").write_bytes(b"")
    with pytest.raises(IntakeFolderError, match="geen bestand"):
        read(tmp_path)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".xlsx", ".csv", ".xlsm", ".pdf"]))
def test_random_bytes_give_a_clear_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    folder = tmp_path_factory.mktemp("bytes")
    (folder / f"x{suffix}").write_bytes(data)
    with contextlib.suppress(IntakeFilesError, IntakeFolderError):
        read(folder)
