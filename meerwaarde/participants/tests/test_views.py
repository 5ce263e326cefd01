"""The participant pages: who may see and change what, finding and registering by client
reference, trajectories, goals, erasure, and the audit log they leave."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.participants.constants import AgeBand, AuditAction, TrajectoryStatus
from meerwaarde.participants.models import AuditEvent, Goal, Participant, Trajectory
from meerwaarde.participants.tests.factories import (
    GoalFactory,
    ParticipantFactory,
    TrajectoryFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _url(name: str, org, **kwargs) -> str:
    return reverse(f"participants:{name}", kwargs={"slug": org.slug, **kwargs})


@pytest.fixture
def offer(org_a):
    return OfferFactory(organisation=org_a, name="Maatjes Zwolle")


@pytest.fixture
def trajectory(org_a, offer):
    return TrajectoryFactory(participant__organisation=org_a, offer=offer)


# Who may do what -------------------------------------------------------------------------


def _all_urls(org, participant, trajectory) -> list[tuple[str, str]]:
    return [
        ("get", _url("list", org)),
        ("get", _url("find", org)),
        ("post", _url("find", org)),
        ("get", _url("erase", org)),
        ("post", _url("erase", org)),
        ("get", _url("detail", org, pk=participant.pk)),
        ("get", _url("edit", org, pk=participant.pk)),
        ("post", _url("edit", org, pk=participant.pk)),
        ("get", _url("trajectory_create", org, pk=participant.pk)),
        ("post", _url("trajectory_create", org, pk=participant.pk)),
        ("get", _url("trajectory_detail", org, pk=trajectory.pk)),
        ("post", _url("trajectory_end", org, pk=trajectory.pk)),
        ("get", _url("goals", org, pk=trajectory.pk)),
        ("post", _url("goals", org, pk=trajectory.pk)),
    ]


def test_it_gives_an_outsider_404_on_every_page_of_another_organisation(
    charlie_client, org_a, trajectory
):
    for method, url in _all_urls(org_a, trajectory.participant, trajectory):
        response = getattr(charlie_client, method)(url, {"reference": "K-0173"})
        assert response.status_code == 404, (method, url)
    assert not AuditEvent.objects.exists()


def test_it_gives_404_on_another_organisations_participant_under_ones_own_address(
    charlie_client, org_b, trajectory
):
    """Charlie's own organisation in the address, A's participant and trajectory ids."""
    urls = [
        (m, u)
        for m, u in _all_urls(org_b, trajectory.participant, trajectory)
        if "/trajecten/" in u or re.search(r"/deelnemers/\d+/", u)
    ]
    assert len(urls) == 9
    for method, url in urls:
        response = getattr(charlie_client, method)(url)
        assert response.status_code == 404, (method, url)


def test_it_sends_anonymous_visitors_to_log_in(client, org_a):
    response = client.get(_url("list", org_a))
    assert response.status_code == 302 and "/account/" in response["Location"]


def test_it_lets_only_organisation_admins_erase(bob_client, carol_client, alice_client, org_a):
    assert bob_client.get(_url("erase", org_a)).status_code == 403
    assert carol_client.get(_url("erase", org_a)).status_code == 403
    assert alice_client.get(_url("erase", org_a)).status_code == 200


# The list -----------------------------------------------------------------------------------


def test_it_shows_an_empty_list_with_a_way_to_start(bob_client, org_a):
    html = bob_client.get(_url("list", org_a)).content.decode()
    assert "Uw organisatie heeft nog geen deelnemers geregistreerd." in html
    assert _url("find", org_a) in html


def test_it_lists_participants_by_their_short_pseudonym_only(bob_client, org_a, org_b):
    participant = ParticipantFactory(organisation=org_a)
    elsewhere = ParticipantFactory(organisation=org_b)
    html = bob_client.get(_url("list", org_a)).content.decode()
    assert f"Deelnemer {participant.pseudonym[:8]}" in html
    assert participant.pseudonym not in html
    assert elsewhere.pseudonym[:8] not in html


def test_it_filters_by_age_band_target_group_and_offer_with_a_running_trajectory(
    bob_client, org_a, concepts, offer
):
    young = ParticipantFactory(organisation=org_a, age_band=AgeBand.YOUNG_ADULT)
    carer = ParticipantFactory(organisation=org_a, target_groups=[concepts["mantelzorgers"]])
    running = TrajectoryFactory(participant__organisation=org_a, offer=offer).participant
    TrajectoryFactory(
        participant__organisation=org_a,
        offer=offer,
        status=TrajectoryStatus.COMPLETED,
        end_date=TODAY,
    )

    def shown(query: dict) -> set[int]:
        html = bob_client.get(_url("list", org_a), query).content.decode()
        return {int(pk) for pk in re.findall(r'data-participant="(\d+)"', html)}

    assert shown({"leeftijd": "18-26"}) == {young.pk}
    assert shown({"doelgroep": concepts["mantelzorgers"].pk}) == {carer.pk}
    assert shown({"aanbod": offer.pk}) == {running.pk}
    assert "Geen deelnemers gevonden met deze filters." in (
        bob_client.get(_url("list", org_a), {"leeftijd": "75+"}).content.decode()
    )


def test_it_pages_a_long_list(bob_client, org_a):
    ParticipantFactory.create_batch(26, organisation=org_a)
    first = bob_client.get(_url("list", org_a)).content.decode()
    second = bob_client.get(_url("list", org_a), {"pagina": 2}).content.decode()
    assert first.count("data-participant=") == 25 and second.count("data-participant=") == 1
    assert "Pagina 1 van 2" in first


# Finding and registering ------------------------------------------------------------------------


def test_it_opens_a_known_participant_found_by_reference(bob_client, org_a, bob):
    from meerwaarde.participants.services import participant_register

    participant, _ = participant_register(
        organisation=org_a, created_by=bob, reference="K-0173", age_band="27-44"
    )
    response = bob_client.post(_url("find", org_a), {"reference": " k-0173 ", "actie": "zoeken"})
    assert response.status_code == 302
    assert response["Location"] == _url("detail", org_a, pk=participant.pk)


def test_it_offers_to_register_an_unknown_reference(bob_client, org_a):
    response = bob_client.post(_url("find", org_a), {"reference": "K-0173", "actie": "zoeken"})
    html = response.content.decode()
    assert "Uw organisatie heeft nog geen deelnemer met dit cliëntnummer." in html
    assert "Nieuwe deelnemer registreren" in html and 'name="age_band"' in html
    assert not Participant.objects.exists()


def test_it_registers_a_participant_and_opens_it(bob_client, org_a, bob, concepts):
    response = bob_client.post(
        _url("find", org_a),
        {
            "reference": "K-0173",
            "actie": "registreren",
            "age_band": "65-74",
            "gender": "male",
            "postcode4": "8011",
            "target_groups": [concepts["ouderen"].pk],
        },
    )
    participant = Participant.objects.get()
    assert response["Location"] == _url("detail", org_a, pk=participant.pk)
    assert (participant.organisation, participant.age_band, participant.postcode4) == (
        org_a,
        "65-74",
        "8011",
    )
    html = bob_client.get(response["Location"]).content.decode()
    assert "De deelnemer is geregistreerd." in html and "Ouderen" in html
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, user=bob).count() == 1


def test_it_keeps_what_was_typed_when_registration_fails(bob_client, org_a):
    response = bob_client.post(
        _url("find", org_a),
        {"reference": "K-0173", "actie": "registreren", "postcode4": "80", "gender": "female"},
    )
    html = response.content.decode()
    assert "De deelnemer is niet geregistreerd." in html
    assert "Kies een leeftijdsgroep." in html
    assert "Vul alleen de vier cijfers van de postcode in, zoals 8011." in html
    assert 'value="80"' in html and '<option value="female" selected>' in html
    assert not Participant.objects.exists()


def test_it_refuses_a_bsn_and_explains_why_without_looking_it_up(bob_client, org_a):
    response = bob_client.post(_url("find", org_a), {"reference": "123456782", "actie": "zoeken"})
    html = response.content.decode()
    assert "burgerservicenummer (BSN)" in html and "privacywet" in html
    assert "Nieuwe deelnemer registreren" not in html


def test_it_does_not_search_from_the_address_bar(bob_client, org_a):
    """A reference in a URL would end up in browser history and server logs."""
    html = bob_client.get(_url("find", org_a), {"reference": "K-0173"}).content.decode()
    field = re.search(r'<input[^>]*name="reference"[^>]*>', html).group(0)
    assert "value=" not in field and 'autocomplete="off"' in field
    assert "nog geen deelnemer" not in html


def test_it_tells_the_user_when_the_organisation_has_no_key(bob_client, org_a, real_keys):
    response = bob_client.post(_url("find", org_a), {"reference": "K-0173", "actie": "zoeken"})
    html = response.content.decode()
    assert "de sleutel voor pseudoniemen van deze organisatie ontbreekt" in html
    assert "create_pseudonym_keys --organisation welzijn-alfa" in html


def test_it_hides_the_reference_from_error_reports_and_caches(bob_client, org_a):
    response = bob_client.post(_url("find", org_a), {"reference": "K-0173", "actie": "zoeken"})
    assert response.wsgi_request.sensitive_post_parameters == ("reference",)
    assert "no-store" in response["Cache-Control"]


# The participant's pages ------------------------------------------------------------------------


def test_it_shows_a_participant_with_trajectories_and_logs_the_view(
    bob_client, org_a, bob, trajectory
):
    participant = trajectory.participant
    html = bob_client.get(_url("detail", org_a, pk=participant.pk)).content.decode()
    assert f"Deelnemer {participant.short_pseudonym}" in html
    assert "Maatjes Zwolle" in html and "Lopend" in html
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.object_type, event.object_id) == (
        bob,
        "view",
        "participant",
        participant.pk,
    )


def test_it_changes_a_participants_attributes(bob_client, org_a, concepts):
    participant = ParticipantFactory(organisation=org_a, age_band=AgeBand.ADULT)
    response = bob_client.post(
        _url("edit", org_a, pk=participant.pk),
        {"age_band": "45-64", "gender": "", "postcode4": "", "target_groups": []},
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.age_band == "45-64"
    assert AuditEvent.objects.filter(action="update", object_id=participant.pk).exists()


def test_it_shows_the_attributes_form_with_the_current_values(bob_client, org_a, concepts):
    participant = ParticipantFactory(
        organisation=org_a, age_band=AgeBand.SENIOR, target_groups=[concepts["ouderen"]]
    )
    html = bob_client.get(_url("edit", org_a, pk=participant.pk)).content.decode()
    assert re.search(r'value="65-74"[^>]*checked', html)
    assert re.search(rf'value="{concepts["ouderen"].pk}"[^>]*checked', html)


# Trajectories -----------------------------------------------------------------------------------


def test_it_offers_only_the_organisations_offers_that_are_not_archived(bob_client, org_a, org_b):
    participant = ParticipantFactory(organisation=org_a)
    OfferFactory(organisation=org_a, name="Taalcafé")
    OfferFactory(organisation=org_a, name="Oud project", status=OfferStatus.ARCHIVED)
    OfferFactory(organisation=org_b, name="Van een ander")
    html = bob_client.get(_url("trajectory_create", org_a, pk=participant.pk)).content.decode()
    assert "Taalcafé" in html
    assert "Oud project" not in html and "Van een ander" not in html
    assert f'value="{TODAY:%Y-%m-%d}"' in html


def test_it_starts_a_trajectory_for_a_worker(bob_client, org_a, bob, offer, concepts):
    participant = ParticipantFactory(organisation=org_a)
    response = bob_client.post(
        _url("trajectory_create", org_a, pk=participant.pk),
        {
            "offer": offer.pk,
            "start_date": f"{TODAY:%Y-%m-%d}",
            "referral_source": concepts["huisarts"].pk,
        },
    )
    trajectory = Trajectory.objects.get()
    assert response["Location"] == _url("trajectory_detail", org_a, pk=trajectory.pk)
    assert (trajectory.participant, trajectory.offer, trajectory.created_by) == (
        participant,
        offer,
        bob,
    )
    assert trajectory.referral_source == concepts["huisarts"]


def test_it_refuses_another_organisations_offer_in_the_trajectory_form(bob_client, org_a, org_b):
    participant = ParticipantFactory(organisation=org_a)
    response = bob_client.post(
        _url("trajectory_create", org_a, pk=participant.pk),
        {"offer": OfferFactory(organisation=org_b).pk, "start_date": f"{TODAY:%Y-%m-%d}"},
    )
    assert "Het traject is niet gestart." in response.content.decode()
    assert not Trajectory.objects.exists()


def test_it_shows_a_trajectory_with_goals_and_a_place_for_measurements(
    bob_client, org_a, bob, trajectory, concepts
):
    GoalFactory(trajectory=trajectory, domain=concepts["financien"], position=1, weight=2)
    html = bob_client.get(_url("trajectory_detail", org_a, pk=trajectory.pk)).content.decode()
    assert "Financiën" in html
    assert 'id="metingen"' in html and "Er zijn nog geen metingen bij dit traject." in html
    assert "Traject afsluiten" in html
    assert AuditEvent.objects.filter(
        action="view", object_type="trajectory", object_id=trajectory.pk, user=bob
    ).exists()


def test_it_ends_a_trajectory(bob_client, org_a, trajectory):
    response = bob_client.post(
        _url("trajectory_end", org_a, pk=trajectory.pk),
        {"status": "completed", "end_date": f"{TODAY:%Y-%m-%d}"},
    )
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert (trajectory.status, trajectory.end_date) == ("completed", TODAY)
    html = bob_client.get(response["Location"]).content.decode()
    assert "Afgerond" in html and "Traject afsluiten" not in html


def test_it_explains_an_end_date_before_the_start(bob_client, org_a, trajectory):
    too_early = trajectory.start_date - datetime.timedelta(days=1)
    response = bob_client.post(
        _url("trajectory_end", org_a, pk=trajectory.pk),
        {"status": "stopped", "end_date": f"{too_early:%Y-%m-%d}"},
    )
    html = response.content.decode()
    assert "Het traject is niet afgesloten." in html
    assert "De einddatum kan niet vóór de startdatum" in html
    trajectory.refresh_from_db()
    assert trajectory.is_active


def _goal_data(rows: list[tuple[object, object]]) -> dict:
    data = {"doelen-TOTAL_FORMS": "5", "doelen-INITIAL_FORMS": "0"}
    for index in range(5):
        domain, weight = rows[index] if index < len(rows) else ("", "")
        data[f"doelen-{index}-domain"] = domain
        data[f"doelen-{index}-weight"] = weight
    return data


def test_it_sets_goals_with_dutch_decimal_weights(bob_client, org_a, trajectory, concepts):
    page = bob_client.get(_url("goals", org_a, pk=trajectory.pk)).content.decode()
    assert page.count("<legend") == 5
    response = bob_client.post(
        _url("goals", org_a, pk=trajectory.pk),
        _goal_data([(concepts["eenzaamheid"].pk, "1,5"), (concepts["financien"].pk, "")]),
    )
    assert response.status_code == 302
    goals = list(Goal.objects.order_by("position").values_list("domain__code", "weight"))
    assert [(code, str(weight)) for code, weight in goals] == [
        ("domein-eenzaamheid", "1.50"),
        ("domein-financien", "1.00"),
    ]


def test_it_explains_a_goal_weight_that_is_not_allowed(bob_client, org_a, trajectory, concepts):
    response = bob_client.post(
        _url("goals", org_a, pk=trajectory.pk), _goal_data([(concepts["eenzaamheid"].pk, "0")])
    )
    html = response.content.decode()
    assert "De doelen zijn niet opgeslagen." in html
    assert "Doel 1: het gewicht is een getal groter dan 0 en hooguit 10." in html
    assert not Goal.objects.exists()


# Erasing ----------------------------------------------------------------------------------------


def test_it_erases_a_participant_by_reference_for_an_admin(alice_client, org_a, alice, bob):
    from meerwaarde.participants.services import participant_register

    participant, _ = participant_register(
        organisation=org_a, created_by=bob, reference="K-0173", age_band="27-44"
    )
    TrajectoryFactory(participant=participant)
    response = alice_client.post(_url("erase", org_a), {"reference": "K-0173", "confirm": "on"})
    assert response["Location"] == _url("list", org_a)
    assert not Participant.objects.exists() and not Trajectory.objects.exists()
    assert AuditEvent.objects.filter(action="delete", user=alice).count() == 1


def test_it_erases_nothing_without_confirmation_or_for_an_unknown_reference(alice_client, org_a):
    ParticipantFactory(organisation=org_a)
    html = alice_client.post(_url("erase", org_a), {"reference": "K-0173"}).content.decode()
    assert "Vink aan dat u de deelnemer definitief wilt wissen." in html
    html = alice_client.post(
        _url("erase", org_a), {"reference": "K-0173", "confirm": "on"}
    ).content.decode()
    assert "Uw organisatie heeft geen deelnemer met dit cliëntnummer." in html
    assert Participant.objects.count() == 1
