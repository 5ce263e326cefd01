from django.conf import settings
from django.core.checks import Error, register
from django.utils.translation import gettext as _

from meerwaarde.bundling.suppression import K_MINIMUM


@register()
def suppression_k_at_least_minimum(app_configs, **kwargs):
    """A k below the minimum would publish figures about a handful of people."""
    k = getattr(settings, "SUPPRESSION_K", None)
    if isinstance(k, int) and k >= K_MINIMUM:
        return []
    return [
        Error(
            _("SUPPRESSION_K moet een geheel getal van minstens %(minimum)d zijn, niet %(k)r.")
            % {"minimum": K_MINIMUM, "k": k},
            id="bundling.E001",
        )
    ]
