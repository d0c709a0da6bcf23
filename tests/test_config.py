"""The school's settings file: defaults, values, and messages that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from opp_docs.config import Config, MonthDay, load_config
from opp_docs.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "opp-docs.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml") == Config()


def test_shipped_settings_file_is_valid() -> None:
    config = load_config(REPO / "opp-docs.toml")
    assert config.school_naam
    assert config.basis_max_rt == 8
    assert config.basis_uitloop_rt == 2
    assert config.opp_datum == MonthDay(10, 15)


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
[basisondersteuning]
max_rt_momenten = 6
[kolommen]
leerlingnummer = ["Lln"]
""",
        )
    )
    assert config.school_naam == "Het Voorbeeldcollege"
    assert config.leerlingbegeleider == "mevr. B. Begeleider"
    assert config.opp_datum == MonthDay(10, 1)
    assert config.dagen_tot_ondertekening == 21
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
        ("[school]\nnaam = 3", "school.naam", "tekst"),
        ('[mensen]\nleerlingbegeleiders = "Jan"', "mensen.leerlingbegeleiders", "lijst"),
        ('[kolommen]\nleerlingnummer = "Lln"', "kolommen.leerlingnummer", "lijst"),
        ("[school\nnaam = 'x'", "(bestand)", "TOML"),
        ('[deadline]\nbron = "1-10"', "deadline", "[deadlines]"),
        ('[deadlines]\nbron_dattum = "1-10"', "deadlines.bron_dattum", "dagen_tot_ondertekening"),
        ('school = "Revius"', "school", "tabel"),
    ],
)  # fmt: skip
def test_invalid_values_name_the_key(tmp_path: Path, text: str, key: str, hint: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert f"'{key}'" in str(info.value)
    assert hint in str(info.value)
