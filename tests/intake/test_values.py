from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opp_docs.intake.dates import parse_date
from opp_docs.intake.values import (
    SCHOOL_LEVELS,
    ValueProblem,
    fold,
    format_level,
    level_parts,
    parse_digits,
    parse_email,
    parse_geslacht,
    parse_ondersteuningsniveau,
    parse_phone,
    parse_referentieniveau,
    parse_route,
    parse_school_level,
    parse_text,
    parse_whole_number,
    parse_yes_no,
)
from opp_docs.models import Route

PARSERS = [
    parse_date,
    parse_digits,
    parse_email,
    parse_geslacht,
    parse_ondersteuningsniveau,
    parse_phone,
    parse_referentieniveau,
    parse_route,
    parse_school_level,
    parse_text,
    parse_whole_number,
    parse_yes_no,
]

cell_values = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@given(value=cell_values)
def test_parsers_return_or_raise_value_problem(parser: object, value: object) -> None:
    try:
        parser(value)  # type: ignore[operator]
    except ValueProblem as e:
        assert e.problem and e.fix
        assert isinstance(e, ValueError)


# --- yes/no -------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["ja", "J", "yes", "Y", "x", "1", "WAAR", "TRUE", True, 1, 1.0])
def test_yes(word: object) -> None:
    assert parse_yes_no(word) is True


@pytest.mark.parametrize("word", ["nee", "N", "no", "0", "onwaar", "FALSE", False, 0])
def test_no(word: object) -> None:
    assert parse_yes_no(word) is False


def test_empty_yes_no_is_not_given() -> None:
    assert parse_yes_no(None) is None
    assert parse_yes_no(" ") is None


@given(
    st.text().filter(
        lambda t: (
            fold(t).rstrip(".")
            not in {
                "ja",
                "j",
                "yes",
                "y",
                "x",
                "1",
                "waar",
                "true",
                "wel",
                "nee",
                "n",
                "no",
                "0",
                "onwaar",
                "false",
                "niet",
                "-",
                "",
            }
        )
    )
)
def test_other_words_are_errors(text: str) -> None:
    if not text.translate({0xA0: " ", 0x2007: " ", 0x202F: " ", 0x2009: " "}).strip():
        return  # blank, also with odd spaces: not given
    with pytest.raises(ValueProblem) as info:
        parse_yes_no(text)
    assert "'ja' of 'nee'" in info.value.fix or "formule" in info.value.fix


# --- school level -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("VMBO_KB", "vmbo-kb"),
        ("kader", "vmbo-kb"),
        ("basis", "vmbo-bb"),
        ("theoretische leerweg", "vmbo-tl"),
        ("mavo", "vmbo-tl"),
        ("vmbo-gt", "vmbo-tl"),
        ("atheneum", "vwo"),
        ("Gymnasium", "vwo"),
        ("PrO", "pro"),
        ("praktijkonderwijs", "pro"),
        ("vmbo gemengde leerweg", "vmbo-gl"),
        ("HAVO", "havo"),
        ("vmbo-kb/gt", "vmbo-kb/tl"),
        ("mavo/havo", "vmbo-tl/havo"),
        ("havo/vwo", "havo/vwo"),
        ("vwo/havo", "havo/vwo"),
        ("VMBO-TL / HAVO", "vmbo-tl/havo"),
        ("havo-vwo", "havo/vwo"),
        ("vmbo bb/kb", "vmbo-bb/kb"),
        ("kaderberoepsgerichte leerweg", "vmbo-kb"),
    ],
)
def test_school_levels(text: str, level: str) -> None:
    assert parse_school_level(text) == level


@pytest.mark.parametrize("text", ["vmbo", "havo/vmbo-bb", "pro/vwo", "hbo", "vmbo-bb/kb/tl"])
def test_bad_school_levels(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_school_level(text)


@given(st.lists(st.sampled_from(SCHOOL_LEVELS), min_size=1, max_size=2, unique=True))
def test_school_level_round_trip(levels: list[str]) -> None:
    try:
        parsed = parse_school_level("/".join(levels))
    except ValueProblem:
        return
    assert parsed is not None
    assert set(level_parts(parsed)) == set(levels)
    assert parse_school_level(parsed) == parsed
    assert format_level(level_parts(parsed)) == parsed


# --- other types --------------------------------------------------------------------------


def test_digits_keep_leading_zeros() -> None:
    assert parse_digits("012345") == "012345"
    assert parse_digits(123456) == "123456"
    assert parse_digits(123456.0) == "123456"
    assert parse_digits('="012345"') == "012345"
    assert parse_digits(" 12 34 ") == "1234"
    with pytest.raises(ValueProblem):
        parse_digits("12a45")
    with pytest.raises(ValueProblem):
        parse_digits("=1+1")


@given(st.from_regex(r"\A[0-9]{1,12}\Z"))
def test_digits_round_trip(text: str) -> None:
    assert parse_digits(text) == text


def test_text_is_never_evaluated_and_keeps_lines() -> None:
    assert parse_text("=SUM(A1:A3)") == "=SUM(A1:A3)"
    assert parse_text("@user") == "@user"
    assert parse_text(" Zoë\u00a0van  Dijk \r\nregel 2 ") == "Zoë van Dijk\nregel 2"
    assert parse_text(None) == ""
    assert parse_text(12.0) == "12"


@given(st.text())
def test_text_is_trimmed(text: str) -> None:
    try:
        result = parse_text(text)
    except ValueProblem:
        return
    assert result == result.strip()
    assert "\u00a0" not in result
    assert "\r" not in result


def test_whole_numbers() -> None:
    assert parse_whole_number("8") == 8
    assert parse_whole_number(8.0) == 8
    assert parse_whole_number("8,0") == 8
    assert parse_whole_number(None) is None
    for bad in ("8,5", 8.5, "acht", "-1", True):
        with pytest.raises(ValueProblem):
            parse_whole_number(bad)


@given(st.integers(min_value=0, max_value=1000))
def test_whole_number_round_trip(n: int) -> None:
    assert parse_whole_number(str(n)) == n
    assert parse_whole_number(n) == n


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("<1F", "<1F"),
        ("< 1f", "<1F"),
        ("1F", "1F"),
        ("2f", "2F"),
        ("1S", "1S"),
        ("2F+", "1S"),
        ("1S/2F", "1S"),
    ],
)
def test_referentieniveaus(text: str, level: str) -> None:
    assert parse_referentieniveau(text) == level


def test_small_choices() -> None:
    assert parse_geslacht("v") == "V"
    assert parse_geslacht("Man") == "M"
    assert parse_ondersteuningsniveau("Licht") == "licht"
    assert parse_route("OPP light") == Route.OPP_LIGHT
    assert parse_route("handelingsplan LWOO") == Route.LWOO_HANDELINGSPLAN
    for route in Route:
        assert parse_route(route.value) == route
        assert parse_route(route.label) == route
    with pytest.raises(ValueProblem, match="opp-light"):
        parse_route("misschien")


def test_contact_details() -> None:
    assert parse_email("a@b.nl") == "a@b.nl"
    assert parse_email("a@b.nl; c@d.nl") == "a@b.nl; c@d.nl"
    with pytest.raises(ValueProblem):
        parse_email("a@b")
    assert parse_phone(612345678) == "0612345678"
    assert parse_phone("06-12345678") == "06-12345678"
    assert parse_phone("+31 6 12345678") == "+31 6 12345678"
    with pytest.raises(ValueProblem):
        parse_phone("bellen na 5")


def test_excel_error_values() -> None:
    with pytest.raises(ValueProblem, match="foutwaarde"):
        parse_text("#N/B")
    with pytest.raises(ValueProblem, match="foutwaarde"):
        parse_date("#VALUE!")
