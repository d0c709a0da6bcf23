"""The school's settings file: defaults, values, and messages that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from opp_docs.cli import main
from opp_docs.config import Config, MonthDay, load_config
from opp_docs.errors import ConfigError, ConfigFileMissingError
from tests.helpers import REPO, logo_png
from tests.intake_helpers import registration, write_xlsx


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "opp-docs.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_config(None) == Config()
    assert load_config(tmp_path / "opp-docs.toml", required=False) == Config()


def test_missing_named_file_is_an_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "instellingen-school.toml"
    with pytest.raises(ConfigFileMissingError) as info:
        load_config(path)
    assert str(info.value) == (
        f"Instellingenbestand {path} bestaat niet; opp-docs gaat niet verder met de "
        "standaardinstellingen. Controleer de naam en de map (bij --instellingen), of laat "
        "--instellingen weg om opp-docs.toml in de huidige map te gebruiken."
    )


def test_missing_named_file_stops_the_cli_with_the_message(tmp_path: Path) -> None:
    path = tmp_path / "instelingen.toml"
    result = CliRunner().invoke(
        main,
        ["check", "--intake", str(tmp_path), "--output", str(tmp_path / "uit"),
         "--instellingen", str(path)],
    )  # fmt: skip
    assert result.exit_code == 1
    assert f"Instellingenbestand {path} bestaat niet" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "uit").exists()


def test_cli_without_settings_file_in_the_folder_uses_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "intake").mkdir()
    write_xlsx(tmp_path / "intake" / "aanmeldingen.xlsx", [registration("990101")])
    monkeypatch.chdir(tmp_path)  # the default opp-docs.toml is looked for here, and is absent
    result = CliRunner().invoke(main, ["check", "--intake", "intake", "--output", "uit"])
    assert result.exit_code == 0, result.output
    assert "Intake in orde (1 leerlingen)" in result.output


def test_settings_path_that_is_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert f"Instellingen {tmp_path}, sleutel '(bestand)'" in str(info.value)
    assert "kan niet worden gelezen" in str(info.value)


def test_shipped_settings_file_is_valid() -> None:
    config = load_config(REPO / "opp-docs.toml")
    assert config.school_naam
    assert config.basis_max_rt == 8
    assert config.basis_uitloop_rt == 2
    assert config.opp_datum == MonthDay(10, 15)
    assert config.weken_bij_late_start == 6


def test_values_are_read(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
[school]
naam = "Het Voorbeeldcollege"
[mensen]
teamleider = "dhr. A. Teamleider"
leerlingbegeleiders = ["mevr. B. Begeleider", "dhr. C. Coach"]
[deadlines]
opp = "1-10"
dagen_tot_ondertekening = 21
weken_bij_late_start = 4
[basisondersteuning]
max_rt_momenten = 6
[kolommen]
leerlingnummer = ["Lln"]
""",
        )
    )
    assert config.school_naam == "Het Voorbeeldcollege"
    assert config.standaard_leerlingbegeleider == "mevr. B. Begeleider"
    assert config.opp_datum == MonthDay(10, 1)
    assert config.dagen_tot_ondertekening == 21
    assert config.weken_bij_late_start == 4
    assert config.basis_max_rt == 6
    assert config.synoniemen == {"leerlingnummer": ("Lln",)}


@pytest.mark.parametrize(
    ("text", "key", "hint"),
    [
        ('[deadlines]\nopp = "31-9"', "deadlines.opp", "dag-maand"),
        ("[deadlines]\nopp = 15", "deadlines.opp", "dag-maand"),
        ('[basisondersteuning]\nmax_rt_momenten = "acht"', "basisondersteuning.max_rt_momenten",
         "heel getal van 0 tot en met 100"),
        ("[basisondersteuning]\nuitloop_rt_momenten = -1", "basisondersteuning.uitloop_rt_momenten",
         "heel getal"),
        ("[deadlines]\nweken_bij_late_start = 0", "deadlines.weken_bij_late_start",
         "heel getal van 1 tot en met 52"),
        ("[school]\nnaam = 3", "school.naam", "tekst"),
        ('[mensen]\nleerlingbegeleiders = "Jan"', "mensen.leerlingbegeleiders", "lijst"),
        ('[kolommen]\nleerlingnummer = "Lln"', "kolommen.leerlingnummer", "lijst"),
        ("[school\nnaam = 'x'", "(bestand)", "TOML"),
        ('[deadline]\nbron = "1-10"', "deadline", "[deadlines]"),
        ('[deadlines]\nbron_dattum = "1-10"', "deadlines.bron_dattum", "dagen_tot_ondertekening"),
        ('school = "Revius"', "school", "tabel"),
        ('[leerlingbegeleiders]\nstandard = "X"', "leerlingbegeleiders.standard", "standaard"),
        ("[leerlingbegeleiders]\nstandaard = 3", "leerlingbegeleiders.standaard", "tekst"),
        ('[leerlingbegeleiders]\nklas = "1A"', "leerlingbegeleiders.klas", "tabel"),
        ('[leerlingbegeleiders.klas]\n1A = ""', "leerlingbegeleiders.klas.1A", "naam"),
        ('[leerlingbegeleiders.klas]\n1A = ["X"]', "leerlingbegeleiders.klas.1A", "naam"),
        ('[leerlingbegeleiders.klas]\n1A = "X"\n"1 a" = "Y"', "leerlingbegeleiders.klas.1 a",
         "elke klas één keer"),
        ('[leerlingbegeleiders.leerjaar]\neen = "X"', "leerlingbegeleiders.leerjaar.een",
         "heel getal van 1 tot en met 10"),
        ('[leerlingbegeleiders.leerjaar]\n0 = "X"', "leerlingbegeleiders.leerjaar.0",
         "heel getal"),
    ],
)  # fmt: skip
def test_invalid_values_name_the_key(tmp_path: Path, text: str, key: str, hint: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert f"'{key}'" in str(info.value)
    assert hint in str(info.value)


def test_counsellor_rules_are_read(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            """
[mensen]
leerlingbegeleiders = ["mevr. Oud"]
[leerlingbegeleiders]
standaard = " mevr. Standaard "
[leerlingbegeleiders.klas]
"1A" = "dhr. Klas"
2hv = "mevr. Twee"
[leerlingbegeleiders.leerjaar]
3 = "dhr. Drie"
""",
        )
    )
    rules = config.begeleiding
    assert rules.klas == {"1A": "dhr. Klas", "2hv": "mevr. Twee"}
    assert rules.leerjaar == {3: "dhr. Drie"}
    # The new default wins over the old list's first name.
    assert config.standaard_leerlingbegeleider == "mevr. Standaard"


def test_the_old_list_still_gives_the_default(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[mensen]\nleerlingbegeleiders = ["mevr. Oud", "X"]\n'))
    assert config.standaard_leerlingbegeleider == "mevr. Oud"
    assert load_config(REPO / "opp-docs.toml").standaard_leerlingbegeleider == ""


def test_logo_is_a_path_relative_to_the_settings_file(tmp_path: Path) -> None:
    (tmp_path / "huisstijl").mkdir()
    (tmp_path / "huisstijl" / "logo.png").write_bytes(logo_png(30, 20))
    config = load_config(write(tmp_path, '[school]\nlogo = "huisstijl/logo.png"\n'))
    assert config.school_logo == tmp_path / "huisstijl" / "logo.png"
    assert load_config(write(tmp_path, '[school]\nnaam = "X"\n')).school_logo is None


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("ontbreekt.png", None, "bestaat niet"),
        ("logo.png", b"geen afbeelding", "geen afbeelding die opp-docs kan lezen"),
        ("logo.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "geen PNG of JPEG (image/gif)"),
        ("map", "map", "is een map, geen bestand"),
    ],
)
def test_a_logo_that_cannot_be_used_names_the_setting_and_the_fix(
    tmp_path: Path, name: str, data: bytes | str | None, problem: str
) -> None:
    if data == "map":
        (tmp_path / name).mkdir()
    elif isinstance(data, bytes):
        (tmp_path / name).write_bytes(data)
    path = write(tmp_path, f'[school]\nlogo = "{name}"\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(f"Instellingen {path}, sleutel 'school.logo': ")
    assert problem in message and str(tmp_path / name) in message
    assert "Toegestaan: het pad naar een PNG- of JPEG-bestand" in message


def test_a_jpeg_logo_is_accepted(tmp_path: Path) -> None:
    image = pytest.importorskip("PIL.Image")
    image.new("RGB", (40, 20), (31, 58, 95)).save(tmp_path / "logo.jpg", "JPEG")
    config = load_config(write(tmp_path, '[school]\nlogo = "logo.jpg"\n'))
    assert config.school_logo == tmp_path / "logo.jpg"
