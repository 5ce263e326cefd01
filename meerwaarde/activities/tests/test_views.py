"""The activity pages: who sees and enters what, the overview, the form, delete."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meerwaarde.activities.models import ActivityRecord
from meerwaarde.activities.tests.factories import ActivityRecordFactory, ReferralCountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _overview(org, year=None) -> str:
    url = reverse("activities:overview", kwargs={"slug": org.slug})
    return f"{url}?jaar={year}" if year else url


def _form(org, offer, month: datetime.date) -> str:
    return reverse(
        "activities:record_form",
        kwargs={"slug": org.slug, "offer_pk": offer.pk, "year": month.year, "month": month.month},
    )


def _delete(org, record) -> str:
    return reverse("activities:delete", kwargs={"slug": org.slug, "pk": record.pk})


def _post_data(sources, themes, **overrides) -> dict:
    data = {
        "meetings_held": "12",
        "participants_reached": "30",
        "new_participants": "6",
        "active_volunteers": "4",
        "volunteer_hours": "22,5",
        f"in_{sources['huisarts'].code}": "3",
        f"in_{sources['wijkteam'].code}": "",
        f"uit_{sources['wijkteam'].code}": "2",
        f"signaal_{themes['armoede-schulden'].code}": "4",
        f"signaal_{themes['eenzaamheid'].code}": "0",
    }
    data.update(overrides)
    return data


# Who may see what --------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_the_login(client, org_a):
    response = client.get(_overview(org_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_hides_a_record_and_a_form_of_another_organisation(
    charlie_client, org_a, org_b, offer_a, last_month, sources, themes
):
    record = ActivityRecordFactory(offer=offer_a, month=last_month)
    for url in (
        _overview(org_a),
        _form(org_a, offer_a, last_month),
        _delete(org_a, record),
        # Charlie's own organisation's address with A's offer or record.
        _form(org_b, offer_a, last_month),
        _delete(org_b, record),
    ):
        assert charlie_client.get(url).status_code == 404, url
    data = _post_data(sources, themes)
    assert charlie_client.post(_form(org_a, offer_a, last_month), data).status_code == 404
    assert charlie_client.post(_form(org_b, offer_a, last_month), data).status_code == 404
    assert charlie_client.post(_delete(org_b, record)).status_code == 404
    assert ActivityRecord.objects.filter(pk=record.pk).exists()
    record.refresh_from_db()
    assert record.participants_reached == 20


def test_it_has_no_form_for_a_month_that_has_not_started_or_does_not_exist(
    bob_client, org_a, offer_a
):
    next_month = (timezone.localdate().replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    assert bob_client.get(_form(org_a, offer_a, next_month)).status_code == 404
    url = _form(org_a, offer_a, datetime.date(2025, 1, 1)).replace("/2025/1/", "/2025/13/")
    assert bob_client.get(url).status_code == 404


# The overview ----------------------------------------------------------------------------


def test_it_shows_offers_as_rows_and_the_filled_months(bob_client, org_a, offer_a, last_month):
    record = ActivityRecordFactory(offer=offer_a, month=last_month)
    html = bob_client.get(_overview(org_a, last_month.year)).content.decode()
    assert "Maatjes Alfa" in html
    assert f'data-month="{last_month:%Y-%m}" data-filled' in html
    assert html.count("data-filled") == 1
    assert _form(org_a, offer_a, record.month) in html
    assert "ingevuld, bekijken of verbeteren" in html


def test_it_switches_years_and_ignores_a_year_that_is_not_one(bob_client, org_a, offer_a):
    this_year = timezone.localdate().year
    html = bob_client.get(_overview(org_a, this_year - 1)).content.decode()
    assert f"Activiteiten in {this_year - 1}" in html
    assert f"?jaar={this_year}" in html and f"?jaar={this_year - 2}" in html
    html = bob_client.get(_overview(org_a, "abc")).content.decode()
    assert f"Activiteiten in {this_year}" in html
    # No year after this one to switch to.
    assert f"?jaar={this_year + 1}" not in html


def test_it_tells_an_organisation_without_offers_what_to_do(alice_client, bob_client, org_a):
    html = bob_client.get(_overview(org_a)).content.decode()
    assert "Uw organisatie heeft nog geen aanbod." in html
    assert "Vraag een coördinator" in html
    html = alice_client.get(_overview(org_a)).content.decode()
    assert reverse("offers:create", kwargs={"slug": org_a.slug}) in html


# The form --------------------------------------------------------------------------------


def test_it_lets_a_worker_enter_a_month(
    bob_client, bob, org_a, offer_a, last_month, sources, themes
):
    url = _form(org_a, offer_a, last_month)
    html = bob_client.get(url).content.decode()
    assert 'type="number"' in html and "Huisarts" in html and "Armoede en schulden" in html
    assert "<fieldset" in html and "Verwezen naar ons, per verwijzer" in html
    response = bob_client.post(url, _post_data(sources, themes))
    assert response.status_code == 302
    assert response.url == _overview(org_a, last_month.year)
    record = ActivityRecord.objects.get(offer=offer_a, month=last_month)
    assert record.recorded_by == bob and str(record.volunteer_hours) == "22.5"
    assert sorted(record.referrals.values_list("direction", "source__code", "count")) == [
        ("in", "verwijzer-huisarts", 3),
        ("out", "verwijzer-wijkteam", 2),
    ]
    assert list(record.early_signals.values_list("theme__code", "count")) == [
        ("thema-armoede-schulden", 4)
    ]


def test_it_shows_an_entered_month_for_correction(
    bob_client, org_a, offer_a, last_month, sources, themes
):
    record = ActivityRecordFactory(offer=offer_a, month=last_month, participants_reached=77)
    ReferralCountFactory(record=record, source=sources["politie"], count=9)
    html = bob_client.get(_form(org_a, offer_a, last_month)).content.decode()
    assert 'name="participants_reached" value="77"' in html
    assert f'name="in_{sources["politie"].code}" value="9"' in html
    assert _delete(org_a, record) in html


def test_it_keeps_what_was_typed_when_the_form_has_an_error(
    bob_client, org_a, offer_a, last_month, sources, themes
):
    data = _post_data(sources, themes, participants_reached="5", new_participants="8")
    data[f"uit_{sources['huisarts'].code}"] = "-1"
    response = bob_client.post(_form(org_a, offer_a, last_month), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "De maand is niet opgeslagen." in html
    assert "Een aantal kan niet negatief zijn." in html
    assert "Huisarts (door ons doorverwezen)" in html
    assert f'href="#id_uit_{sources["huisarts"].code}"' in html
    for name, value in data.items():
        assert f'name="{name}" value="{value}"' in html or value == "", name
    assert not ActivityRecord.objects.exists()


def test_it_shows_the_services_message_on_its_field(
    bob_client, org_a, offer_a, last_month, sources, themes
):
    data = _post_data(sources, themes, participants_reached="5", new_participants="8")
    html = bob_client.post(_form(org_a, offer_a, last_month), data).content.decode()
    assert "Er kunnen niet meer nieuwe deelnemers zijn dan deelnemers bereikt." in html
    assert 'href="#id_new_participants"' in html
    assert 'name="volunteer_hours" value="22,5"' in html


# Delete ----------------------------------------------------------------------------------


def test_it_deletes_a_month_after_confirmation(bob_client, org_a, offer_a, last_month):
    record = ActivityRecordFactory(offer=offer_a, month=last_month)
    html = bob_client.get(_delete(org_a, record)).content.decode()
    assert "Weet u zeker" in html and "Maatjes Alfa" in html
    assert ActivityRecord.objects.filter(pk=record.pk).exists()
    response = bob_client.post(_delete(org_a, record))
    assert response.status_code == 302
    assert response.url == _overview(org_a, last_month.year)
    assert not ActivityRecord.objects.filter(pk=record.pk).exists()
