import pytest
from django.http import Http404

from meerwaarde.instruments import selectors
from meerwaarde.instruments.tests.factories import InstrumentFactory

pytestmark = pytest.mark.django_db


def test_it_lists_the_shipped_instruments_first_then_the_organisations_own_active_ones(
    shipped_instruments, org_a, org_b
):
    own = InstrumentFactory(organisation=org_a, name="Aaa eigen")
    InstrumentFactory(organisation=org_a, name="Uitgezet", is_active=False)
    InstrumentFactory(organisation=org_b, name="Van B")
    listed = list(selectors.instrument_list_for(organisation=org_a))
    assert len(listed) == 7
    assert listed[-1] == own
    assert all(i.organisation is None for i in listed[:6])


def test_it_lists_the_inactive_own_ones_when_asked(org_a, org_b):
    InstrumentFactory(organisation=org_a, is_active=False)
    assert selectors.instrument_list_for(organisation=org_a).count() == 0
    assert selectors.instrument_list_for(organisation=org_a, include_inactive=True).count() == 1


def test_it_gets_a_shipped_or_own_instrument_and_404s_on_another_organisations(
    shipped_instruments, org_a, org_b
):
    own = InstrumentFactory(organisation=org_a, is_active=False)
    theirs = InstrumentFactory(organisation=org_b)
    pg = shipped_instruments["pg-1"]
    assert selectors.instrument_get(organisation=org_a, pk=own.pk) == own
    assert selectors.instrument_get(organisation=org_a, pk=pg.pk) == pg
    with pytest.raises(Http404):
        selectors.instrument_get(organisation=org_a, pk=theirs.pk)
    with pytest.raises(Http404):
        selectors.instrument_get_own(organisation=org_a, pk=pg.pk)
