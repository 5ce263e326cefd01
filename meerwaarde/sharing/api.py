"""API keys for partners' systems: ``Authorization: Token <key>``.

A valid key authenticates the organisation, not a person: ``request.user`` stays anonymous and
``request.auth`` is the ``ApiToken``, so nothing that checks user roles can be reached with a
key. ``partner_of(request)`` is the organisation whose shared figures the key may read.
A bad, expired or revoked key is a 401 with a Dutch message, also on public endpoints: a client
with a broken key should hear so rather than silently get less.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from meerwaarde.organisations.models import Organisation
from meerwaarde.sharing.models import ApiToken
from meerwaarde.sharing.selectors import api_token_for_key_hash
from meerwaarde.sharing.services import api_token_touch, token_hash

KEYWORD = "Token"
# Longer than any key we make: a megabyte header is not worth hashing.
_MAX_KEY_LENGTH = 200


class ApiTokenAuthentication(BaseAuthentication):
    """Looks the key up by its SHA-256 hash; the key itself is never stored."""

    def authenticate(self, request: Request) -> tuple[AnonymousUser, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise AuthenticationFailed(
                _("Geef de sleutel zo mee: ‘Authorization: Token <sleutel>’, zonder spaties.")
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Deze API-sleutel is ongeldig.")) from None
        token = None
        if len(key) <= _MAX_KEY_LENGTH:
            token = api_token_for_key_hash(key_hash=token_hash(key))
        if token is None:
            # One message for unknown, expired and revoked keys: the answer must not tell an
            # attacker which keys once existed.
            raise AuthenticationFailed(
                _("Deze API-sleutel is ongeldig, verlopen of ingetrokken. Vraag een nieuwe aan.")
            )
        api_token_touch(token=token)
        return AnonymousUser(), token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (with WWW-Authenticate), not 403, when a key is missing.
        return f'{KEYWORD} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The key in the OpenAPI document, so clients and the docs page know how to send it."""

    target_class = ApiTokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "API-sleutel van een partnerorganisatie, als ‘Token <sleutel>’. Een "
                "coördinator maakt sleutels aan onder Delen → API-sleutels."
            ),
        }


def partner_of(request: Request) -> Organisation | None:
    """The organisation of the request's API key; None without one."""
    token = getattr(request, "auth", None)
    return token.organisation if isinstance(token, ApiToken) else None


class HasPartnerKey(BasePermission):
    """Only with a valid key: without one DRF answers 401 (see ``authenticate_header``)."""

    message = gettext_lazy(
        "Dit deel van de API vraagt een API-sleutel: ‘Authorization: Token <sleutel>’."
    )

    def has_permission(self, request: Request, view) -> bool:
        return partner_of(request) is not None
