"""Park services and selectors: who may create and edit parks, the managing unit and focus chains
of the park's own government, the audit trail, and the park list's counts in a bounded number of
queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jinwei.accounts.models import Role
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import StaleVersionError
from jinwei.projects import parks
from jinwei.projects.models import Park
from tests.enterprises.factories import EnterpriseFactory
from tests.factories import MembershipFactory
from tests.projects.factories import IndustryChainFactory, ParkFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def new_park(cast, **fields):
    return Park(government=cast.enping, name=fields.pop("name", "智能装备特色产业园"), **fields)


@pytest.mark.parametrize("role", ["investment", "supervisor", "admin"])
def test_investment_staff_and_the_supervising_office_create_parks(cast, role):
    chain = IndustryChainFactory(government=cast.enping, name="智能装备制造")
    park = parks.park_create(
        actor=getattr(cast, role),
        park=new_park(cast, area_mu=Decimal("3200.50"), managing_unit=cast.encheng),
        chains=[chain],
    )
    park.refresh_from_db()
    assert park.area_mu == Decimal("3200.50")
    assert list(park.chains.all()) == [chain]
    entry = AuditEntry.objects.get(object_id=str(park.pk), action=AuditEntry.Action.CREATE)
    assert entry.after["chains"] == [chain.pk]


@pytest.mark.parametrize("role", ["encheng_staff", "leader", "viewer", "statistician", "outsider"])
def test_others_may_not_create_parks(cast, role):
    with pytest.raises(PermissionDenied):
        parks.park_create(actor=getattr(cast, role), park=new_park(cast))
    assert not Park.objects.exists()


def test_the_managing_unit_must_work_for_the_park_s_government(cast):
    foreign_unit = cast.outsider.memberships.get().unit
    with pytest.raises(ValidationError) as raised:
        parks.park_create(actor=cast.investment, park=new_park(cast, managing_unit=foreign_unit))
    assert "works for another government" in raised.value.message_dict["managing_unit"][0]
    assert not Park.objects.exists()


def test_focus_chains_must_be_of_the_park_s_government(cast):
    foreign = IndustryChainFactory(government=cast.taishan, name="台山链")
    with pytest.raises(ValidationError) as raised:
        parks.park_create(actor=cast.investment, park=new_park(cast), chains=[foreign])
    assert "台山链" in raised.value.message_dict["chains"][0]
    assert not Park.objects.exists()


def test_a_park_name_is_unique_within_the_government(cast):
    ParkFactory(government=cast.enping, name="道氏新材料产业园")
    with pytest.raises(ValidationError):
        parks.park_create(actor=cast.investment, park=new_park(cast, name="道氏新材料产业园"))
    # the same name in another government is fine
    taishan_supervisor = MembershipFactory(
        unit=cast.outsider.memberships.get().unit, role=Role.SUPERVISOR
    ).user
    parks.park_create(
        actor=taishan_supervisor, park=Park(government=cast.taishan, name="道氏新材料产业园")
    )


def test_an_update_is_audited_and_refuses_a_stale_version(cast):
    park = ParkFactory(government=cast.enping)
    chain = IndustryChainFactory(government=cast.enping)
    updated = parks.park_update(
        actor=cast.investment,
        park=park,
        changes={"focus_industries": "数控机床", "chains": [chain]},
        expected_version=park.version,
    )
    assert updated.version == park.version + 1
    assert list(updated.chains.all()) == [chain]
    entry = AuditEntry.objects.filter(object_id=str(park.pk)).latest("at")
    assert entry.after == {"focus_industries": "数控机床", "chains": [chain.pk]}
    with pytest.raises(StaleVersionError):
        parks.park_update(
            actor=cast.investment,
            park=park,
            changes={"location": "恩城"},
            expected_version=park.version,
        )


def test_an_update_keeps_the_rules(cast):
    park = ParkFactory(government=cast.enping)
    with pytest.raises(PermissionDenied):
        parks.park_update(
            actor=cast.encheng_staff, park=park, changes={"name": "x"}, expected_version=None
        )
    with pytest.raises(ValidationError):
        parks.park_update(
            actor=cast.investment,
            park=park,
            changes={"managing_unit": cast.outsider.memberships.get().unit},
            expected_version=None,
        )
    with pytest.raises(ValidationError):
        parks.park_update(
            actor=cast.investment,
            park=park,
            changes={"government": cast.taishan},
            expected_version=None,
        )
    park.refresh_from_db()
    assert park.government == cast.enping and park.managing_unit is None


def test_the_park_list_counts_projects_and_enterprises(cast):
    full = ParkFactory(government=cast.enping, name="A园")
    empty = ParkFactory(government=cast.enping, name="B园")
    ParkFactory(government=cast.taishan, name="台山园")
    for _ in range(3):
        ProjectFactory(lead_unit=cast.encheng, park=full)
    EnterpriseFactory.create_batch(2, government=cast.enping, park=full)
    rows = list(parks.park_list(viewer=cast.viewer, government=cast.enping))
    assert [(p.name, p.project_count, p.enterprise_count) for p in rows] == [
        ("A园", 3, 2),
        ("B园", 0, 0),
    ]
    assert empty in rows


def _queries_for_list(cast) -> int:
    with CaptureQueriesContext(connection) as captured:
        for park in parks.park_list(viewer=cast.viewer, government=cast.enping):
            list(park.chains.all())
    return len(captured)


def test_the_park_list_costs_the_same_queries_for_many_parks(cast):
    chain = IndustryChainFactory(government=cast.enping)

    def grow(count):
        for _ in range(count):
            park = ParkFactory(government=cast.enping)
            park.chains.add(chain)
            ProjectFactory(lead_unit=cast.encheng, park=park)
            EnterpriseFactory(government=cast.enping, park=park)

    grow(2)
    _queries_for_list(cast)  # loads the viewer's grants once
    small = _queries_for_list(cast)
    grow(20)
    assert _queries_for_list(cast) == small


def test_chosen_government_is_the_viewer_s(cast):
    assert parks.chosen_government(viewer=cast.encheng_staff)[0] == cast.enping
    assert parks.chosen_government(viewer=cast.outsider)[0] == cast.taishan
    with pytest.raises(Http404):
        parks.chosen_government(viewer=cast.outsider, code=cast.enping.code)
