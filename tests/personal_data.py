"""A fictional student whose data must never reach the terminal: the intake that holds it,
and the check that it did not."""

from __future__ import annotations

from pathlib import Path

from tests.intake_helpers import registration, write_csv, write_xlsx

OKR_TEXT = "Xylofoonangst bij groepswerk"
OTHER_OKR_TEXT = "Zeppelinvrees tijdens de gymles"
HOME_TEXT = "Gescheiden ouders, vader in Quakenbrück"
BAD_VALUE = "Onzinwaardegeslacht"
PERSONAL = [
    OKR_TEXT, OTHER_OKR_TEXT, HOME_TEXT, BAD_VALUE,
    "Wolkenkrabber", "Ysbrand", "Quintijn", "Zwaluwstaart",  # names
    "Anemoon Wolkenkrabber", "anemoon@voorbeeld.nl", "06-98765432",  # a parent
    "Vlinderhofje", "9999 SS", "Quakenhuizen",  # her address (SS: a postcode never given out)
    "3-5-2014", "Basisschool De Kolibrie",
]  # fmt: skip


def private_intake(folder: Path, *, with_problems: bool = True) -> Path:
    """A student with an OPP light (documents and a dossier), and with_problems: a student
    whose two files disagree on the OKR text and one with a value that cannot be read."""
    folder.mkdir(parents=True, exist_ok=True)
    ysbrand = registration(
        "123456",
        Achternaam="Wolkenkrabber",
        Roepnaam="Ysbrand",
        Tussenvoegsel="",
        Basisschool="Basisschool De Kolibrie",
        Geboortedatum="3-5-2014",
        **{
            "Naam ouder/verzorger 1": "Anemoon Wolkenkrabber",
            "E-mail ouder/verzorger 1": "anemoon@voorbeeld.nl",
            "Telefoon ouder/verzorger 1": "06-98765432",
            "Straat": "Vlinderhofje",
            "Huisnummer": 7,
            "Postcode": "9999 SS",
            "Woonplaats": "Quakenhuizen",
        },
    )
    rows = [ysbrand]
    okr = [
        {
            "Leerlingnummer": "123456",
            "Ondersteuningsbehoefte": OKR_TEXT,
            "Thuissituatie": HOME_TEXT,
            "Ondersteuningsniveau": "licht",
        }
    ]
    if with_problems:
        rows.append(registration("990457", Achternaam="Quintijn", Geslacht=BAD_VALUE))
        rows.append(
            registration("990458", Achternaam="Zwaluwstaart", Ondersteuningsbehoefte=OKR_TEXT)
        )
        okr.append({"Leerlingnummer": "990458", "Ondersteuningsbehoefte": OTHER_OKR_TEXT})
    write_xlsx(folder / "aanmeldingen.xlsx", {"Aanmeldingen": rows})
    write_csv(folder / "okr.csv", okr)
    return folder


def assert_no_personal_data(output: str) -> None:
    for text in PERSONAL:
        assert text not in output, f"'{text}' staat in de uitvoer:\n{output}"


def settings(tmp_path: Path) -> Path:
    path = tmp_path / "opp-docs.toml"
    path.write_text(
        '[mensen]\nteamleider = "dhr. M. Vos"\nleerlingbegeleiders = ["mevr. J. de Wit"]\n',
        encoding="utf-8",
    )
    return path
