"""The enterprise registry's services and selectors: the credit code checked and normalised with a
message saying what is wrong, one code per government, places of the enterprise's own government,
the ordered chain of service managers, and the list's filters."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jinwei.audit.models import AuditEntry
from jinwei.enterprises import registry
from jinwei.enterprises.models import Enterprise, ServiceManager
from jinwei.enterprises.registry import EnterpriseFilters
from tests.enterprises.factories import EnterpriseFactory, credit_code
from tests.factories import MembershipFactory, UserFactory
from tests.projects.factories import ChainLinkFactory, IndustryChainFactory, ParkFactory

pytestmark = pytest.mark.django_db
VALID = "91350100M000100Y43"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def new(cast, code=VALID, **fields):
    return Enterprise(
        government=cast.enping,
        name=fields.pop("name", "江门市浩明电子有限公司"),
        credit_code=code,
        size=Enterprise.Size.MEDIUM,
        **fields,
    )


def refusal(cast, code) -> str:
    with pytest.raises(ValidationError) as raised:
        registry.enterprise_create(actor=cast.investment, enterprise=new(cast, code))
    return raised.value.message_dict["credit_code"][0]


# --- the credit code --------------------------------------------------------------------------


def test_a_code_typed_in_lower_case_with_spaces_is_stored_normalised(cast):
    enterprise = registry.enterprise_create(
        actor=cast.investment, enterprise=new(cast, " 9135 0100 m000 100y43 ")
    )
    enterprise.refresh_from_db()
    assert enterprise.credit_code == VALID


def test_a_wrong_length_is_named(cast):
    assert refusal(cast, "91350100M000100Y4") == (
        "A unified social credit code has 18 characters; “91350100M000100Y4” has 17."
    )


def test_an_invalid_character_is_named_with_its_position(cast):
    assert refusal(cast, "91350100O000100Y43") == (
        "Character 9 of the credit code (“O”) is not allowed: a credit code uses digits and "
        "capital letters other than I, O, S, V and Z."
    )


def test_a_wrong_check_character_says_what_it_should_be(cast):
    message = refusal(cast, "91350100M000100Y44")
    assert "it should be 3, not 4" in message
    assert not Enterprise.objects.exists()


def test_a_code_is_unique_within_the_government(cast):
    EnterpriseFactory(government=cast.enping, credit_code=VALID, name="先登记的公司")
    message = refusal(cast, VALID.lower())
    assert message == f"The credit code {VALID} is already registered, for 先登记的公司."
    # another government may register the same enterprise
    EnterpriseFactory(government=cast.taishan, credit_code=credit_code(1))
    assert Enterprise.objects.count() == 2


def test_an_update_keeps_its_own_code_and_is_audited(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    updated = registry.enterprise_update(
        actor=cast.supervisor,
        enterprise=enterprise,
        changes={"name": "新名称", "credit_code": enterprise.credit_code.lower()},
        expected_version=enterprise.version,
    )
    assert updated.name == "新名称" and updated.credit_code == enterprise.credit_code
    entry = AuditEntry.objects.get(object_id=str(enterprise.pk), action=AuditEntry.Action.UPDATE)
    assert entry.after == {"name": "新名称"}


def test_an_update_to_a_code_in_use_is_refused(cast):
    taken = EnterpriseFactory(government=cast.enping)
    enterprise = EnterpriseFactory(government=cast.enping)
    with pytest.raises(ValidationError) as raised:
        registry.enterprise_update(
            actor=cast.investment,
            enterprise=enterprise,
            changes={"credit_code": taken.credit_code},
            expected_version=None,
        )
    assert taken.name in raised.value.message_dict["credit_code"][0]


# --- rights and places --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["encheng_staff", "leader", "viewer", "statistician", "outsider"])
def test_only_investment_staff_and_the_supervising_office_register(cast, role):
    with pytest.raises(PermissionDenied):
        registry.enterprise_create(actor=getattr(cast, role), enterprise=new(cast))
    enterprise = EnterpriseFactory(government=cast.enping)
    with pytest.raises(PermissionDenied):
        registry.enterprise_update(
            actor=getattr(cast, role),
            enterprise=enterprise,
            changes={"name": "x"},
            expected_version=None,
        )


def test_places_must_be_of_the_enterprise_s_government(cast):
    foreign_link = ChainLinkFactory(chain=IndustryChainFactory(government=cast.taishan))
    foreign_park = ParkFactory(government=cast.taishan)
    with pytest.raises(ValidationError) as raised:
        registry.enterprise_create(
            actor=cast.investment,
            enterprise=new(
                cast, chain_link=foreign_link, park=foreign_park, town=cast.investment_bureau
            ),
        )
    assert set(raised.value.message_dict) == {"chain_link", "park", "town"}
    assert not Enterprise.objects.exists()


# --- service managers ---------------------------------------------------------------------------


def chain_of(enterprise):
    return list(enterprise.managers.order_by("position").values_list("position", "user__username"))


def test_managers_are_set_in_order(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    registry.managers_set(
        actor=cast.investment,
        enterprise=enterprise,
        user_ids=[cast.leader.pk, cast.investment.pk, cast.encheng_staff.pk],
        duties=["挂点领导", "招商对接"],
    )
    assert chain_of(enterprise) == [(1, "alice"), (2, "ivy"), (3, "eve")]
    assert enterprise.managers.get(position=1).duty == "挂点领导"
    assert enterprise.managers.get(position=3).duty == ""


def test_reordering_replaces_the_chain_and_is_audited(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    ids = [cast.investment.pk, cast.encheng_staff.pk]
    registry.managers_set(actor=cast.investment, enterprise=enterprise, user_ids=ids)
    registry.managers_set(actor=cast.investment, enterprise=enterprise, user_ids=ids[::-1])
    assert chain_of(enterprise) == [(1, "eve"), (2, "ivy")]
    entry = AuditEntry.objects.filter(object_id=str(enterprise.pk)).latest("at")
    assert entry.before == {"managers": ["1. 招商员", "2. 恩城办事员"]}
    assert entry.after == {"managers": ["1. 恩城办事员", "2. 招商员"]}
    # the same chain again writes no entry
    count = AuditEntry.objects.count()
    registry.managers_set(actor=cast.investment, enterprise=enterprise, user_ids=ids[::-1])
    assert AuditEntry.objects.count() == count


def test_a_person_twice_in_the_chain_is_refused(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    with pytest.raises(ValidationError) as raised:
        registry.managers_set(
            actor=cast.investment,
            enterprise=enterprise,
            user_ids=[cast.investment.pk, cast.encheng_staff.pk, cast.investment.pk],
        )
    assert raised.value.messages == ["招商员 appears twice in the chain of service managers."]
    assert not ServiceManager.objects.exists()


def test_people_of_another_government_cannot_serve(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    registry.managers_set(actor=cast.investment, enterprise=enterprise, user_ids=[cast.leader.pk])
    with pytest.raises(ValidationError) as raised:
        registry.managers_set(
            actor=cast.investment, enterprise=enterprise, user_ids=[cast.outsider.pk]
        )
    assert "not 台山办事员" in raised.value.messages[0]
    assert chain_of(enterprise) == [(1, "alice")]  # nothing half-written


def test_an_inactive_person_cannot_serve(cast):
    gone = UserFactory(username="gone", is_active=False)
    MembershipFactory(user=gone, unit=cast.encheng)
    enterprise = EnterpriseFactory(government=cast.enping)
    with pytest.raises(ValidationError):
        registry.managers_set(actor=cast.investment, enterprise=enterprise, user_ids=[gone.pk])


def test_staff_may_not_set_managers(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    with pytest.raises(PermissionDenied):
        registry.managers_set(
            actor=cast.encheng_staff, enterprise=enterprise, user_ids=[cast.encheng_staff.pk]
        )


def test_an_empty_chain_takes_everyone_off(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    registry.managers_set(actor=cast.admin, enterprise=enterprise, user_ids=[cast.leader.pk])
    registry.managers_set(actor=cast.admin, enterprise=enterprise, user_ids=[])
    assert chain_of(enterprise) == []


def test_the_page_lists_managers_with_their_units(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    registry.managers_set(
        actor=cast.admin, enterprise=enterprise, user_ids=[cast.investment.pk, cast.leader.pk]
    )
    page = registry.enterprise_page(viewer=cast.encheng_staff, enterprise=enterprise)
    assert [(m.position, m.units) for m in page.managers] == [(1, "投资促进局"), (2, "市政府")]
    assert not page.may_see_contacts and not page.may_manage
    leader_page = registry.enterprise_page(viewer=cast.leader, enterprise=enterprise)
    assert leader_page.may_see_contacts and not leader_page.may_manage


# --- the list -----------------------------------------------------------------------------------


def names(cast, **filters):
    rows = registry.enterprise_list(
        viewer=cast.viewer, government=cast.enping, filters=EnterpriseFilters(**filters)
    )
    return [e.name for e in rows]


def test_the_list_filters(cast):
    chain = IndustryChainFactory(government=cast.enping)
    link = ChainLinkFactory(chain=chain)
    other_link = ChainLinkFactory(chain=chain)
    park = ParkFactory(government=cast.enping)
    a = EnterpriseFactory(
        government=cast.enping, name="A电子", chain_link=link, park=park, town=cast.encheng
    )
    EnterpriseFactory(
        government=cast.enping,
        name="B机床",
        chain_link=other_link,
        town=cast.hengpi,
        size=Enterprise.Size.LARGE,
        is_above_scale=True,
    )
    EnterpriseFactory(government=cast.enping, name="C灯光")
    EnterpriseFactory(government=cast.taishan, name="D台山")
    assert names(cast) == ["A电子", "B机床", "C灯光"]
    assert names(cast, chain_id=chain.pk) == ["A电子", "B机床"]
    assert names(cast, link_id=link.pk) == ["A电子"]
    assert names(cast, park_id=park.pk) == ["A电子"]
    assert names(cast, town_id=cast.hengpi.pk) == ["B机床"]
    assert names(cast, size="large") == ["B机床"]
    assert names(cast, above_scale=True) == ["B机床"]
    assert names(cast, search="灯光") == ["C灯光"]
    assert names(cast, search=a.credit_code[-6:].lower()) == ["A电子"]
