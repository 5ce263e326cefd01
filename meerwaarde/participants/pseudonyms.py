"""Pseudonyms: HMAC-SHA256 of an organisation's own client reference with that organisation's key.

The key lives outside the database (DESIGN.md section 4): in the environment as
``MEERWAARDE_PSEUDONYM_KEY_<SLUG>`` (hex; this wins) or in ``PSEUDONYM_KEY_DIR/<slug>.key``. Whoever
holds only the database cannot turn a reference into a pseudonym, nor guess references by trying.
A lost key cannot be recovered: the organisation's participants can then no longer be found by
reference, so the key directory belongs in the back-up (apart from the database's).

The reference itself is never stored or logged: nothing here keeps it beyond the call.
"""

import enum
import hashlib
import hmac
import os
import re
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

from meerwaarde.organisations.models import Organisation

KEY_BYTES = 32
MAX_REFERENCE_LENGTH = 64
ENV_PREFIX = "MEERWAARDE_PSEUDONYM_KEY_"
_BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)
# A BSN written as "123 456 782" or "123.456.782" is still a BSN.
_BSN_SEPARATORS = re.compile(r"[\s.\-]")


class PseudonymKeyError(ImproperlyConfigured):
    """The organisation's key is missing or unusable; the message is Dutch, for the user."""


class KeyState(enum.StrEnum):
    CREATED = "created"
    EXISTS = "exists"
    ENVIRONMENT = "environment"


def env_name(slug: str) -> str:
    return ENV_PREFIX + slug.upper().replace("-", "_")


def key_path(slug: str) -> Path:
    return Path(settings.PSEUDONYM_KEY_DIR) / f"{slug}.key"


def _parse_key(text: str, slug: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) < KEY_BYTES:
        raise PseudonymKeyError(
            _(
                "De sleutel voor pseudoniemen van deze organisatie is ongeldig. Vraag de "
                "beheerder van Meerwaarde om dit te herstellen (organisatie ‘%(slug)s’)."
            )
            % {"slug": slug}
        )
    return key


def key_for(organisation: Organisation) -> bytes:
    """The organisation's key: the environment variable if set, else its key file."""
    slug = organisation.slug
    from_env = os.environ.get(env_name(slug), "")
    if from_env:
        return _parse_key(from_env, slug)
    path = key_path(slug)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise PseudonymKeyError(
            _(
                "Deelnemers kunnen nog niet worden gezocht of geregistreerd: de sleutel voor "
                "pseudoniemen van deze organisatie ontbreekt. Vraag de beheerder van Meerwaarde "
                "om ‘manage.py create_pseudonym_keys --organisation %(slug)s’ uit te voeren."
            )
            % {"slug": slug}
        ) from None
    return _parse_key(text, slug)


def key_create(slug: str) -> KeyState:
    """Write a new random key file for ``slug`` unless there is one (or the environment has one).

    Never overwrites: a new key would orphan every pseudonym made with the old one.
    """
    if os.environ.get(env_name(slug)):
        return KeyState.ENVIRONMENT
    directory = Path(settings.PSEUDONYM_KEY_DIR)
    if not directory.exists():
        directory.mkdir(parents=True, mode=0o700)
        directory.chmod(0o700)  # mkdir's mode is narrowed by the umask, not guaranteed
    try:
        # O_EXCL: two processes creating the same key at once cannot both win.
        fd = os.open(key_path(slug), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return KeyState.EXISTS
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(os.urandom(KEY_BYTES).hex() + "\n")
    return KeyState.CREATED


def keys_create_for(*, organisations: Iterable[Organisation]) -> int:
    """Create the missing keys of these organisations (the demo, a new installation); how many."""
    return sum(key_create(organisation.slug) == KeyState.CREATED for organisation in organisations)


def normalise_reference(reference: str) -> str:
    """Trimmed and case-folded: " AB12 " and "ab12" are the same client."""
    return (reference or "").strip().casefold()


def is_bsn(reference: str) -> bool:
    """Nine digits that pass the eleven-test (elfproef) of the burgerservicenummer."""
    digits = _BSN_SEPARATORS.sub("", reference or "")
    if len(digits) != 9 or not (digits.isascii() and digits.isdigit()):
        return False
    if digits == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(digits, _BSN_WEIGHTS, strict=True)) % 11 == 0


def validate_reference(reference: str) -> str:
    """The normalised reference, or a ValidationError whose Dutch message never repeats it."""
    normalised = normalise_reference(reference)
    if not normalised:
        raise ValidationError(
            _("Vul het cliëntnummer in dat uw organisatie voor deze deelnemer gebruikt."),
            code="required",
        )
    if len(normalised) > MAX_REFERENCE_LENGTH:
        raise ValidationError(
            _("Een cliëntnummer is hooguit %(max)s tekens lang.") % {"max": MAX_REFERENCE_LENGTH},
            code="too_long",
        )
    if is_bsn(normalised):
        raise ValidationError(
            _(
                "Dit nummer lijkt een burgerservicenummer (BSN). Een BSN mag u hier niet als "
                "cliëntnummer gebruiken. Een BSN wijst direct naar één persoon, en de privacywet "
                "(AVG) vraagt dat we zulke gegevens niet vastleggen als het niet nodig is. Gebruik "
                "het eigen cliëntnummer uit het dossier van uw organisatie."
            ),
            code="bsn",
        )
    return normalised


def pseudonym_for(*, organisation: Organisation, reference: str) -> str:
    """64 hex characters; the same reference gives the same pseudonym within one organisation.

    Raises ValidationError for an empty, too long or BSN reference, PseudonymKeyError when the
    organisation has no usable key.
    """
    normalised = validate_reference(reference)
    key = key_for(organisation)
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()
