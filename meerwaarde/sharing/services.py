"""Writes of sharing: grants to partners, the impact page, API keys.

Every function is keyword-only and atomic, and raises ValidationError with Dutch messages keyed
by the form field they belong to.
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.organisations.models import Organisation
from meerwaarde.programmes.models import Programme
from meerwaarde.reports.models import Report
from meerwaarde.sharing.constants import (
    MAX_GRANT_DAYS,
    MAX_TOKEN_DAYS,
    TOKEN_MARK,
    TOKEN_TOUCH_SECONDS,
    ImpactSection,
)
from meerwaarde.sharing.dashboards import filters_clean
from meerwaarde.sharing.models import AccessGrant, ApiToken, GrantKind, ImpactPage


def _end_date_errors(
    ends_on: datetime.date | None, today: datetime.date, max_days: int
) -> str | None:
    if ends_on is None:
        return _("Kies een einddatum.")
    if ends_on <= today:
        return _("Kies een einddatum na vandaag.")
    last = today + datetime.timedelta(days=max_days)
    if ends_on > last:
        return _("Kies een einddatum tot en met %(last)s: langer dan twee jaar kan niet.") % {
            "last": date_format(last, "j F Y")
        }
    return None


# Grants -----------------------------------------------------------------------------------


@transaction.atomic
def grant_create(
    *,
    organisation: Organisation,
    created_by: User | None,
    partner: Organisation | None,
    kind: str,
    ends_on: datetime.date | None,
    report: Report | None = None,
    programme: Programme | None = None,
    filters: dict | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> AccessGrant:
    """Let ``partner`` see the dashboard (with ``filters``), a report or a programme of
    ``organisation`` until ``ends_on`` (inclusive).

    The report or programme must be the organisation's own; the filters are checked with the
    dashboard's form, so a grant never names another organisation's offer.
    """
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if partner is None:
        errors["partner"] = [_("Kies de organisatie die toegang krijgt.")]
    elif partner.pk == organisation.pk:
        errors["partner"] = [_("Uw eigen organisatie ziet dit al; kies een andere organisatie.")]
    end_error = _end_date_errors(ends_on, today, MAX_GRANT_DAYS)
    if end_error:
        errors["ends_on"] = [end_error]
    clean_filters: dict[str, str] = {}
    if kind == GrantKind.DASHBOARD:
        report = programme = None
        try:
            clean_filters = filters_clean(organisation=organisation, filters=filters)
        except ValidationError as error:
            errors.update(error.message_dict)
    elif kind == GrantKind.REPORT:
        programme = None
        if report is None:
            errors["report"] = [_("Kies de verantwoording die u deelt.")]
        elif report.organisation_id != organisation.pk:
            errors["report"] = [_("Deze verantwoording hoort niet bij uw organisatie.")]
    elif kind == GrantKind.PROGRAMME:
        report = None
        if programme is None:
            errors["programme"] = [_("Kies het programma dat u deelt.")]
        elif programme.organisation_id != organisation.pk:
            errors["programme"] = [_("Dit programma is niet van uw organisatie.")]
    else:
        errors["kind"] = [_("Kies wat u deelt.")]
    if errors:
        raise ValidationError(errors)
    assert partner is not None and ends_on is not None  # checked above
    return AccessGrant.objects.create(
        organisation=organisation,
        partner=partner,
        kind=kind,
        report=report,
        programme=programme,
        filters=clean_filters,
        ends_on=ends_on,
        note=note.strip(),
        created_by=created_by,
    )


@transaction.atomic
def grant_revoke(*, grant: AccessGrant) -> AccessGrant:
    """End a grant now. Revoking twice keeps the first moment."""
    if grant.revoked_at is None:
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at", "updated_at"])
    return grant


# The impact page --------------------------------------------------------------------------


def _page(organisation: Organisation) -> ImpactPage:
    page = ImpactPage.objects.select_for_update().filter(organisation=organisation).first()
    return page or ImpactPage(organisation=organisation)


@transaction.atomic
def impact_page_update(
    *,
    organisation: Organisation,
    introduction: str,
    sections: Iterable[str],
    filters: dict | None = None,
) -> ImpactPage:
    """Save the page's settings; a published page shows them at once."""
    chosen = list(dict.fromkeys(sections))
    errors: dict[str, list[str]] = {}
    if any(section not in ImpactSection.values for section in chosen):
        errors["sections"] = [_("Kies alleen onderdelen uit de lijst.")]
    try:
        clean_filters = filters_clean(organisation=organisation, filters=filters)
    except ValidationError as error:
        errors.update(error.message_dict)
    page = _page(organisation)
    if page.is_published and not chosen:
        errors["sections"] = [
            _(
                "Een gepubliceerde pagina toont minstens één onderdeel. Haal de pagina eerst "
                "offline."
            )
        ]
    if errors:
        raise ValidationError(errors)
    # In the order of the page, whatever the order they were ticked in.
    page.sections = [value for value in ImpactSection.values if value in chosen]
    page.introduction = introduction.strip()
    page.filters = clean_filters
    page.save()
    return page


@transaction.atomic
def impact_page_publish(*, organisation: Organisation) -> ImpactPage:
    page = _page(organisation)
    if page.pk is None or not page.sections:
        raise ValidationError(
            {"sections": [_("Kies eerst welke onderdelen de pagina toont en sla dat op.")]}
        )
    if not page.is_published:
        page.is_published = True
        page.published_at = timezone.now()
        page.save(update_fields=["is_published", "published_at", "updated_at"])
    return page


@transaction.atomic
def impact_page_unpublish(*, organisation: Organisation) -> ImpactPage:
    page = _page(organisation)
    if page.pk is not None and page.is_published:
        page.is_published = False
        page.save(update_fields=["is_published", "updated_at"])
    return page


# API keys ---------------------------------------------------------------------------------


def token_hash(key: str) -> str:
    """What is stored of a key: its SHA-256. A key has 256 random bits, so no salt is needed."""
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *,
    organisation: Organisation,
    created_by: User | None,
    name: str,
    expires_on: datetime.date | None,
    today: datetime.date | None = None,
) -> tuple[ApiToken, str]:
    """A new key for the organisation's systems: returns the key itself, the only time it is
    known; only its hash and first characters are kept."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = [_("Geef de sleutel een naam, bijvoorbeeld het systeem dat hem gebruikt.")]
    end_error = _end_date_errors(expires_on, today, MAX_TOKEN_DAYS)
    if end_error:
        errors["expires_on"] = [end_error]
    if errors:
        raise ValidationError(errors)
    key = TOKEN_MARK + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=key[:8],
        key_hash=token_hash(key),
        expires_on=expires_on,
        created_by=created_by,
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_touch(*, token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Note that the key was used: at most once a minute, so busy clients do not write on
    every request. A conditional update, so two requests at once write once."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=TOKEN_TOUCH_SECONDS)
    if token.last_used_at is not None and token.last_used_at > cutoff:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=cutoff)
    ).update(last_used_at=now)
    token.last_used_at = now
