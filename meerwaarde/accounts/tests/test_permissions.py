import pytest

from meerwaarde.accounts.constants import OrgRole, PlatformRole
from meerwaarde.accounts.permissions import Perm, has_org_perm, has_platform_perm
from meerwaarde.accounts.tests.factories import UserFactory


def test_it_grants_more_to_each_higher_organisation_role():
    assert has_org_perm(OrgRole.WORKER, Perm.VIEW_MAPPINGS)
    assert not has_org_perm(OrgRole.WORKER, Perm.MANAGE_MAPPINGS)
    assert has_org_perm(OrgRole.COORDINATOR, Perm.MANAGE_MAPPINGS)
    assert not has_org_perm(OrgRole.COORDINATOR, Perm.MANAGE_MEMBERS)
    assert has_org_perm(OrgRole.ORG_ADMIN, Perm.MANAGE_MEMBERS)
    assert not has_org_perm(None, Perm.VIEW_ORGANISATION)


@pytest.mark.django_db
def test_it_never_grants_organisation_rights_through_a_platform_role():
    admin = UserFactory(platform_role=PlatformRole.PLATFORM_ADMIN)
    assert has_platform_perm(admin, Perm.MANAGE_ORGANISATIONS)
    assert not has_platform_perm(admin, Perm.MANAGE_MEMBERS)
    editor = UserFactory(platform_role=PlatformRole.EDITOR)
    assert has_platform_perm(editor, Perm.CURATE_VOCABULARY)
    assert not has_platform_perm(editor, Perm.VIEW_SECTOR)


@pytest.mark.django_db
def test_it_ignores_the_platform_role_of_an_inactive_user():
    user = UserFactory(platform_role=PlatformRole.EDITOR, is_active=False)
    assert not has_platform_perm(user, Perm.CURATE_VOCABULARY)
