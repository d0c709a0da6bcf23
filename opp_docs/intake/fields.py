"""The intake fields: key, column header, synonyms, type, and how a header is recognised."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from opp_docs.errors import ConfigError
from opp_docs.intake.values import fold


class FieldType(StrEnum):
    """How a cell of the field is read (see `opp_docs.intake.values`)."""

    TEXT = "tekst"
    DIGITS = "cijfers"
    DATE = "datum"
    YES_NO = "ja/nee"
    SCHOOL_LEVEL = "schoolniveau"
    GESLACHT = "M/V/X"
    EMAIL = "e-mailadres"
    PHONE = "telefoonnummer"
    POSTCODE = "postcode"
    REFERENTIENIVEAU = "referentieniveau"
    ONDERSTEUNINGSNIVEAU = "basis/licht/zwaar"
    WHOLE_NUMBER = "heel getal"
    ROUTE = "route"


@dataclass(frozen=True)
class Field:
    key: str
    header: str
    synonyms: tuple[str, ...]
    type: FieldType
    description: str
    example: str
    # Dutch noun phrase for fixes: "Vul de geboortedatum in als ...".
    noun: str
    required: bool = False
    # True for the fields of the registration; the others come from the OKR and review.
    registration: bool = True
    # False for a field the documents do not show as `leerling.<key>`: the parents (they are
    # `ouders`) and what only decides the route.
    in_documents: bool = True


def _ouder(n: int) -> tuple[Field, ...]:
    return (
        Field(
            f"ouder{n}_naam",
            f"Naam ouder/verzorger {n}",
            (
                f"Ouder {n}",
                f"Ouder/verzorger {n}",
                f"Naam ouder {n}",
                f"Verzorger {n}",
                f"Naam verzorger {n}",
            ),
            FieldType.TEXT,
            f"Naam van ouder/verzorger {n}",
            "A. de Vries" if n == 1 else "M. Jansen",
            f"de naam van ouder/verzorger {n}",
            in_documents=False,
        ),
        Field(
            f"ouder{n}_email",
            f"E-mail ouder/verzorger {n}",
            (
                f"E-mailadres ouder {n}",
                f"E-mail ouder {n}",
                f"E-mailadres ouder/verzorger {n}",
                f"Mail ouder {n}",
            ),
            FieldType.EMAIL,
            f"E-mailadres van ouder/verzorger {n}",
            "a.devries@voorbeeld.nl" if n == 1 else "m.jansen@voorbeeld.nl",
            f"het e-mailadres van ouder/verzorger {n}",
            in_documents=False,
        ),
        Field(
            f"ouder{n}_telefoon",
            f"Telefoon ouder/verzorger {n}",
            (
                f"Telefoon ouder {n}",
                f"Telefoonnummer ouder {n}",
                f"Tel. ouder {n}",
                f"Mobiel ouder {n}",
                f"Telefoonnummer ouder/verzorger {n}",
            ),
            FieldType.PHONE,
            f"Telefoonnummer van ouder/verzorger {n}",
            "06-12345678" if n == 1 else "0343-123456",
            f"het telefoonnummer van ouder/verzorger {n}",
            in_documents=False,
        ),
        *_adres(n),
    )


# The parts of a postal address, as (key, canonical word, other words for it, type, what it
# is, example for ouder 1 and 2). An export names them with a prefix or suffix for the parent
# ("Verzorger 2 straat", "Straat ouder 2", SOMtoday's "Relatie 1 postcode") or, for the
# student's home address, with none ("Straat", "Woonplaats"): that is ouder 1's (intake-format).
_ADRES_DELEN: tuple[tuple[str, str, tuple[str, ...], FieldType, str, str, tuple[str, str]], ...] = (
    (
        "straat",
        "Straat",
        # A combined cell ("Kerkstraat 12") goes here too: the letter writes it as given.
        ("Straatnaam", "Adres", "Straat + huisnummer", "Straat en huisnummer", "Woonadres"),
        FieldType.TEXT,
        "Straat, of straat en huisnummer in één cel",
        "de straat",
        ("Kerkstraat", "Molenweg"),
    ),
    (
        "huisnummer",
        "Huisnummer",
        ("Huisnr.",),
        FieldType.TEXT,
        "Huisnummer",
        "het huisnummer",
        ("12", "3"),
    ),
    (
        "toevoeging",
        "Toevoeging",
        ("Huisnummertoevoeging", "Toev.", "Huisletter"),
        FieldType.TEXT,
        "Toevoeging bij het huisnummer",
        "de toevoeging bij het huisnummer",
        ("A", ""),
    ),
    (
        "postcode",
        "Postcode",
        (),
        FieldType.POSTCODE,
        "Postcode (1234 AB)",
        "de postcode",
        ("3911 AB", "3521 CD"),
    ),
    (
        "plaats",
        "Woonplaats",
        ("Plaats", "Plaatsnaam", "Woonplaats leerling"),
        FieldType.TEXT,
        "Woonplaats",
        "de woonplaats",
        ("Rhenen", "Utrecht"),
    ),
)
# How exports put the parent's number with the part's word.
_OUDER_VORMEN = (
    "{w} ouder/verzorger {n}",
    "{w} ouder {n}",
    "{w} verzorger {n}",
    "Ouder {n} {w}",
    "Ouder/verzorger {n} {w}",
    "Verzorger {n} {w}",
    "Relatie {n} {w}",
)


def _adres(n: int) -> tuple[Field, ...]:
    fields = []
    for key, word, others, kind, what, noun, examples in _ADRES_DELEN:
        words = (word, *others)
        named = tuple(form.format(w=w, n=n) for w in words for form in _OUDER_VORMEN)
        # The plain words are the student's home address: ouder 1's, named or not.
        header, synonyms = (word, (*others, *named)) if n == 1 else (named[0], named[1:])
        fields.append(
            Field(
                f"ouder{n}_{key}",
                header,
                synonyms,
                kind,
                f"{what} van ouder/verzorger {n}"
                + (" (het woonadres van de leerling)" if n == 1 else ""),
                examples[n - 1],
                f"{noun} van ouder/verzorger {n}",
                in_documents=False,
            )
        )
    return tuple(fields)


def _toets(key: str, name: str, example: str) -> Field:
    return Field(
        f"toets_{key}",
        f"Doorstroomtoets {name}",
        (f"Eindtoets {name}", f"Toets {name}", f"Referentieniveau {name}", name.capitalize()),
        FieldType.REFERENTIENIVEAU,
        f"Uitslag doorstroomtoets {name}: <1F, 1F, 2F of 1S",
        example,
        f"de uitslag {name}",
        registration=False,
    )


def _vrij(key: str, header: str, synonyms: tuple[str, ...], description: str, ex: str) -> Field:
    return Field(
        key, header, synonyms, FieldType.TEXT, description, ex, f"'{header}'", registration=False
    )


def _ja_nee(key: str, header: str, synonyms: tuple[str, ...], description: str) -> Field:
    return Field(key, header, synonyms, FieldType.YES_NO, description, "nee", f"'{header}'")


def _route_sign(key: str, header: str, synonyms: tuple[str, ...], description: str) -> Field:
    """A yes/no of the OKR that only weighs in the route (see `decide.routing`)."""
    return Field(
        key,
        header,
        synonyms,
        FieldType.YES_NO,
        description,
        "nee",
        f"'{header}'",
        registration=False,
        in_documents=False,
    )


FIELDS: tuple[Field, ...] = (
    Field(
        "leerlingnummer",
        "Leerlingnummer",
        ("Leerlingnr", "Llnr", "Lln.nr.", "Stamnummer", "Stamnr.", "Studentnummer", "Leerlingnr."),
        FieldType.DIGITS,
        "Leerlingnummer uit de leerlingadministratie",
        "123456",
        "het leerlingnummer",
        required=True,
    ),
    Field(
        "achternaam",
        "Achternaam",
        ("Familienaam", "Naam", "Achternaam leerling"),
        FieldType.TEXT,
        "Achternaam zonder tussenvoegsel",
        "Vries",
        "de achternaam",
        required=True,
    ),
    Field(
        "tussenvoegsel",
        "Tussenvoegsel",
        ("Tussenv.", "Voorvoegsel", "Tussenvoegsels"),
        FieldType.TEXT,
        "Tussenvoegsel van de achternaam",
        "de",
        "het tussenvoegsel",
    ),
    Field(
        "roepnaam",
        "Roepnaam",
        ("Voornaam", "Roepnaam leerling", "Voornaam leerling"),
        FieldType.TEXT,
        "Roepnaam van de leerling",
        "Sanne",
        "de roepnaam",
        required=True,
    ),
    Field(
        "geboortedatum",
        "Geboortedatum",
        ("Geb. datum", "Geb.datum", "Geboortedat.", "Geb.dat."),
        FieldType.DATE,
        "Geboortedatum (dag-maand-jaar)",
        "3-5-2014",
        "de geboortedatum",
        required=True,
    ),
    Field(
        "geslacht",
        "Geslacht",
        ("M/V", "M/V/X"),
        FieldType.GESLACHT,
        "Geslacht: M, V of X",
        "V",
        "het geslacht",
    ),
    Field(
        "basisschool",
        "Basisschool",
        ("School van herkomst", "Vorige school", "Naam basisschool"),
        FieldType.TEXT,
        "Naam van de basisschool",
        "De Regenboog",
        "de basisschool",
        required=True,
    ),
    Field(
        "schooladvies",
        "Schooladvies",
        ("Advies", "Definitief advies", "Basisschooladvies", "Advies basisschool"),
        FieldType.SCHOOL_LEVEL,
        "Schooladvies: pro, vmbo-bb, vmbo-kb, vmbo-gl, vmbo-tl, havo, vwo of een dubbel advies",
        "vmbo-kb/tl",
        "het schooladvies",
        required=True,
    ),
    Field("klas", "Klas", ("Stamgroep", "Stamklas"), FieldType.TEXT, "Klas", "1B", "de klas"),
    Field(
        "tutor",
        "Tutor",
        # Magister heads the column "Klassenmentor 1"; a second mentor ("… 2") is no tutor.
        ("Mentor", "Mentor/tutor", "Klassenmentor", "Klassenmentor 1", "Mentor 1", "Mentor(en)"),
        FieldType.TEXT,
        "Tutor (mentor)",
        "J. Bakker",
        "de tutor",
    ),
    Field(
        "leerlingbegeleider",
        "Leerlingbegeleider",
        ("Begeleider", "Zorgbegeleider", "Leerlingbegeleiding", "Mentor leerlingbegeleiding", "LB"),
        FieldType.TEXT,
        "Leerlingbegeleider van de leerling; leeg: volgens [leerlingbegeleiders] in opp-docs.toml",
        "mevr. J. de Wit",
        "de leerlingbegeleider",
        # The documents show the counsellor decided for the student (`decide.counsellor`),
        # which is this column when it is filled.
        in_documents=False,
    ),
    _ja_nee(
        "lwoo",
        "LWOO",
        ("LWOO-indicatie", "Leerwegondersteuning", "Indicatie LWOO"),
        "Leerwegondersteuning: ja of nee",
    ),
    _ja_nee("pro", "PrO", ("Praktijkonderwijs", "Indicatie PrO"), "Praktijkonderwijs: ja of nee"),
    _ja_nee(
        "opp_po",
        "OPP basisschool",
        ("OPP PO", "OPP in PO", "OPP op basisschool"),
        "Had de leerling een OPP op de basisschool: ja of nee",
    ),
    _ja_nee("dyslexie", "Dyslexieverklaring", ("Dyslexie",), "Dyslexieverklaring: ja of nee"),
    _ja_nee(
        "dyscalculie", "Dyscalculieverklaring", ("Dyscalculie",), "Dyscalculieverklaring: ja of nee"
    ),
    *_ouder(1),
    *_ouder(2),
    Field(
        "aanmelddatum",
        "Aanmelddatum",
        ("Datum aanmelding", "Aanmeldingsdatum"),
        FieldType.DATE,
        "Datum van aanmelding (dag-maand-jaar)",
        "15-3-2026",
        "de aanmelddatum",
    ),
    _toets("lezen", "lezen", "2F"),
    _toets("taalverzorging", "taalverzorging", "1F"),
    _toets("rekenen", "rekenen", "1F"),
    _vrij(
        "ondersteuningsbehoefte",
        "Ondersteuningsbehoefte",
        ("Onderwijsbehoefte",),
        "Ondersteuningsbehoefte volgens de basisschool",
        "Heeft structuur en korte instructie nodig.",
    ),
    _vrij(
        "bevorderende_factoren",
        "Bevorderende factoren",
        ("Stimulerende factoren",),
        "Wat de leerling helpt",
        "Gemotiveerd, werkt graag samen.",
    ),
    _vrij(
        "belemmerende_factoren",
        "Belemmerende factoren",
        (),
        "Wat de leerling belemmert",
        "Raakt snel afgeleid.",
    ),
    _vrij(
        "sociaal_emotioneel",
        "Sociaal-emotioneel",
        ("Sociaal-emotionele ontwikkeling",),
        "Sociaal-emotionele ontwikkeling",
        "Rustig, heeft een paar goede vrienden.",
    ),
    _vrij("werkhouding", "Werkhouding", (), "Werkhouding", "Wisselend, vooral bij rekenen."),
    _vrij("thuissituatie", "Thuissituatie", (), "Thuissituatie", "Woont bij moeder."),
    _vrij(
        "hulpverlening",
        "Externe hulpverlening",
        ("Hulpverlening",),
        "Externe hulpverlening",
        "Logopedie tot groep 6.",
    ),
    Field(
        "ondersteuningsniveau",
        "Ondersteuningsniveau",
        ("Niveau ondersteuning",),
        FieldType.ONDERSTEUNINGSNIVEAU,
        "basis, licht (meer dan basisondersteuning, niet ernstig) of zwaar (ernstig of hardnekkig)",
        "licht",
        "het ondersteuningsniveau",
        registration=False,
    ),
    Field(
        "rt_momenten",
        "Verwacht aantal RT-momenten",
        ("Aantal RT-momenten", "RT per jaar"),
        FieldType.WHOLE_NUMBER,
        "Verwacht aantal RT-momenten per jaar",
        "6",
        "het aantal RT-momenten",
        registration=False,
    ),
    _route_sign(
        "zorg_gedrag",
        "Zorg gedrag/begeleiding",
        ("Ernstige gedragszorg",),
        "Valt de leerling ernstig op in gedrag of begeleiding: ja of nee",
    ),
    _route_sign(
        "tlv_mogelijk",
        "TLV mogelijk",
        ("TLV aanvragen",),
        "Moet mogelijk een TLV worden aangevraagd: ja of nee",
    ),
    _route_sign(
        "risico_vo",
        "Risico uitval VO",
        ("Redt het VO mogelijk niet",),
        "Redt de leerling het VO mogelijk niet: ja of nee",
    ),
    Field(
        "signaaldatum",
        "Signaaldatum",
        ("Datum signalering",),
        FieldType.DATE,
        "Datum van het signaal (voor leerlingen die in de loop van het jaar een plan krijgen)",
        "12-11-2026",
        "de signaaldatum",
        registration=False,
    ),
    Field(
        "datum_ondertekening",
        "Datum ondertekening",
        ("Datum vaststelling", "Ondertekend op", "Datum getekend", "Vastgesteld op"),
        FieldType.DATE,
        "Datum waarop het plan is ondertekend; gaat boven de datum van de scan",
        "20-10-2026",
        "de datum van ondertekening",
        registration=False,
        # Only the worklist, the BRON list and the manifest show it (`decide.signing`).
        in_documents=False,
    ),
    Field(
        "route",
        "Route (besluit)",
        ("Besluit teamleider", "Route"),
        FieldType.ROUTE,
        "Besluit van de teamleider: opp, opp-light, volgen, lwoo-handelingsplan of "
        "basisondersteuning; gaat boven het voorstel",
        "opp-light",
        "de route",
        registration=False,
        in_documents=False,
    ),
)

FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}


def header_key(text: str) -> str:
    """A header reduced to letters and digits: case, accents, spaces and punctuation ignored."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


@dataclass(frozen=True)
class HeaderMatch:
    field: Field
    # True when the header is the canonical name, so it wins over a synonym in the same sheet.
    canonical: bool


def header_index(
    synoniemen: Mapping[str, Sequence[str]], source: str = ""
) -> dict[str, HeaderMatch]:
    """Map of `header_key` → field, with the school's extra synonyms from the configuration."""
    unknown = sorted(set(synoniemen) - set(FIELDS_BY_KEY))
    if unknown:
        raise ConfigError(
            file=source or "opp-docs.toml",
            key=f"kolommen.{unknown[0]}",
            problem=f"'{unknown[0]}' is geen veld van de intake",
            allowed=", ".join(FIELDS_BY_KEY),
        )
    index: dict[str, HeaderMatch] = {}
    for f in FIELDS:
        for name in f.synonyms:
            index[header_key(name)] = HeaderMatch(f, canonical=False)
        for name in synoniemen.get(f.key, ()):
            if header_key(name):
                index[header_key(name)] = HeaderMatch(f, canonical=False)
    for f in FIELDS:
        index[header_key(f.header)] = HeaderMatch(f, canonical=True)
    return index


def match_header(index: Mapping[str, HeaderMatch], text: str) -> HeaderMatch | None:
    """The field a header cell names, ignoring a trailing ':' or '*' (required-field mark)."""
    key = header_key(text)
    if not key:
        return None
    return index.get(key)
