import pytest

from meerwaarde.imports.identifying import is_bsn_header, is_name_header, looks_like_nine_digits


@pytest.mark.parametrize(
    "header", ["BSN", "bsn-nummer", "Burgerservicenummer", "BSN cliënt", "sofinummer"]
)
def test_it_knows_a_bsn_header(header):
    assert is_bsn_header(header)


@pytest.mark.parametrize(
    "header",
    [
        "Naam",
        "naam cliënt",
        "client_naam",
        "ClientNaam",
        "Voornaam",
        "Achternaam",
        "Tussenvoegsel",
        "first name",
        "Volledige naam",
    ],
)
def test_it_knows_a_name_header(header):
    assert is_name_header(header)


@pytest.mark.parametrize(
    "header",
    ["Naam aanbod", "locatienaam", "Organisatienaam", "naam_instrument", "cliëntnummer", "Score"],
)
def test_names_of_things_are_no_names_of_people(header):
    assert not is_name_header(header)
    assert not is_bsn_header(header)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("123456782", True), ("123 456 782", True), ("1234.56.782", True), ("12345678", False),
     ("03-02-2025", False), ("k12345678", False)],
)  # fmt: skip
def test_it_finds_nine_digits_written_as_a_bsn_is(value, expected):
    assert looks_like_nine_digits(value) is expected
