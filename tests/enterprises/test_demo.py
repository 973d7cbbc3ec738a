"""The enterprise-service demo: valid (illustrative) credit codes, chains of service managers,
requests in every state carried by their tasks, the 2024 holiday calendar with its make-up
working days, the 数控机床 chain's empty and thin links, and a rerun that changes nothing."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from jinwei.accounts.demo import demo_government, load_foundation
from jinwei.audit.models import AuditEntry
from jinwei.enterprises import demo_data
from jinwei.enterprises.demo import load_enterprises
from jinwei.enterprises.models import CalendarDay, Enterprise, ServiceManager, ServiceRequest
from jinwei.enterprises.workdays import add_working_days
from jinwei.indicators.demo import load_indicators
from jinwei.lib.credit_code import is_valid
from jinwei.projects.demo import load_projects
from jinwei.projects.models import IndustryChain
from jinwei.projects.parks import LinkStatus, chain_tree
from jinwei.tasks.models import Task

pytestmark = pytest.mark.django_db


def test_the_demo(settings, tmp_path):
    """One load, then every check on it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    load_foundation()
    load_indicators()
    load_projects()
    assert load_enterprises() > 100
    check_the_registry()
    check_the_chains_of_service_managers()
    check_requests_in_every_state()
    check_the_holiday_calendar()
    check_the_cnc_chain_has_empty_and_thin_links()
    check_everything_illustrative_is_marked()
    check_a_second_run_changes_nothing()
    check_a_rerun_recreates_what_was_deleted()


def snapshot() -> dict[str, int]:
    models = (Enterprise, ServiceManager, ServiceRequest, CalendarDay, Task, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


def state_of(request: ServiceRequest) -> str:
    if request.satisfaction is not None:
        return "rated"
    if request.resolved_on is not None:
        return "resolved"
    if request.responded_on is not None:
        return "responded"
    return "assigned" if request.task_id else "unassigned"


def check_the_registry() -> None:
    enterprises = Enterprise.objects.filter(government__code="440785")
    assert enterprises.count() == len(demo_data.ENTERPRISES) >= 20
    codes = list(enterprises.values_list("credit_code", flat=True))
    assert all(is_valid(code) for code in codes) and len(set(codes)) == len(codes)
    assert all(code.startswith("91440785") for code in codes)
    haoming = enterprises.get(name="江门市浩明电子有限公司")
    assert haoming.chain_link is not None and haoming.chain_link.name == "演艺灯光与专业音响"
    assert set(enterprises.values_list("size", flat=True)) == set(Enterprise.Size.values)
    assert enterprises.filter(park__isnull=False).exists()
    assert not enterprises.filter(town__isnull=True).exists()


def check_the_chains_of_service_managers() -> None:
    for enterprise in Enterprise.objects.prefetch_related("managers__user"):
        chain = list(enterprise.managers.all())
        assert len(chain) >= 3, enterprise.name
        assert [m.position for m in chain] == list(range(1, len(chain) + 1))
        if enterprise.size == Enterprise.Size.LARGE:
            assert chain[0].user.username == "demo-vice-industry"  # 一号服务员: a deputy mayor
    assert ServiceManager.objects.filter(user__username="investment").count() == 20


def check_requests_in_every_state() -> None:
    requests = list(ServiceRequest.objects.select_related("task"))
    states = Counter(state_of(r) for r in requests)
    assert set(states) == {"unassigned", "assigned", "responded", "resolved", "rated"}
    assert states == Counter(spec.state for spec in demo_data.REQUESTS)
    for request in requests:
        task = request.task
        if task is None:
            continue
        assert task.lead_unit_id == request.assigned_unit_id
        closed = request.resolved_on is not None
        assert (task.state == Task.State.CLOSED) == closed, request.title
        if closed:
            assert task.closed_on == request.resolved_on
        if request.responded_on is not None:
            assert task.state != Task.State.ASSIGNED  # answering acknowledged the task
    today = timezone.localdate()
    late = [r for r in requests if r.task_id and r.responded_on is None and r.response_due < today]
    assert late  # one waits past its response deadline
    ratings = {r.satisfaction for r in requests if r.satisfaction}
    assert min(ratings) <= 2 and max(ratings) == 5
    first_step = Task.objects.filter(service_request__isnull=False).first()
    assert first_step is not None
    assigned_on = timezone.localtime(first_step.events.order_by("at").first().at).date()
    assert assigned_on < today  # the steps carry their days


def check_the_holiday_calendar() -> None:
    enping = demo_government()
    days = {d.date: d for d in CalendarDay.objects.filter(government=enping)}
    national = [datetime.date(2024, 10, d) for d in (1, 2, 3, 4, 7)]
    assert all(not days[d].is_workday and days[d].name == "国庆节" for d in national)
    for worked in (datetime.date(2024, 9, 29), datetime.date(2024, 10, 12)):
        assert days[worked].is_workday and worked.weekday() >= 5
    spring = [d for d, row in days.items() if row.name.startswith("春节")]
    assert len([d for d in spring if days[d].is_workday]) == 2  # 2月4日、2月18日 worked
    # Monday 30 September + 2 working days: over the National Day holiday to 9 October
    assert add_working_days(enping.pk, datetime.date(2024, 9, 30), 2) == datetime.date(2024, 10, 9)
    # Sunday 18 February was worked: Friday 9 February + 1 working day
    assert add_working_days(enping.pk, datetime.date(2024, 2, 9), 1) == datetime.date(2024, 2, 18)


def check_the_cnc_chain_has_empty_and_thin_links() -> None:
    tree = chain_tree(IndustryChain.objects.get(name="数控机床"))
    status = {node.link.name: node.status for node in tree.nodes()}
    assert status["数控系统"] == status["电主轴"] == LinkStatus.EMPTY
    thin = {name for name, s in status.items() if s == LinkStatus.THIN}
    assert {"刀具与夹具", "滚珠丝杠与直线导轨", "加工中心"} <= thin
    assert status["数控车床"] == status["铸件与结构件"] == LinkStatus.COVERED


def check_everything_illustrative_is_marked() -> None:
    assert not Enterprise.objects.filter(is_illustrative=False).exists()
    assert not ServiceRequest.objects.filter(is_illustrative=False).exists()
    assert not Task.objects.filter(service_request__isnull=False, is_illustrative=False).exists()
    invented = Enterprise.objects.exclude(name__in=["江门市浩明电子有限公司", "正旭新能源"])
    assert all(e.name.startswith("示例·") for e in invented)
    assert all(
        e.contact_phone.startswith("0750-000") for e in Enterprise.objects.exclude(contact_phone="")
    )


def check_a_second_run_changes_nothing() -> None:
    before = snapshot()
    versions = dict(ServiceRequest.objects.values_list("title", "version"))
    assert load_enterprises() == 0
    assert snapshot() == before
    assert dict(ServiceRequest.objects.values_list("title", "version")) == versions


def check_a_rerun_recreates_what_was_deleted() -> None:
    unassigned = ServiceRequest.objects.filter(task__isnull=True).first()
    assert unassigned is not None
    title = unassigned.title
    unassigned.delete()
    CalendarDay.objects.filter(date=datetime.date(2024, 10, 1)).delete()
    ServiceManager.objects.filter(enterprise__name="江门市浩明电子有限公司").delete()
    assert load_enterprises() > 0
    assert ServiceRequest.objects.filter(title=title).exists()
    assert CalendarDay.objects.filter(date=datetime.date(2024, 10, 1), is_workday=False).exists()
    assert ServiceManager.objects.filter(enterprise__name="江门市浩明电子有限公司").count() == 4
