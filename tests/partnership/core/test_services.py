"""People, roles and markings are checked before anything is saved."""

import pytest

from partnership.core.exceptions import ApplicationError
from partnership.core.models import Marking, Organization, Role, User
from partnership.core.services import marking_clean, user_create

pytestmark = pytest.mark.django_db


def org(key: str) -> Organization:
    return Organization.objects.get(slug=key)


def test_assessor_role_is_for_allied_organizations_only() -> None:
    with pytest.raises(ApplicationError) as info:
        user_create(
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
            username="y",
            password="a-long-passphrase-1",
            organization=org("us"),
            roles=[Role.REPORTER],
        )

    user = user_create(
        username="z",
        password="a-long-passphrase-1",
        organization=org("ua-ses"),
        roles=[Role.REPORTER],
    )
    assert user.roles == {Role.REPORTER}


def test_weak_password_is_refused_naming_the_field() -> None:
    with pytest.raises(ApplicationError) as info:
        user_create(username="w", password="123", organization=org("nato-is"))

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
