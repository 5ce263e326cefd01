"""The audit log of participant-level data (DESIGN.md section 4: "access to and changes of
participant-level data are audit-logged").

Services record their own changes; views record what a user looked at. Other apps (measurements,
exports) call ``audit_record`` the same way.
"""

from django.db import models

from meerwaarde.accounts.models import User
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.constants import AuditAction
from meerwaarde.participants.models import AuditEvent


def audit_record(
    *,
    user: User | None,
    organisation: Organisation,
    action: AuditAction | str,
    obj: models.Model | None,
    object_type: str = "",
) -> AuditEvent:
    """One line in the log: ``obj`` gives the type (its model name) and id, never its content.

    ``obj=None`` with an ``object_type`` records something that is not one row, such as an export.
    Call it before a delete: afterwards the object has no id.
    """
    action = AuditAction(action)
    if obj is not None:
        object_type = object_type or obj._meta.model_name or ""
    return AuditEvent.objects.create(
        organisation=organisation,
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=obj.pk if obj is not None else None,
    )
