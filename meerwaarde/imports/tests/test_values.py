import datetime
from decimal import Decimal

import pytest

from meerwaarde.imports.values import (
    ValueProblem,
    is_formula,
    parse_date,
    parse_decimal,
    parse_int,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3,5", Decimal("3.5")),
        ("3.5", Decimal("3.5")),
        (" -2 ", Decimal("-2")),
        ("+4", Decimal("4")),
        ("0,25", Decimal("0.25")),
        (",5", Decimal("0.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1.234.567", Decimal("1234567")),
        ("1,5E+3", Decimal("1500")),
    ],
)
def test_it_reads_decimals_as_dutch_excel_writes_them(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["drie", "1,234.5", "3,5,1", "NaN", "inf", "3 5", "1E+9999"])
def test_it_refuses_what_is_not_a_number_and_names_it(text):
    with pytest.raises(ValueProblem) as problem:
        parse_decimal(text)
    assert f"‘{text}’ is geen getal" in problem.value.message


def test_an_empty_value_says_there_is_none():
    with pytest.raises(ValueProblem, match="Er staat geen waarde"):
        parse_decimal("  ")


def test_a_very_long_value_is_refused_before_it_is_parsed():
    with pytest.raises(ValueProblem, match="langer dan 40 tekens"):
        parse_int("1" * 41)


@pytest.mark.parametrize(("text", "expected"), [("3", 3), ("-12", -12), ("3,0", 3), ("7.0", 7)])
def test_it_reads_whole_numbers(text, expected):
    assert parse_int(text) == expected


@pytest.mark.parametrize("text", ["3,5", "1.234"])
def test_it_refuses_a_fraction_as_a_whole_number(text):
    with pytest.raises(ValueProblem, match=f"‘{text}’ is geen geheel getal"):
        parse_int(text)


@pytest.mark.parametrize(
    "text",
    [
        "03-02-2025",
        "3-2-2025",
        "03/02/2025",
        "3.2.2025",
        "2025-02-03",
        "2025-2-3",
        " 03-02-2025 ",
        "3-2-2025 0:00",
        "2025-02-03 14:30",
        "2025-02-03T00:00:00",
    ],
)
def test_it_reads_day_first_and_iso_dates(text):
    assert parse_date(text) == datetime.date(2025, 2, 3)


@pytest.mark.parametrize("text", ["31-02-2025", "29-02-2025", "2025-13-01", "00-01-2025"])
def test_it_refuses_a_date_that_does_not_exist(text):
    with pytest.raises(ValueProblem) as problem:
        parse_date(text)
    assert problem.value.message == f"‘{text}’ is geen bestaande datum."


def test_the_leap_day_of_a_leap_year_exists():
    assert parse_date("29-02-2024") == datetime.date(2024, 2, 29)


def test_it_asks_for_four_digits_in_the_year():
    with pytest.raises(ValueProblem, match="vier cijfers"):
        parse_date("3-2-25")


@pytest.mark.parametrize("text", ["gisteren", "45678", "02-03-2025-1", "2025/02/03"])
def test_it_refuses_what_is_not_a_date_with_an_example(text):
    with pytest.raises(ValueProblem, match=r"is geen datum\. Schrijf een datum als 31-12-2025"):
        parse_date(text)


@pytest.mark.parametrize(
    "text", ["=1+1", "=SOM(A1:A3)", "+31 6 1234", "-2+3", "@cmd", "\t=1", "\rcmd"]
)
def test_it_recognises_a_formula(text):
    assert is_formula(text)


@pytest.mark.parametrize("text", ["-3,5", "+4", "-", " =1", "3", "\t3", "abc", "", "k-001"])
def test_numbers_text_and_a_lone_dash_are_no_formula(text):
    assert not is_formula(text)
