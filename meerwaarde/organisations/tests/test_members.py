import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from meerwaarde.accounts.models import User
from meerwaarde.accounts.tests.factories import UserFactory
from meerwaarde.organisations.models import Invitation, Membership

pytestmark = pytest.mark.django_db


def _invite(client, org, email="nieuw@example.org", role="worker"):
    url = reverse("organisations:invite", kwargs={"slug": org.slug})
    return client.post(url, {"email": email, "role": role})


def _link_from_mail() -> str:
    match = re.search(
        r"http://testserver(/organisaties/uitnodiging/[^/\s]+/)", mail.outbox[-1].body
    )
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_it_invites_by_email_with_a_one_time_link_that_creates_the_account(
    org_a, alice_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(alice_client, org_a).status_code == 302
    assert mail.outbox[-1].to == ["nieuw@example.org"]
    link = _link_from_mail()
    client = Client()
    response = client.post(
        link,
        {
            "full_name": "Nina Nieuw",
            "password1": "een-goed-wachtwoord",
            "password2": "een-goed-wachtwoord",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.org")
    assert user.check_password("een-goed-wachtwoord")
    assert Membership.objects.get(user=user, organisation=org_a).role == "worker"
    # The link works only once.
    assert Client().get(link).status_code == 404


def test_it_only_stores_a_hash_of_the_invitation_token(
    org_a, alice_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(alice_client, org_a)
    token = _link_from_mail().rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_it_keeps_the_typed_name_when_the_passwords_differ(
    org_a, alice_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(alice_client, org_a)
    response = Client().post(
        _link_from_mail(),
        {"full_name": "Nina Nieuw", "password1": "een-goed-wachtwoord", "password2": "anders"},
    )
    html = response.content.decode()
    assert "De twee wachtwoorden zijn niet gelijk." in html
    assert 'value="Nina Nieuw"' in html
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_it_lets_an_existing_user_accept_after_logging_in(
    org_a, charlie, django_capture_on_commit_callbacks, alice_client
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(alice_client, org_a, email=charlie.email, role="coordinator")
    link = _link_from_mail()
    anonymous = Client().get(link).content.decode()
    assert "Log in om de uitnodiging aan te nemen" in anonymous
    client = Client()
    client.force_login(charlie)
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=charlie, organisation=org_a).role == "coordinator"


def test_it_refuses_an_invitation_for_someone_else(
    org_a, bob, alice_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(alice_client, org_a, email="ander@example.org")
    client = Client()
    client.force_login(UserFactory(email="iemand@example.org"))
    response = client.post(_link_from_mail())
    assert "deze uitnodiging is voor ander@example.org" in response.content.decode()
    assert not Membership.objects.filter(user__email="iemand@example.org").exists()


def test_it_refuses_to_invite_an_existing_member(org_a, bob, alice_client):
    response = _invite(alice_client, org_a, email=bob.email)
    assert "is al lid van" in response.content.decode()


def test_it_revokes_an_open_invitation(org_a, alice_client):
    _invite(alice_client, org_a)
    invitation = Invitation.objects.get()
    url = reverse(
        "organisations:invitation_revoke", kwargs={"slug": org_a.slug, "pk": invitation.pk}
    )
    assert alice_client.post(url).status_code == 302
    assert not Invitation.objects.exists()


def test_it_changes_a_role(org_a, bob, alice_client):
    membership = bob.memberships.get()
    url = reverse("organisations:member_role", kwargs={"slug": org_a.slug, "pk": membership.pk})
    assert alice_client.post(url, {"role": "coordinator"}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == "coordinator"


def test_it_keeps_at_least_one_organisation_admin(org_a, alice, alice_client):
    me = alice.memberships.get()
    url = reverse("organisations:member_role", kwargs={"slug": org_a.slug, "pk": me.pk})
    response = alice_client.post(url, {"role": "worker"})
    assert "minstens één organisatiebeheerder" in response.content.decode()
    url = reverse("organisations:member_remove", kwargs={"slug": org_a.slug, "pk": me.pk})
    response = alice_client.post(url)
    assert "minstens één organisatiebeheerder" in response.content.decode()
    assert Membership.objects.filter(pk=me.pk).exists()


def test_it_removes_a_user_from_the_organisation_but_keeps_the_account(org_a, bob, alice_client):
    membership = bob.memberships.get()
    url = reverse("organisations:member_remove", kwargs={"slug": org_a.slug, "pk": membership.pk})
    assert alice_client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=bob.pk).exists()


def test_it_switches_between_organisations(org_a, org_b, bob):
    from meerwaarde.organisations.tests.factories import MembershipFactory

    MembershipFactory(user=bob, organisation=org_b, role="worker")
    client = Client()
    client.force_login(bob)
    client.post(reverse("organisations:switch"), {"organisation": org_b.slug})
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'id="h-org">Sociaal Werk Beta' in html
    client.post(reverse("organisations:switch"), {"organisation": org_a.slug})
    html = client.get(reverse("core:dashboard")).content.decode()
    assert 'id="h-org">Welzijn Alfa' in html


def test_it_refuses_to_switch_to_an_organisation_one_is_not_in(org_b, bob_client):
    response = bob_client.post(reverse("organisations:switch"), {"organisation": org_b.slug})
    assert response.status_code == 404


def test_it_lets_a_platform_admin_create_an_organisation_and_invite_its_admin(
    platform_user, django_capture_on_commit_callbacks
):
    from meerwaarde.places.tests.factories import PlaceFactory

    PlaceFactory(name="Assen", province="DR")
    client = Client()
    client.force_login(platform_user("platform_admin"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organisations:create"),
            {
                "name": "Welzijn Assen",
                "kind": "social_work",
                "kvk_number": "87654321",
                "place": "Assen",
                "admin_email": "baas@welzijnassen.nl",
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.organisation.name == "Welzijn Assen"
    assert invitation.role == "org_admin"
    assert mail.outbox[-1].to == ["baas@welzijnassen.nl"]


def test_it_keeps_both_forms_input_when_creating_fails(platform_user):
    client = Client()
    client.force_login(platform_user("platform_admin"))
    response = client.post(
        reverse("organisations:create"),
        {
            "name": "Welzijn Assen",
            "kind": "social_work",
            "place": "Nergens",
            "admin_email": "baas@x.nl",
        },
    )
    html = response.content.decode()
    assert 'value="Welzijn Assen"' in html
    assert 'value="baas@x.nl"' in html
    assert "Deze plaats kennen we niet" in html


def test_it_forbids_other_roles_to_create_organisations(alice_client, platform_user):
    assert alice_client.get(reverse("organisations:create")).status_code == 403
    assert alice_client.get(reverse("organisations:list")).status_code == 403
    client = Client()
    client.force_login(platform_user("editor"))
    assert client.get(reverse("organisations:list")).status_code == 403


def test_it_redirects_anonymous_users_to_the_login(org_a):
    response = Client().get(reverse("organisations:detail", kwargs={"slug": org_a.slug}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
