"""Enterprise requests: deadlines in working days, assignment as a supervised task, the unit's
response, resolution through the task's loop, the rating, and the derived states and colours."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jinwei.audit.models import AuditEntry
from jinwei.enterprises import requests as services
from jinwei.enterprises.models import RequestRules, ServiceRequest
from jinwei.enterprises.request_selectors import (
    RequestState,
    colour_of,
    request_colour_q,
    state_of,
    state_q,
    unassigned_colour,
)
from jinwei.enterprises.workdays import add_working_days
from jinwei.tasks import services as task_services
from jinwei.tasks.models import Task, TaskEvent
from jinwei.tasks.timing import Colour, Rules
from tests.enterprises.factories import EnterpriseFactory
from tests.enterprises.request_helpers import (
    assigned,
    completion_requested,
    fresh,
    national_day,
    new_request,
    rated,
    resolved,
    responded,
)
from tests.factories import OrgUnitFactory
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db
D = datetime.date
Action = TaskEvent.Action


# --- recording and deadlines ------------------------------------------------------------------


def test_deadlines_are_counted_in_working_days_across_the_holiday(cast):
    national_day(cast.enping)
    request = new_request(cast, received_on=D(2024, 9, 27))
    # 2 working days: Sunday 29 Sep (worked), Monday 30 Sep
    assert request.response_due == D(2024, 9, 30)
    # 10: 29, 30 Sep; 8, 9, 10, 11, 12 (Saturday worked), 14, 15, 16 Oct
    assert request.resolution_due == D(2024, 10, 16)


def test_received_just_before_the_holiday_the_response_is_due_after_it(cast):
    national_day(cast.enping)
    request = new_request(cast, received_on=D(2024, 9, 30))
    assert request.response_due == D(2024, 10, 9)


def test_the_governments_rules_set_the_number_of_days(cast):
    RequestRules.objects.create(government=cast.enping, response_days=1, resolution_days=5)
    request = new_request(cast, received_on=D(2024, 9, 2))  # a Monday, no holiday
    assert (request.response_due, request.resolution_due) == (D(2024, 9, 3), D(2024, 9, 9))


def test_recording_is_audited(cast):
    request = new_request(cast)
    entry = AuditEntry.objects.get(object_id=str(request.pk), action="create")
    assert entry.actor == cast.investment
    assert request.government == cast.enping


@pytest.mark.parametrize("role", ["encheng_staff", "leader", "viewer", "statistician", "outsider"])
def test_only_managers_record_requests(cast, role):
    enterprise = EnterpriseFactory(government=cast.enping)
    with pytest.raises(PermissionDenied):
        services.request_create(
            actor=getattr(cast, role),
            enterprise=enterprise,
            category="land",
            title="用地",
            received_on=D(2024, 9, 2),
        )
    assert not ServiceRequest.objects.exists()


def test_a_request_cannot_be_received_in_the_future(cast):
    with pytest.raises(ValidationError) as error:
        new_request(cast, received_on=timezone.localdate() + datetime.timedelta(days=1))
    assert "received_on" in error.value.message_dict


def test_a_request_needs_a_title_and_a_known_category(cast):
    with pytest.raises(ValidationError) as error:
        new_request(cast, title="  ", category="weather")
    assert {"title", "category"} <= set(error.value.message_dict)
    assert not ServiceRequest.objects.exists()


# --- assignment -------------------------------------------------------------------------------


def test_assigning_creates_one_task_led_by_the_unit(cast):
    request = assigned(cast, unit=cast.hengpi)
    task = request.task
    assert Task.objects.count() == 1
    assert (task.lead_unit, task.state) == (cast.hengpi, Task.State.ASSIGNED)
    assert task.deadline == request.resolution_due
    assert task.start_date == request.received_on
    assert task.code == f"QS-{request.pk}"
    assert str(request.pk) in task.source_reference
    assert request.assigned_unit == cast.hengpi
    assert task.supervising_unit == cast.investment_bureau
    assert task.events.get().action == Action.ASSIGN


def test_the_unit_acknowledges_by_the_response_deadline(cast):
    request = assigned(cast)  # received today: the response deadline lies ahead
    assert request.response_due >= timezone.localdate()
    assert request.task.acknowledge_by == request.response_due


def test_a_late_assignment_is_acknowledged_by_today(cast):
    request = assigned(cast, received_on=D(2024, 9, 2))
    assert request.task.acknowledge_by == timezone.localdate()


def test_supervisors_assign_too(cast):
    request = new_request(cast)
    request = services.request_assign(actor=cast.supervisor, request=request, unit=cast.encheng)
    assert request.task.lead_unit == cast.encheng
    assert request.task.supervising_unit == cast.supervision


@pytest.mark.parametrize("role", ["encheng_staff", "leader", "viewer", "outsider"])
def test_only_managers_assign(cast, role):
    request = new_request(cast)
    with pytest.raises(PermissionDenied):
        services.request_assign(actor=getattr(cast, role), request=request, unit=cast.encheng)
    assert not Task.objects.exists()


def test_a_request_is_assigned_once(cast):
    request = assigned(cast)
    with pytest.raises(services.RequestRefused) as refused:
        services.request_assign(actor=cast.investment, request=request, unit=cast.hengpi)
    assert "恩城街道" in refused.value.message
    assert Task.objects.count() == 1


def test_it_refuses_a_unit_of_another_government(cast):
    request = new_request(cast)
    other = OrgUnitFactory(government=cast.taishan)
    with pytest.raises(ValidationError):
        services.request_assign(actor=cast.investment, request=request, unit=other)
    assert not Task.objects.exists()
    assert fresh(request).assigned_unit is None


def test_a_task_code_already_taken_gets_a_suffix(cast):
    request = new_request(cast)
    TaskFactory(lead_unit=cast.encheng, code=f"QS-{request.pk}")
    request = services.request_assign(actor=cast.investment, request=request, unit=cast.encheng)
    assert request.task.code == f"QS-{request.pk}-2"


# --- the unit's response ----------------------------------------------------------------------


def test_the_units_response_acknowledges_the_task(cast):
    request = responded(cast)
    assert request.responded_on == timezone.localdate()
    assert request.response == "已受理，三日内上门。"
    assert request.task.state == Task.State.IN_PROGRESS
    assert state_of(request) == RequestState.IN_HAND


def test_a_task_acknowledged_on_its_page_still_awaits_the_response(cast):
    request = assigned(cast)
    task_services.perform(actor=cast.encheng_staff, task=request.task, action=Action.ACKNOWLEDGE)
    request = fresh(request)
    assert state_of(request) == RequestState.AWAITING_RESPONSE
    request = services.request_respond(actor=cast.encheng_staff, request=request, response="已处理")
    assert request.task.state == Task.State.IN_PROGRESS
    assert request.task.events.filter(action=Action.ACKNOWLEDGE).count() == 1


@pytest.mark.parametrize("role", ["hengpi_staff", "investment", "supervisor", "outsider"])
def test_only_the_assigned_units_staff_respond(cast, role):
    request = assigned(cast, unit=cast.encheng)
    with pytest.raises(PermissionDenied):
        services.request_respond(actor=getattr(cast, role), request=request, response="答复")
    request = fresh(request)
    assert request.responded_on is None
    assert request.task.state == Task.State.ASSIGNED


def test_an_unassigned_request_cannot_be_answered(cast):
    request = new_request(cast)
    with pytest.raises(services.RequestRefused):
        services.request_respond(actor=cast.encheng_staff, request=request, response="答复")


def test_a_request_is_answered_once(cast):
    request = responded(cast)
    with pytest.raises(services.RequestRefused):
        services.request_respond(actor=cast.encheng_staff, request=request, response="再次答复")


@pytest.mark.parametrize(
    ("text", "on", "field"),
    [
        ("  ", None, "response"),
        ("答复", datetime.timedelta(days=1), "on"),
        ("答复", datetime.timedelta(days=-400), "on"),
    ],
)
def test_a_response_needs_text_and_a_possible_date(cast, text, on, field):
    request = assigned(cast, received_on=timezone.localdate() - datetime.timedelta(days=10))
    day = timezone.localdate() + on if on is not None else None
    with pytest.raises(ValidationError) as error:
        services.request_respond(actor=cast.encheng_staff, request=request, response=text, on=day)
    assert field in error.value.message_dict
    assert fresh(request).task.state == Task.State.ASSIGNED  # nothing half-written


# --- resolution through the task's loop ---------------------------------------------------------


def test_closing_the_task_on_its_page_resolves_the_request(cast):
    request = completion_requested(cast)
    task_services.perform(
        actor=cast.supervisor,
        task=request.task,
        action=Action.CLOSE,
        score_timeliness=90,
        score_quality=80,
    )
    request = fresh(request)
    assert state_of(request) == RequestState.RESOLVED
    assert services.resolution_date(request) == request.task.closed_on == timezone.localdate()
    assert services.closing_note(request.task) == "审批已办结，证照已发放。"


def test_managers_resolve_the_request_by_closing_its_task(cast):
    request = resolved(cast)
    assert request.resolved_on == timezone.localdate()
    assert request.resolution == "证照已发放，企业已开工。"
    task = Task.objects.get(pk=request.task_id)
    assert task.state == Task.State.CLOSED
    assert (task.score_timeliness, task.score_quality) == (90, 85)
    assert task.events.filter(action=Action.CLOSE, actor=cast.investment).exists()


def test_a_request_is_resolved_only_after_the_unit_asks_to_close(cast):
    request = responded(cast)
    with pytest.raises(services.RequestRefused):
        services.request_resolve(
            actor=cast.investment,
            request=request,
            resolution="已解决",
            score_timeliness=90,
            score_quality=90,
        )
    assert fresh(request).resolved_on is None


@pytest.mark.parametrize("role", ["encheng_staff", "leader", "outsider"])
def test_only_managers_resolve(cast, role):
    request = completion_requested(cast)
    with pytest.raises(PermissionDenied):
        services.request_resolve(
            actor=getattr(cast, role),
            request=request,
            resolution="已解决",
            score_timeliness=90,
            score_quality=90,
        )
    assert fresh(request).task.state == Task.State.COMPLETION_REQUESTED


def test_a_resolution_needs_its_text_and_scores(cast):
    request = completion_requested(cast)
    with pytest.raises(ValidationError):
        services.request_resolve(
            actor=cast.investment,
            request=request,
            resolution=" ",
            score_timeliness=90,
            score_quality=90,
        )
    with pytest.raises(services.RequestRefused):
        services.request_resolve(
            actor=cast.investment,
            request=request,
            resolution="已解决",
            score_timeliness=None,
            score_quality=90,
        )
    request = fresh(request)
    assert (request.task.state, request.resolved_on) == (Task.State.COMPLETION_REQUESTED, None)


def test_managers_send_the_completion_back(cast):
    request = completion_requested(cast)
    services.request_return(actor=cast.investment, request=request, note="企业反映仍未办结")
    request = fresh(request)
    assert request.task.state == Task.State.IN_PROGRESS
    assert state_of(request) == RequestState.IN_HAND
    assert request.task.events.filter(action=Action.RETURN, actor=cast.investment).exists()


def test_a_return_needs_its_reason(cast):
    request = completion_requested(cast)
    with pytest.raises(services.RequestRefused):
        services.request_return(actor=cast.investment, request=request, note=" ")
    assert fresh(request).task.state == Task.State.COMPLETION_REQUESTED


# --- the rating ---------------------------------------------------------------------------------


def test_a_request_is_rated_only_after_resolution(cast):
    request = completion_requested(cast)
    with pytest.raises(services.RequestRefused):
        services.request_rate(actor=cast.investment, request=request, satisfaction=4)
    assert fresh(request).satisfaction is None


def test_a_resolved_request_is_rated(cast):
    request = rated(cast, satisfaction=4)
    assert (request.satisfaction, request.satisfaction_note) == (4, "满意")
    assert state_of(fresh(request)) == RequestState.RATED


def test_rating_a_request_closed_on_the_task_page_records_its_resolution(cast):
    request = completion_requested(cast)
    task_services.perform(
        actor=cast.supervisor,
        task=request.task,
        action=Action.CLOSE,
        note="已办结",
        score_timeliness=90,
        score_quality=80,
    )
    request = services.request_rate(actor=cast.investment, request=request, satisfaction=5)
    assert request.resolved_on == timezone.localdate()
    assert request.resolution == "已办结"


@pytest.mark.parametrize("value", [0, 6, "", None, "很好"])
def test_a_rating_is_from_one_to_five(cast, value):
    request = resolved(cast)
    with pytest.raises(ValidationError) as error:
        services.request_rate(actor=cast.investment, request=request, satisfaction=value)
    assert "satisfaction" in error.value.message_dict


@pytest.mark.parametrize("role", ["encheng_staff", "leader", "outsider"])
def test_only_managers_record_the_rating(cast, role):
    request = resolved(cast)
    with pytest.raises(PermissionDenied):
        services.request_rate(actor=getattr(cast, role), request=request, satisfaction=5)


# --- states and colours -------------------------------------------------------------------------


def test_the_state_filter_agrees_with_each_requests_state(cast):
    requests = [
        new_request(cast),
        assigned(cast),
        responded(cast),
        completion_requested(cast),
        resolved(cast),
        rated(cast),
    ]
    cancelled = responded(cast)
    task_services.request_change(
        actor=cast.encheng_staff, task=cancelled.task, kind="cancel", reason="企业已撤回"
    )
    change = cancelled.task.change_requests.get()
    task_services.decide_change(actor=cast.supervisor, change=change, approve=True)
    requests.append(cancelled)
    loaded = ServiceRequest.objects.select_related("task")
    states = {r.pk: state_of(r) for r in loaded}
    assert sorted(states.values()) == sorted(
        [
            RequestState.NEW,
            RequestState.AWAITING_RESPONSE,
            RequestState.IN_HAND,
            RequestState.IN_HAND,  # completion requested: still being resolved
            RequestState.RESOLVED,
            RequestState.RATED,
            RequestState.CANCELLED,
        ]
    )
    for state in RequestState:
        expected = {pk for pk, s in states.items() if s == state}
        assert set(loaded.filter(state_q(state)).values_list("pk", flat=True)) == expected


@pytest.mark.parametrize(
    ("days_left", "colour"),
    [
        (3, Colour.GREEN),
        (2, Colour.GREEN),
        (1, Colour.YELLOW),
        (0, Colour.YELLOW),
        (-1, Colour.RED),
    ],
)
def test_an_unassigned_request_is_coloured_by_its_response_deadline(cast, days_left, colour):
    today = D(2024, 9, 10)
    due = today + datetime.timedelta(days=days_left)
    assert unassigned_colour(due, today) == colour
    request = new_request(cast, received_on=D(2024, 9, 2))
    ServiceRequest.objects.filter(pk=request.pk).update(response_due=due, resolution_due=due)
    request = fresh(request)
    assert colour_of(request, today, Rules()) == colour
    matching = ServiceRequest.objects.filter(request_colour_q(colour, today, Rules()))
    assert list(matching) == [request]


def test_an_assigned_request_takes_its_tasks_colour(cast):
    request = assigned(cast, received_on=D(2024, 9, 2))  # resolve-by 2024-09-16
    rules = Rules()
    assert colour_of(request, D(2024, 9, 3), rules) == Colour.GREEN
    assert colour_of(request, D(2024, 9, 4), rules) == Colour.YELLOW  # 14 points behind
    assert colour_of(request, D(2024, 9, 17), rules) == Colour.RED  # overdue
    for day, colour in ((D(2024, 9, 3), Colour.GREEN), (D(2024, 9, 17), Colour.RED)):
        assert list(ServiceRequest.objects.filter(request_colour_q(colour, day, rules))) == [
            request
        ]


def test_a_resolved_request_has_no_colour(cast):
    request = resolved(cast)
    assert colour_of(fresh(request), timezone.localdate(), Rules()) == Colour.NONE
    for colour in (Colour.RED, Colour.YELLOW, Colour.GREEN):
        assert not ServiceRequest.objects.filter(
            request_colour_q(colour, timezone.localdate(), Rules())
        ).exists()


def test_due_dates_use_the_calendar_of_the_enterprises_government(cast):
    national_day(cast.taishan)
    request = new_request(cast, received_on=D(2024, 9, 30))
    assert request.response_due == add_working_days(cast.enping.pk, D(2024, 9, 30), 2)
    assert request.response_due == D(2024, 10, 2)
