"""Pseudonyms: stable per organisation, different across organisations, keys outside the
database, and references that may not be used (empty, too long, a BSN) refused."""

import hashlib
import hmac
import os
import stat

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from meerwaarde.participants import pseudonyms
from meerwaarde.participants.pseudonyms import (
    KeyState,
    PseudonymKeyError,
    is_bsn,
    key_create,
    key_path,
    keys_create_for,
    normalise_reference,
    pseudonym_for,
    validate_reference,
)

VALID_BSNS = ["111222333", "123456782", "999999990"]


# Pseudonyms --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_gives_the_same_pseudonym_for_the_same_reference_within_an_organisation(org_a):
    first = pseudonym_for(organisation=org_a, reference="K-2024-0173")
    again = pseudonym_for(organisation=org_a, reference="K-2024-0173")
    assert first == again
    assert len(first) == 64 and all(c in "0123456789abcdef" for c in first)


@pytest.mark.django_db
def test_it_gives_different_pseudonyms_across_organisations(org_a, org_b):
    assert pseudonym_for(organisation=org_a, reference="K-2024-0173") != pseudonym_for(
        organisation=org_b, reference="K-2024-0173"
    )


@pytest.mark.django_db
def test_it_gives_different_pseudonyms_for_different_references(org_a):
    assert pseudonym_for(organisation=org_a, reference="K-1") != pseudonym_for(
        organisation=org_a, reference="K-2"
    )


@pytest.mark.django_db
def test_it_trims_and_case_folds_the_reference(org_a):
    assert normalise_reference(" AB12 ") == "ab12"
    assert pseudonym_for(organisation=org_a, reference=" AB12 ") == pseudonym_for(
        organisation=org_a, reference="ab12"
    )
    # Case folding, not only lower case: the German sharp s folds to "ss".
    assert normalise_reference("STRAßE") == normalise_reference("strasse")


@pytest.mark.django_db
def test_it_is_hmac_sha256_of_the_normalised_reference_with_the_key(org_a):
    expected = hmac.new(pseudonyms.key_for(org_a), b"ab12", hashlib.sha256).hexdigest()
    assert pseudonym_for(organisation=org_a, reference="AB12") == expected


# Keys ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_prefers_the_environment_key_over_the_file(org_a, monkeypatch, real_keys):
    assert key_create(org_a.slug) == KeyState.CREATED
    from_file = pseudonym_for(organisation=org_a, reference="ab12")
    env_key = "ab" * 32
    monkeypatch.setenv("MEERWAARDE_PSEUDONYM_KEY_WELZIJN_ALFA", env_key)
    from_env = pseudonym_for(organisation=org_a, reference="ab12")
    assert from_env != from_file
    assert from_env == hmac.new(bytes.fromhex(env_key), b"ab12", hashlib.sha256).hexdigest()


@pytest.mark.django_db
def test_it_explains_a_missing_key_and_how_to_make_it(org_a, real_keys):
    with pytest.raises(PseudonymKeyError) as raised:
        pseudonym_for(organisation=org_a, reference="ab12")
    message = str(raised.value)
    assert "sleutel" in message
    assert "create_pseudonym_keys --organisation welzijn-alfa" in message


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["niet-hex", "abcd", ""])
def test_it_refuses_an_unusable_key(org_a, real_keys, text, monkeypatch):
    key_path(org_a.slug).parent.mkdir(parents=True)
    key_path(org_a.slug).write_text(text)
    with pytest.raises(PseudonymKeyError, match="ongeldig"):
        pseudonym_for(organisation=org_a, reference="ab12")


def test_it_creates_a_key_file_readable_only_by_its_owner_in_a_private_folder(settings):
    assert key_create("welzijn-alfa") == KeyState.CREATED
    path = key_path("welzijn-alfa")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert len(bytes.fromhex(path.read_text().strip())) == 32


def test_it_never_overwrites_a_key():
    key_create("welzijn-alfa")
    before = key_path("welzijn-alfa").read_text()
    assert key_create("welzijn-alfa") == KeyState.EXISTS
    assert key_path("welzijn-alfa").read_text() == before


def test_it_makes_no_file_when_the_environment_holds_the_key(monkeypatch):
    monkeypatch.setenv("MEERWAARDE_PSEUDONYM_KEY_WELZIJN_ALFA", "ab" * 32)
    assert key_create("welzijn-alfa") == KeyState.ENVIRONMENT
    assert not key_path("welzijn-alfa").exists()


@pytest.mark.django_db
def test_it_creates_the_missing_keys_of_every_organisation_with_the_command(org_a, org_b, capsys):
    key_create(org_a.slug)
    call_command("create_pseudonym_keys")
    assert key_path(org_b.slug).exists()
    assert "1 sleutel(s) aangemaakt" in capsys.readouterr().out


@pytest.mark.django_db
def test_it_creates_one_organisations_key_with_the_command(org_a, org_b):
    call_command("create_pseudonym_keys", organisation=org_b.slug)
    assert key_path(org_b.slug).exists() and not key_path(org_a.slug).exists()
    with pytest.raises(CommandError):
        call_command("create_pseudonym_keys", organisation="bestaat-niet")


@pytest.mark.django_db
def test_it_creates_keys_for_a_set_of_organisations_as_the_demo_does(org_a, org_b):
    assert keys_create_for(organisations=[org_a, org_b]) == 2
    assert keys_create_for(organisations=[org_a, org_b]) == 0


# References that may not be used -------------------------------------------------------------


@pytest.mark.parametrize("reference", [*VALID_BSNS, "123 456 782", "123.456.782", " 111222333 "])
def test_it_recognises_a_bsn_by_the_eleven_test(reference):
    assert is_bsn(reference)


@pytest.mark.parametrize(
    "reference", ["123456789", "111222334", "000000000", "12345678", "1234567820", "K123456782"]
)
def test_it_does_not_take_other_numbers_for_a_bsn(reference):
    assert not is_bsn(reference)


@given(position=st.integers(0, 8), change=st.integers(1, 9))
def test_it_catches_every_single_digit_typo_in_a_bsn(position, change):
    digits = [int(d) for d in "123456782"]
    digits[position] = (digits[position] + change) % 10
    assert not is_bsn("".join(map(str, digits)))


@pytest.mark.parametrize("bsn", VALID_BSNS)
def test_it_refuses_a_bsn_as_reference_and_explains_why(bsn):
    with pytest.raises(ValidationError) as raised:
        validate_reference(bsn)
    message = raised.value.messages[0]
    assert raised.value.code == "bsn"
    assert "burgerservicenummer (BSN)" in message
    assert "mag u hier niet als cliëntnummer gebruiken" in message
    assert "privacywet" in message
    assert bsn not in message


@pytest.mark.django_db
def test_it_accepts_nine_digits_that_fail_the_eleven_test(org_a):
    assert len(pseudonym_for(organisation=org_a, reference="123456789")) == 64


@pytest.mark.parametrize(("reference", "code"), [("", "required"), ("   ", "required")])
def test_it_refuses_an_empty_reference(reference, code):
    with pytest.raises(ValidationError) as raised:
        validate_reference(reference)
    assert raised.value.code == code


def test_it_refuses_a_reference_longer_than_64_characters():
    assert validate_reference("x" * 64) == "x" * 64
    with pytest.raises(ValidationError) as raised:
        validate_reference("x" * 65)
    assert raised.value.code == "too_long"
    assert "64" in raised.value.messages[0]


def test_it_keeps_no_key_outside_the_test_folder(settings, tmp_path):
    assert str(settings.PSEUDONYM_KEY_DIR).startswith(str(tmp_path))
    assert os.environ.get("MEERWAARDE_PSEUDONYM_KEY_WELZIJN_ALFA") is None


@pytest.mark.django_db
def test_a_new_organisation_gets_its_key_when_it_is_created(django_capture_on_commit_callbacks):
    from meerwaarde.organisations.constants import OrganisationKind
    from meerwaarde.organisations.services import organisation_create
    from meerwaarde.places.tests.factories import PlaceFactory

    place = PlaceFactory()
    with django_capture_on_commit_callbacks(execute=True):
        organisation = organisation_create(
            name="Welzijn Gamma", kind=OrganisationKind.SOCIAL_WORK, place=place
        )
    assert key_path(organisation.slug).exists()
