"""Owner / member / outsider: organisation B's users never reach organisation A's pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _org_urls(org, membership_pk, invitation_pk=1):
    slug = org.slug
    return [
        reverse("organisations:detail", kwargs={"slug": slug}),
        reverse("organisations:edit", kwargs={"slug": slug}),
        reverse("organisations:members", kwargs={"slug": slug}),
        reverse("organisations:invite", kwargs={"slug": slug}),
        reverse("organisations:member_role", kwargs={"slug": slug, "pk": membership_pk}),
        reverse("organisations:member_remove", kwargs={"slug": slug, "pk": membership_pk}),
    ]


def test_it_gives_outsiders_404_on_every_organisation_page(org_a, alice, bob, charlie_client):
    membership = bob.memberships.get()
    for url in _org_urls(org_a, membership.pk):
        assert charlie_client.get(url).status_code == 404, url
        assert charlie_client.post(url, {"role": "org_admin"}).status_code == 404, url


def test_it_gives_outsiders_404_when_revoking_an_invitation(org_a, alice, charlie_client):
    from django.utils import timezone

    from meerwaarde.organisations.models import Invitation

    invitation = Invitation.objects.create(
        organisation=org_a,
        email="x@example.org",
        role="worker",
        token_hash="h" * 64,
        expires_at=timezone.now(),
    )
    url = reverse(
        "organisations:invitation_revoke", kwargs={"slug": org_a.slug, "pk": invitation.pk}
    )
    assert charlie_client.post(url).status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_it_lets_an_admin_of_b_not_touch_memberships_of_a_through_own_slug(
    org_a, org_b, bob, charlie_client
):
    """Charlie manages B, but B's URLs with A's membership id are still 404."""
    url = reverse(
        "organisations:member_role", kwargs={"slug": org_b.slug, "pk": bob.memberships.get().pk}
    )
    assert charlie_client.post(url, {"role": "org_admin"}).status_code == 404
    assert bob.memberships.get().role == "worker"


def test_it_shows_members_their_own_organisation(org_a, bob_client):
    response = bob_client.get(reverse("organisations:detail", kwargs={"slug": org_a.slug}))
    assert response.status_code == 200
    assert "Welzijn Alfa" in response.content.decode()


def test_it_forbids_a_worker_to_manage_members(org_a, bob_client):
    assert (
        bob_client.get(reverse("organisations:members", kwargs={"slug": org_a.slug})).status_code
        == 403
    )
