"""People, roles and markings are checked before anything is saved."""

import pytest

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Marking, Organization, Role, User
from partnership.core.services import marking_clean, role_grant, user_create

pytestmark = pytest.mark.django_db


def org(key: str) -> Organization:
    return Organization.objects.get(slug=key)


def test_assessor_role_is_for_allied_organizations_only() -> None:
    with pytest.raises(ApplicationError) as info:
        user_create(
            by=None,
            username="x",
            password="a-long-passphrase-1",
            organization=org("ua-mod"),
            roles=[Role.ASSESSOR],
        )

    assert info.value.field == "roles"
    assert not User.objects.filter(username="x").exists()  # nothing half-saved


def test_reporter_role_is_for_partner_agencies_only() -> None:
    with pytest.raises(ApplicationError):
        user_create(
            by=None,
            username="y",
            password="a-long-passphrase-1",
            organization=org("us"),
            roles=[Role.REPORTER],
        )

    user = user_create(
        by=None,
        username="z",
        password="a-long-passphrase-1",
        organization=org("ua-ses"),
        roles=[Role.REPORTER],
    )
    assert user.roles == {Role.REPORTER}


def test_weak_password_is_refused_naming_the_field() -> None:
    with pytest.raises(ApplicationError) as info:
        user_create(by=None, username="w", password="123", organization=org("nato-is"))

    assert info.value.field == "password"


def test_nations_marking_needs_known_nations() -> None:
    assert marking_clean(marking=Marking.NATIONS, nations=["ua", "LT"]) == ("NATIONS", ",LT,UA,")
    with pytest.raises(ApplicationError) as info:
        marking_clean(marking=Marking.NATIONS, nations=[])
    assert info.value.field == "releasable_to"
    with pytest.raises(ApplicationError):
        marking_clean(marking=Marking.NATIONS, nations=["XX"])
    with pytest.raises(ApplicationError):
        marking_clean(marking=Marking.NATO, nations=["UA"])
    with pytest.raises(ApplicationError):
        marking_clean(marking="SECRET")


def test_institutions_and_embassies_take_the_side_of_their_nation() -> None:
    assert org("lt-embassy-kyiv").side == "ally"
    assert org("ua-mission-nato").side == "partner"
    assert org("ncia").side == "nato"
    assert org("ge").side == "other_partner"


@pytest.mark.parametrize(
    ("child", "parent", "expected"),
    [
        # (marking, nations) of the child, of the parent, and what the child gets
        (("PARTNERSHIP", []), ("PUBLIC", []), ("PARTNERSHIP", [])),
        (("PUBLIC", []), ("NATO", []), ("NATO", [])),
        (("PARTNERSHIP", []), ("NATO", []), ("NATO", [])),
        (("NATIONS", ["CA", "UA", "US"]), ("NATO", []), ("NATIONS", ["CA", "US"])),
        (("NATIONS", ["UA"]), ("NATO", []), ("NATO", [])),
        (("NATIONS", ["CA", "UA"]), ("NATIONS", ["UA", "US"]), ("NATIONS", ["UA"])),
        (("NATIONS", ["CA"]), ("NATIONS", ["UA"]), ("NATIONS", ["UA"])),
        (("PARTNERSHIP", []), ("NATIONS", ["LT", "UA"]), ("NATIONS", ["LT", "UA"])),
        (("NATO", []), ("NATIONS", ["LT", "UA"]), ("NATIONS", ["LT"])),
    ],
)
def test_a_marking_the_system_sets_is_no_wider_than_the_parent(
    child: tuple[str, list[str]], parent: tuple[str, list[str]], expected: tuple[str, list[str]]
) -> None:
    from partnership.core.services import marking_within
    from partnership.framework.models import Body

    holder = Body(marking=parent[0], releasable_to="".join(f",{c}" for c in parent[1]) + ",")
    if not parent[1]:
        holder.releasable_to = ""
    assert marking_within(marking=child[0], nations=child[1], parent=holder) == expected


def test_an_administrator_adds_people_to_their_own_organization_only() -> None:
    # given NATO's administrator (of the International Staff)
    admin = User.objects.get(username="nato-admin")

    # when they add a person to NATO and then to the Ukrainian ministry
    added = user_create(
        by=admin, username="p1", password="a-long-passphrase-1", organization=admin.organization
    )
    with pytest.raises(PermissionDeniedError):
        user_create(
            by=admin, username="p2", password="a-long-passphrase-1", organization=org("ua-mod")
        )

    # then only the first exists, and no grant reaches another organization's person
    assert added.organization == admin.organization
    assert not User.objects.filter(username="p2").exists()
    with pytest.raises(PermissionDeniedError):
        role_grant(by=admin, user=User.objects.get(username="ua-viewer"), role=Role.EDITOR)


def test_an_editor_adds_no_one_and_a_superuser_only_from_the_command_line() -> None:
    editor = User.objects.get(username="nato-editor")
    with pytest.raises(PermissionDeniedError):
        user_create(
            by=editor, username="p3", password="a-long-passphrase-1", organization=org("nato-is")
        )
    admin = User.objects.get(username="nato-admin")
    with pytest.raises(PermissionDeniedError):
        user_create(
            by=admin,
            username="p4",
            password="a-long-passphrase-1",
            organization=admin.organization,
            is_superuser=True,
        )
    assert not User.objects.filter(username__in=["p3", "p4"]).exists()
