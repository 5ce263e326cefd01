"""The measurement pages: the two-step entry form, the preview, detail, correction, history,
the section on the trajectory page, and Charlie's 404 on every one of A's addresses."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from meerwaarde.instruments.tests.factories import InstrumentFactory
from meerwaarde.measurements import services
from meerwaarde.measurements.constants import Moment, answer_field
from meerwaarde.measurements.models import Measurement
from meerwaarde.participants.models import AuditEvent
from meerwaarde.participants.tests.factories import GoalFactory, OutcomeDomainFactory

from .conftest import DJG6_FINE, DJG6_LONELY, TODAY, zrm

pytestmark = pytest.mark.django_db


def _url(name, org, **kwargs):
    return reverse(f"measurements:{name}", kwargs={"slug": org.slug, **kwargs})


def _data(instrument, answers, *, moment="intake", on=TODAY, **extra):
    data = {"instrument": instrument.pk, "moment": moment, "measured_on": f"{on:%Y-%m-%d}"}
    data.update({answer_field(key): value for key, value in answers.items()})
    data.update(extra)
    return data


def _record(trajectory, instrument, answers, moment=Moment.INTAKE, on=None):
    return services.measurement_record(
        trajectory=trajectory,
        instrument=instrument,
        moment=moment,
        measured_on=on or trajectory.start_date,
        answers=answers,
        created_by=None,
    )


def test_it_asks_instrument_and_moment_first(bob_client, org_a, trajectory, instruments):
    url = _url("create", org_a, trajectory_pk=trajectory.pk)
    html = bob_client.get(url).content.decode()
    assert (
        "Zelfredzaamheid-Matrix (ZRM) 2017" in html and "Zelfredzaamheid-Matrix (ZRM) 2013" in html
    )
    assert '<legend class="utrecht-form-fieldset__legend' in html
    assert 'value="intake" class="utrecht-radio-button' in html
    assert 'id="id_moment_0" required checked' in html

    html = bob_client.get(url, {"instrument": "", "moment": "end"}).content.decode()
    assert 'href="#id_instrument_0"' in html and "Kies het instrument waarmee u meet." in html


def test_it_records_an_intake_and_an_end_with_the_zrm(
    bob_client, bob, org_a, trajectory, instruments
):
    matrix = instruments["zrm-2017"]
    url = _url("create", org_a, trajectory_pk=trajectory.pk)
    html = bob_client.get(url, {"instrument": matrix.pk, "moment": "intake"}).content.decode()
    assert 'type="number"' in html and 'min="1" max="5" step="1"' in html
    assert 'name="item-financien" id="id_item-financien" value=""' in html
    assert html.count(" autofocus") == 1 and 'id="id_item-financien" value="" min="1"' in html
    assert 'name="item-financien-na"' in html  # ZRM domains can be "niet beoordeeld"
    assert f'value="{TODAY:%Y-%m-%d}"' in html  # the date defaults to today

    start = trajectory.start_date + datetime.timedelta(days=1)
    intake = zrm("2", justitie="na")
    intake.pop("justitie")
    response = bob_client.post(url, _data(matrix, intake, on=start, **{"item-justitie-na": "na"}))
    assert response.status_code == 302
    first = Measurement.objects.get()
    assert response["Location"] == _url("detail", org_a, pk=first.pk)
    assert (first.moment, first.measured_on, first.created_by) == ("intake", start, bob)
    assert first.answers["justitie"] == "na" and first.answers["financien"] == "2"
    assert first.scores["financien"] == {"value": 2.0, "category": "niet-zelfredzaam"}
    assert first.scores["justitie"] == {"value": None, "category": ""}

    response = bob_client.post(url, _data(matrix, zrm("4", financien="5"), moment="end"))
    assert response.status_code == 302
    end = Measurement.objects.get(moment="end")
    assert end.scores["financien"] == {"value": 5.0, "category": "volledig-zelfredzaam"}

    page = bob_client.get(
        reverse("participants:trajectory_detail", kwargs={"slug": org_a.slug, "pk": trajectory.pk})
    ).content.decode()
    assert "Verandering van intake tot eindmeting" in page
    assert "+3" in page and "vooruitgegaan" in page and "volledig zelfredzaam" in page
    assert "Er zijn nog geen metingen" not in page


def test_it_records_the_djg6_with_radio_groups(bob_client, org_a, trajectory, instruments):
    djg = instruments["djg6-1"]
    url = _url("create", org_a, trajectory_pk=trajectory.pk)
    html = bob_client.get(url, {"instrument": djg.pk, "moment": "intake"}).content.decode()
    assert html.count('type="radio" class="utrecht-radio-button') == 18  # 6 items × 3 answers
    assert "1. Ervaart een gevoel van leegte</legend>" in html
    assert 'id="id_item-e1_0" autofocus' in html
    assert "niet beoordeeld" not in html  # the DJG has no "niet beoordeeld"

    response = bob_client.post(url, _data(djg, DJG6_LONELY))
    assert response.status_code == 302
    detail = bob_client.get(response["Location"]).content.decode()
    assert "ernstig eenzaam" in detail and "Ervaart een gevoel van leegte" in detail
    assert "Bob Werker" in detail


def test_an_error_keeps_every_typed_answer_and_links_to_each_bad_item(
    bob_client, org_a, trajectory, instruments
):
    matrix = instruments["zrm-2017"]
    url = _url("create", org_a, trajectory_pk=trajectory.pk)
    answers = zrm("3", financien="7", huisvesting="4", sociaal_netwerk="2")
    answers["justitie"] = ""
    data = _data(
        matrix,
        answers,
        moment="end",
        on=trajectory.start_date - datetime.timedelta(days=3),
        **{"item-basale-adl-na": "na"},
    )
    response = bob_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert not Measurement.objects.exists()
    assert "De meting is niet opgeslagen." in html
    assert 'href="#id_item-financien"' in html and "7 valt daarbuiten" in html
    assert 'href="#id_item-basale-adl"' in html and "niet allebei" in html
    assert 'href="#id_measured_on"' in html and "vóór de start van het traject" in html
    for code, value in [("financien", "7"), ("huisvesting", "4"), ("sociaal-netwerk", "2")]:
        assert f'id="id_item-{code}" value="{value}"' in html
    assert 'id="id_item-basale-adl_na" value="na" checked' in html
    assert f'value="{data["measured_on"]}"' in html
    assert 'id="id_moment_2" required checked' in html
    assert 'aria-invalid="true"' in html and 'role="alert"' in html


def test_a_radio_answer_stays_chosen_on_an_error(bob_client, org_a, trajectory, instruments):
    djg = instruments["djg6-1"]
    response = bob_client.post(
        _url("create", org_a, trajectory_pk=trajectory.pk),
        _data(djg, {**DJG6_LONELY, "e2": "vaak"}, measured_on=""),
    )
    html = response.content.decode()
    assert 'value="ja" id="id_item-e1_2" checked' in html
    assert 'value="nee" id="id_item-s1_0" checked' in html
    assert 'href="#id_item-e2_0"' in html and "Kies een van de antwoorden" in html


def test_it_refuses_a_second_intake_with_the_same_instrument(
    bob_client, org_a, trajectory, instruments
):
    djg = instruments["djg6-1"]
    _record(trajectory, djg, DJG6_LONELY)
    response = bob_client.post(
        _url("create", org_a, trajectory_pk=trajectory.pk), _data(djg, DJG6_FINE)
    )
    assert "corrigeer dan die meting" in response.content.decode()
    assert Measurement.objects.count() == 1


def test_the_preview_scores_on_the_server(bob_client, org_a, trajectory, instruments):
    djg = instruments["djg6-1"]
    url = _url("preview", org_a, trajectory_pk=trajectory.pk)
    html = bob_client.post(url, _data(djg, DJG6_LONELY), HTTP_HX_REQUEST="true").content.decode()
    assert "Berekende scores" in html and "ernstig eenzaam" in html and ">6<" in html
    assert "<html" not in html  # a fragment for the live region

    html = bob_client.post(url, _data(djg, {**DJG6_LONELY, "s1": "soms"})).content.decode()
    assert "Nog geen scores" in html and 'href="#id_item-s1_0"' in html

    html = bob_client.post(url, _data(djg, {})).content.decode()
    assert "verschijnen hier zodra" in html
    assert not Measurement.objects.exists()


def test_the_page_has_a_live_region_and_works_without_javascript(
    bob_client, org_a, trajectory, instruments
):
    djg = instruments["djg6-1"]
    url = _url("create", org_a, trajectory_pk=trajectory.pk)
    html = bob_client.get(url, {"instrument": djg.pk, "moment": "intake"}).content.decode()
    assert 'id="mw-scores" aria-live="polite"' in html
    assert f'hx-post="{_url("preview", org_a, trajectory_pk=trajectory.pk)}"' in html

    response = bob_client.post(url, _data(djg, DJG6_FINE, actie="berekenen"))
    html = response.content.decode()
    assert response.status_code == 200 and not Measurement.objects.exists()
    assert "Berekende scores" in html and "niet eenzaam" in html
    assert 'value="nee" id="id_item-e1_0" checked' in html


def test_detail_shows_answers_scores_and_who_and_is_audited(
    alice_client, alice, org_a, trajectory, instruments
):
    measurement = _record(trajectory, instruments["zrm-2017"], zrm("3", justitie="na"))
    html = alice_client.get(_url("detail", org_a, pk=measurement.pk)).content.decode()
    assert "Financiën" in html and "beperkt zelfredzaam" in html and "niet beoordeeld" in html
    assert _url("history", org_a, pk=measurement.pk) in html
    assert _url("correct", org_a, pk=measurement.pk) in html
    assert AuditEvent.objects.filter(
        action="view", object_type="measurement", object_id=measurement.pk, user=alice
    ).exists()


def test_a_correction_keeps_the_old_version_in_the_history(
    bob_client, org_a, trajectory, instruments
):
    djg = instruments["djg6-1"]
    old = _record(trajectory, djg, DJG6_LONELY)
    url = _url("correct", org_a, pk=old.pk)
    html = bob_client.get(url).content.decode()
    assert 'value="ja" id="id_item-e1_2" checked' in html  # the stored answers, to change
    assert 'name="moment"' not in html  # a correction keeps its moment

    response = bob_client.post(url, _data(djg, {**DJG6_LONELY, "e1": "nee"}, on=old.measured_on))
    new = Measurement.objects.get(is_current=True)
    assert response["Location"] == _url("detail", org_a, pk=new.pk)
    assert (new.version, new.supersedes_id) == (2, old.pk)

    html = bob_client.get(_url("history", org_a, pk=old.pk)).content.decode()
    assert "Versie 2" in html and "Versie 1" in html
    assert html.index("Versie 2") < html.index("Versie 1")
    assert "Ervaart een gevoel van leegte" in html  # what the correction changed
    old_detail = bob_client.get(_url("detail", org_a, pk=old.pk)).content.decode()
    assert "is gecorrigeerd" in old_detail and _url("detail", org_a, pk=new.pk) in old_detail

    response = bob_client.get(url)  # the old version can no longer be corrected
    assert response["Location"] == _url("detail", org_a, pk=old.pk)


def test_an_unchanged_correction_is_refused_on_the_page(bob_client, org_a, trajectory, instruments):
    djg = instruments["djg6-1"]
    old = _record(trajectory, djg, DJG6_LONELY)
    response = bob_client.post(
        _url("correct", org_a, pk=old.pk), _data(djg, DJG6_LONELY, on=old.measured_on)
    )
    assert "niets veranderd" in response.content.decode()
    assert Measurement.objects.count() == 1


def test_gas_asks_a_score_per_goal_and_uses_the_weights(bob_client, org_a, trajectory, instruments):
    gas = instruments["gas-1"]
    finance = OutcomeDomainFactory(pref_label_nl="Financiën")
    housing = OutcomeDomainFactory(pref_label_nl="Huisvesting")
    heavy = GoalFactory(trajectory=trajectory, domain=finance, position=1, weight=Decimal(3))
    light = GoalFactory(trajectory=trajectory, domain=housing, position=2, weight=Decimal(1))
    url = _url("create", org_a, trajectory_pk=trajectory.pk)
    html = bob_client.get(url, {"instrument": gas.pk, "moment": "end"}).content.decode()
    assert "Doel 1: Financiën (gewicht 3)" in html and "Doel 2: Huisvesting (gewicht 1)" in html
    assert f'name="item-{heavy.pk}"' in html and "+2: veel meer dan verwacht" in html

    response = bob_client.post(
        url, _data(gas, {str(heavy.pk): "2", str(light.pk): "-1"}, moment="end")
    )
    assert response.status_code == 302
    assert Measurement.objects.get().scores == {
        "t": {"value": 64.56, "category": "beter-dan-verwacht"}
    }
    detail = bob_client.get(response["Location"]).content.decode()
    assert "Doel 1: Financiën (gewicht 3)" in detail and "64,56" in detail


def test_gas_without_goals_explains_and_links_to_the_goals(
    bob_client, org_a, trajectory, instruments
):
    url = _url("create", org_a, trajectory_pk=trajectory.pk)
    html = bob_client.get(url, {"instrument": instruments["gas-1"].pk, "moment": "end"}).content
    html = html.decode()
    assert "nog geen doelen" in html
    assert reverse("participants:goals", kwargs={"slug": org_a.slug, "pk": trajectory.pk}) in html
    assert 'name="instrument"' not in html


def test_the_trajectory_page_lists_measurements_per_moment(
    bob_client, org_a, trajectory, instruments
):
    page_url = reverse(
        "participants:trajectory_detail", kwargs={"slug": org_a.slug, "pk": trajectory.pk}
    )
    html = bob_client.get(page_url).content.decode()
    assert "Er zijn nog geen metingen bij dit traject." in html
    assert _url("create", org_a, trajectory_pk=trajectory.pk) in html

    _record(trajectory, instruments["djg6-1"], DJG6_LONELY)
    _record(trajectory, instruments["djg6-1"], DJG6_FINE, Moment.INTERIM, TODAY)
    html = bob_client.get(page_url).content.decode()
    assert 'data-moment="intake"' in html and 'data-moment="interim"' in html
    assert "Eenzaamheid totaal: 6 (ernstig eenzaam)" in html
    assert 'data-moment="end"' not in html and "Verandering van intake" not in html


def test_another_organisations_instrument_is_a_404(bob_client, org_a, org_b, trajectory):
    foreign = InstrumentFactory(organisation=org_b)
    url = _url("create", org_a, trajectory_pk=trajectory.pk)
    assert bob_client.post(url, _data(foreign, {"v1": "3"})).status_code == 404
    html = bob_client.get(url, {"instrument": foreign.pk, "moment": "intake"}).content.decode()
    assert "Kies een van de instrumenten in de lijst." in html and 'name="item-v1"' not in html
    assert not Measurement.objects.exists()


def test_charlie_gets_404_on_every_measurement_address_of_a(
    charlie_client, org_a, trajectory, instruments
):
    djg = instruments["djg6-1"]
    measurement = _record(trajectory, djg, DJG6_LONELY)
    data = _data(djg, DJG6_FINE)
    # Charlie uses the addresses with A's slug and with his own.
    for org in (org_a, measurement.organisation.__class__.objects.exclude(pk=org_a.pk).get()):
        create = _url("create", org, trajectory_pk=trajectory.pk)
        preview = _url("preview", org, trajectory_pk=trajectory.pk)
        assert charlie_client.get(create).status_code == 404
        assert (
            charlie_client.get(create, {"instrument": djg.pk, "moment": "end"}).status_code == 404
        )
        assert charlie_client.post(create, data).status_code == 404
        assert charlie_client.post(preview, data).status_code == 404
        for name in ("detail", "correct", "history"):
            assert charlie_client.get(_url(name, org, pk=measurement.pk)).status_code == 404
        assert charlie_client.post(_url("correct", org, pk=measurement.pk), data).status_code == 404
    assert Measurement.objects.count() == 1


def test_a_visitor_must_log_in(client, org_a, trajectory):
    response = client.get(_url("create", org_a, trajectory_pk=trajectory.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
