from django.http import HttpRequest

from meerwaarde.core.navigation import menu_for
from meerwaarde.organisations.active import active_membership, memberships


def navigation(request: HttpRequest) -> dict:
    # Error pages can render before the authentication middleware ran (a 400 on a bad host).
    if request.path.startswith("/beheer/") or not hasattr(request, "user"):
        return {"menu": [], "my_memberships": []}
    current = request.resolver_match.url_name if request.resolver_match else ""
    return {
        "menu": menu_for(request),
        "current_url_name": current,
        "active_membership": active_membership(request),
        "my_memberships": memberships(request),
    }
