"""Acceptance: no table or log contains a client reference.

The scan walks every table and every column the database has, so it keeps holding as apps are
added: a new app that stored a reference anywhere would fail here.
"""

import logging

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.participants.models import AuditEvent, Participant

pytestmark = pytest.mark.django_db

# Distinctive, without "_" or "%" (LIKE wildcards), in mixed case: it is stored, if at all,
# as typed or case-folded.
REFERENCE = "Zeldzaam-Kenmerk-4711"
NEEDLE = REFERENCE.casefold()


def _tables_containing(needle: str) -> list[str]:
    """Every table.column whose text (any column cast to text) contains the needle."""
    hits = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            # The column names as a query returns them: Django's SQLite introspection parses
            # the table's SQL and trips over some named check constraints.
            cursor.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")  # noqa: S608
            for column in [d[0] for d in cursor.description]:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 - names from the catalogue
                    f"WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column}")
    return hits


def _sessions_containing(needle: str) -> list[str]:
    """Session data is signed and encoded: decode it before looking."""
    return [
        s.session_key for s in Session.objects.all() if needle in str(s.get_decoded()).casefold()
    ]


def _use_every_page_with_the_reference(client, org, concepts) -> Participant:
    """Find (unknown), register, find again, start a trajectory, set goals, end it; then
    register and erase a second participant."""
    find = reverse("participants:find", kwargs={"slug": org.slug})
    pages = [client.post(find, {"reference": REFERENCE, "actie": "zoeken"})]
    pages.append(
        client.post(
            find,
            {
                "reference": REFERENCE,
                "actie": "registreren",
                "age_band": "45-64",
                "postcode4": "8011",
                "target_groups": [concepts["ouderen"].pk],
            },
            follow=True,
        )
    )
    pages.append(client.post(find, {"reference": f"  {REFERENCE.upper()} "}, follow=True))
    participant = Participant.objects.get(organisation=org)
    offer = OfferFactory(organisation=org)
    today = f"{timezone.localdate():%Y-%m-%d}"
    pages.append(
        client.post(
            reverse(
                "participants:trajectory_create", kwargs={"slug": org.slug, "pk": participant.pk}
            ),
            {"offer": offer.pk, "start_date": today},
            follow=True,
        )
    )
    trajectory = participant.trajectories.get()
    goals = {"doelen-TOTAL_FORMS": "5", "doelen-INITIAL_FORMS": "0"}
    goals |= {"doelen-0-domain": concepts["eenzaamheid"].pk, "doelen-0-weight": "1"}
    pages.append(
        client.post(
            reverse("participants:goals", kwargs={"slug": org.slug, "pk": trajectory.pk}),
            goals,
            follow=True,
        )
    )
    pages.append(
        client.post(
            reverse("participants:trajectory_end", kwargs={"slug": org.slug, "pk": trajectory.pk}),
            {"status": "completed", "end_date": today},
            follow=True,
        )
    )
    other = f"{REFERENCE}-2"
    client.post(find, {"reference": other, "actie": "registreren", "age_band": "75+"})
    pages.append(
        client.post(
            reverse("participants:erase", kwargs={"slug": org.slug}),
            {"reference": other, "confirm": "on"},
            follow=True,
        )
    )
    for page in pages:
        assert page.status_code == 200
        for url, _status in getattr(page, "redirect_chain", []):
            assert NEEDLE not in url.casefold()
    # Only "not found" shows it, in its own field, so that a typo can be seen before registering.
    first = pages[0].content.decode().casefold()
    assert first.count(NEEDLE) == 1 and f'value="{NEEDLE}"' in first
    for page in pages[1:]:
        assert NEEDLE not in page.content.decode().casefold()
    return participant


def test_it_stores_the_client_reference_in_no_table(alice_client, org_a, concepts):
    participant = _use_every_page_with_the_reference(alice_client, org_a, concepts)

    assert participant.trajectories.get().goals.count() == 1
    assert Participant.objects.filter(organisation=org_a).count() == 1
    assert AuditEvent.objects.filter(action="delete").count() == 1
    assert _tables_containing(NEEDLE) == []
    assert _sessions_containing(NEEDLE) == []


def test_the_scan_would_find_a_reference_if_one_were_stored(org_a, bob):
    """The scan itself works: a value written anywhere is found, whatever its case."""
    bob.full_name = REFERENCE.upper()
    bob.save()
    assert "accounts_user.full_name" in _tables_containing(NEEDLE)


def test_it_writes_the_client_reference_to_no_log(alice_client, org_a, concepts, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("django", "django.request", "django.db.backends", "django.template"):
        caplog.set_level(logging.DEBUG, logger=name)
    # The debug cursor logs every query with its parameters at DEBUG, as with DEBUG=True.
    with CaptureQueriesContext(connection) as queries:
        _use_every_page_with_the_reference(alice_client, org_a, concepts)

    assert any("participants_participant" in q["sql"] for q in queries.captured_queries)
    assert caplog.records, "the log was captured"
    assert NEEDLE not in caplog.text.casefold()
    assert all(NEEDLE not in q["sql"].casefold() for q in queries.captured_queries)
