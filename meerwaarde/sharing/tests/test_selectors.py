import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from meerwaarde.sharing import selectors
from meerwaarde.sharing.models import GrantKind
from meerwaarde.sharing.tests.factories import AccessGrantFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 31)


def test_it_lists_a_grant_until_its_end_date_inclusive(org_a, municipality):
    grant = AccessGrantFactory(organisation=org_a, partner=municipality, ends_on=DAY)

    assert list(selectors.grants_for_partner(partner=municipality, today=DAY)) == [grant]
    assert not selectors.grants_for_partner(
        partner=municipality, today=DAY + datetime.timedelta(days=1)
    ).exists()


def test_it_leaves_out_revoked_grants_and_those_of_other_partners(org_a, org_b, municipality):
    AccessGrantFactory(organisation=org_a, partner=municipality, revoked_at=timezone.now())
    AccessGrantFactory(organisation=org_a, partner=org_b)

    assert not selectors.grants_for_partner(partner=municipality).exists()


def test_it_finds_one_active_grant_of_the_partner(org_a, municipality):
    grant = AccessGrantFactory(organisation=org_a, partner=municipality, ends_on=DAY)

    assert selectors.grant_get_for_partner(partner=municipality, pk=grant.pk, today=DAY) == grant
    assert (
        selectors.grant_get_for_partner(
            partner=municipality, pk=grant.pk, kind=GrantKind.DASHBOARD, today=DAY
        )
        == grant
    )


@pytest.mark.parametrize("case", ["ended", "revoked", "other partner", "other kind", "missing"])
def test_it_raises_404_for_a_grant_the_partner_may_not_use(case, org_a, org_b, municipality):
    grant = AccessGrantFactory(organisation=org_a, partner=municipality, ends_on=DAY)
    pk, partner, kind, today = grant.pk, municipality, None, DAY
    if case == "ended":
        today = DAY + datetime.timedelta(days=1)
    elif case == "revoked":
        grant.revoked_at = timezone.now()
        grant.save()
    elif case == "other partner":
        partner = org_b
    elif case == "other kind":
        kind = GrantKind.REPORT
    else:
        pk = grant.pk + 1000

    with pytest.raises(Http404):
        selectors.grant_get_for_partner(partner=partner, pk=pk, kind=kind, today=today)


def test_it_finds_a_given_grant_only_in_the_organisation_that_gave_it(org_a, org_b, municipality):
    grant = AccessGrantFactory(organisation=org_a, partner=municipality)

    assert selectors.grant_get_given(organisation=org_a, pk=grant.pk) == grant
    with pytest.raises(Http404):
        selectors.grant_get_given(organisation=org_b, pk=grant.pk)
    with pytest.raises(Http404):
        selectors.grant_get_given(organisation=municipality, pk=grant.pk)


def test_it_offers_every_organisation_but_itself_as_partner(org_a, org_b, municipality):
    assert set(selectors.partner_choices(organisation=org_a)) == {org_b, municipality}


def test_it_finds_only_a_published_impact_page(org_a):
    page = selectors.impact_page_for(organisation=org_a)
    assert page.pk is None and not page.is_published
    page.sections = ["activiteit"]
    page.save()
    with pytest.raises(Http404):
        selectors.impact_page_get_published(slug=org_a.slug)

    page.is_published, page.published_at = True, timezone.now()
    page.save()
    assert selectors.impact_page_get_published(slug=org_a.slug) == page
