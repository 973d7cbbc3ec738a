"""The request pages: who sees and does what, the list's filters and export, the statistics page,
the holiday calendar page, the enterprise page's part, and query counts at two data sizes."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jinwei.enterprises.models import CalendarDay, ServiceRequest
from jinwei.tasks.models import Task
from tests.enterprises.factories import (
    CalendarDayFactory,
    EnterpriseFactory,
    ServiceRequestFactory,
)
from tests.enterprises.request_helpers import (
    assigned,
    completion_requested,
    fresh,
    new_request,
    resolved,
    responded,
)
from tests.tasks.factories import TaskFactory

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = reverse("enterprises:requests")


def _url(name, request):
    return reverse(f"enterprises:{name}", kwargs={"request_id": request.pk})


def numbers(response):
    return sorted(row.request.pk for row in response.context["rows"])


# --- the list -----------------------------------------------------------------------------------


def test_everyone_in_the_government_reads_the_list(cast):
    request = assigned(cast)
    for user in (cast.leader, cast.viewer, cast.encheng_staff, cast.hengpi_staff, cast.investment):
        response = cast.client_for(user).get(LIST)
        assert response.status_code == 200
        assert numbers(response) == [request.pk]
    html = response.content.decode()
    assert _url("request", request) in html
    assert request.enterprise.name in html


def test_outsiders_see_none_of_the_governments_requests(cast):
    assigned(cast)
    response = cast.client_for(cast.outsider).get(LIST, {"government": cast.enping.pk})
    assert response.status_code == 200
    assert numbers(response) == []


def test_anonymous_visitors_are_sent_to_log_in(cast):
    assert Client().get(LIST).status_code == 302


def test_it_filters_by_category_unit_state_and_colour(cast):
    land = assigned(cast, unit=cast.hengpi, category="land")
    answered = responded(cast)
    waiting = new_request(cast, category="finance")
    client = cast.client_for(cast.leader)
    assert numbers(client.get(LIST, {"category": "land"})) == [land.pk]
    assert numbers(client.get(LIST, {"unit": cast.hengpi.pk})) == [land.pk]
    assert numbers(client.get(LIST, {"unit": "0"})) == [waiting.pk]
    assert numbers(client.get(LIST, {"state": "in_hand"})) == [answered.pk]
    assert numbers(client.get(LIST, {"state": "awaiting_response"})) == [land.pk]
    # received today: the tasks are green; the new request's response is not yet due soon …
    colours = {row.request.pk: row.colour.value for row in client.get(LIST).context["rows"]}
    for colour in ("green", "yellow", "red"):
        expected = sorted(pk for pk, c in colours.items() if c == colour)
        assert numbers(client.get(LIST, {"colour": colour})) == expected


def test_a_bad_filter_is_reported_and_left_out(cast):
    request = new_request(cast)
    response = cast.client_for(cast.leader).get(LIST, {"state": "lost", "category": "land"})
    assert response.status_code == 200
    assert numbers(response) == []
    assert "state" in response.context["form"].errors
    response = cast.client_for(cast.leader).get(LIST, {"state": "lost"})
    assert numbers(response) == [request.pk]


def test_the_htmx_refresh_returns_the_results_only(cast):
    new_request(cast)
    client = cast.client_for(cast.leader)
    response = client.get(LIST, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="request-results")
    assert response.status_code == 200
    assert "<html" not in response.content.decode()


def _many(cast, n):
    """n requests, a third unassigned, a third assigned with a task, a third resolved."""
    enterprise = EnterpriseFactory(government=cast.enping)
    today = timezone.localdate()
    for i in range(n):
        fields = {"received_on": today, "response_due": today, "resolution_due": today}
        if i % 3:
            unit = cast.encheng if i % 2 else cast.hengpi
            state = Task.State.IN_PROGRESS if i % 3 == 1 else Task.State.CLOSED
            task = TaskFactory(lead_unit=unit, state=state, start_date=today, deadline=today)
            fields.update(assigned_unit=unit, task=task)
        ServiceRequestFactory(enterprise=enterprise, **fields)


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [{}, {"colour": "red", "state": "in_hand", "unit": "0", "q": "企业", "page": "2"}],
)
def test_the_list_costs_the_same_queries_at_two_sizes(cast, params, django_assert_max_num_queries):
    client = cast.client_for(cast.encheng_staff)
    _many(cast, 6)
    few = _count(client, LIST, params)
    _many(cast, 120)
    with django_assert_max_num_queries(few):
        client.get(LIST, params)
    assert few <= 16


def test_the_export_has_the_filtered_rows(cast):
    assigned(cast, category="land", title="用地指标")
    new_request(cast, category="finance")
    response = cast.client_for(cast.viewer).get(
        reverse("enterprises:requests_export"), {"category": "land"}
    )
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1
    assert "用地指标" in rows[0] and "恩城街道" in rows[0]


def test_the_export_costs_the_same_queries_at_two_sizes(cast):
    client = cast.client_for(cast.leader)
    url = reverse("enterprises:requests_export")
    _many(cast, 6)
    few = _count(client, url)
    _many(cast, 90)
    assert _count(client, url) == few


# --- one request --------------------------------------------------------------------------------


def test_the_page_shows_deadlines_the_task_and_the_outcome(cast):
    request = resolved(cast)
    response = cast.client_for(cast.viewer).get(_url("request", request))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("tasks:detail", args=[request.task_id]) in html
    assert request.response_due.strftime("%Y-%m-%d") in html
    assert "证照已发放，企业已开工。" in html
    assert "已受理，三日内上门。" in html
    assert _url("request_rate", request) not in html  # a viewer does not rate


def test_outsiders_get_a_404(cast):
    request = assigned(cast)
    for name in ("request", "request_assign", "request_respond", "request_rate"):
        assert cast.client_for(cast.outsider).get(_url(name, request)).status_code == 404


def test_the_next_step_is_offered_to_whoever_takes_it(cast):
    request = assigned(cast)
    respond = _url("request_respond", request)
    assert (
        respond
        in cast.client_for(cast.encheng_staff).get(_url("request", request)).content.decode()
    )
    assert (
        respond
        not in cast.client_for(cast.hengpi_staff).get(_url("request", request)).content.decode()
    )
    waiting = new_request(cast)
    html = cast.client_for(cast.investment).get(_url("request", waiting)).content.decode()
    assert _url("request_assign", waiting) in html
    html = cast.client_for(cast.encheng_staff).get(_url("request", waiting)).content.decode()
    assert _url("request_assign", waiting) not in html


def test_the_page_costs_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    request = resolved(cast)
    client = cast.client_for(cast.investment)
    with django_assert_max_num_queries(12):
        assert client.get(_url("request", request)).status_code == 200


# --- recording and the steps ----------------------------------------------------------------------


def test_investment_staff_record_a_request(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    url = reverse("enterprises:request_create", kwargs={"enterprise_id": enterprise.pk})
    client = cast.client_for(cast.investment)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"category": "labour", "title": "招工难", "description": "", "received_on": "2024-09-02"},
    )
    request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response.url == _url("request", request)
    assert (request.enterprise, request.response_due) == (enterprise, D(2024, 9, 4))


def test_a_bad_request_form_says_what_is_wrong(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    url = reverse("enterprises:request_create", kwargs={"enterprise_id": enterprise.pk})
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = cast.client_for(cast.investment).post(
        url, {"category": "labour", "title": "招工难", "received_on": future}
    )
    assert response.status_code == 400
    assert "received_on" in response.context["form"].errors
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("encheng_staff", 403), ("outsider", 404)])
def test_others_cannot_record_a_request(cast, role, status):
    enterprise = EnterpriseFactory(government=cast.enping)
    url = reverse("enterprises:request_create", kwargs={"enterprise_id": enterprise.pk})
    client = cast.client_for(getattr(cast, role))
    assert client.get(url).status_code == status
    data = {"category": "labour", "title": "x", "received_on": "2024-09-02"}
    assert client.post(url, data).status_code == status
    assert not ServiceRequest.objects.exists()


def test_assigning_from_the_page(cast):
    request = new_request(cast)
    client = cast.client_for(cast.investment)
    assert client.get(_url("request_assign", request)).status_code == 200
    response = client.post(_url("request_assign", request), {"unit": cast.hengpi.pk})
    assert response.status_code == 302
    assert fresh(request).task.lead_unit == cast.hengpi
    refused = client.post(_url("request_assign", request), {"unit": cast.encheng.pk})
    assert refused.status_code == 400
    assert "横陂镇" in refused.content.decode()


def test_unit_staff_cannot_assign(cast):
    request = new_request(cast)
    client = cast.client_for(cast.encheng_staff)
    assert (
        client.post(_url("request_assign", request), {"unit": cast.encheng.pk}).status_code == 403
    )
    assert fresh(request).task is None


def test_the_unit_responds_from_the_page_and_another_unit_cannot(cast):
    request = assigned(cast)
    data = {"response": "已安排专人对接", "on": timezone.localdate().isoformat()}
    assert (
        cast.client_for(cast.hengpi_staff).post(_url("request_respond", request), data).status_code
        == 403
    )
    assert (
        cast.client_for(cast.investment).post(_url("request_respond", request), data).status_code
        == 403
    )
    response = cast.client_for(cast.encheng_staff).post(_url("request_respond", request), data)
    assert response.status_code == 302
    assert fresh(request).response == "已安排专人对接"


def test_resolve_return_and_rate_from_the_page(cast):
    request = completion_requested(cast)
    client = cast.client_for(cast.investment)
    rate = client.post(_url("request_rate", request), {"satisfaction": "5"})
    assert rate.status_code == 400  # not resolved yet
    back = client.post(_url("request_return", request), {"note": "材料不全"})
    assert back.status_code == 302
    refused = client.post(
        _url("request_resolve", request),
        {"resolution": "已解决", "score_timeliness": "90", "score_quality": "90"},
    )
    assert refused.status_code == 400  # the unit has not asked to close it again
    request = completion_requested(cast)
    response = client.post(
        _url("request_resolve", request),
        {"resolution": "已解决", "score_timeliness": "90", "score_quality": "90"},
    )
    assert response.status_code == 302
    assert fresh(request).resolved_on == timezone.localdate()
    response = client.post(_url("request_rate", request), {"satisfaction": "4", "note": "较满意"})
    assert response.status_code == 302
    assert fresh(request).satisfaction == 4


@pytest.mark.parametrize("name", ["request_resolve", "request_return", "request_rate"])
def test_unit_staff_cannot_resolve_or_rate(cast, name):
    request = completion_requested(cast)
    assert cast.client_for(cast.encheng_staff).get(_url(name, request)).status_code == 403


# --- statistics ---------------------------------------------------------------------------------


def test_the_statistics_page_and_its_export(cast):
    rated_request = resolved(cast)
    client = cast.client_for(cast.encheng_staff)
    response = client.get(reverse("enterprises:request_stats"))
    assert response.status_code == 200
    assert response.context["stats"].total.count == 1
    assert "恩城街道" in response.content.decode()
    export = client.get(reverse("enterprises:request_stats_export"))
    book = load_workbook(BytesIO(export.content))
    assert len(book.sheetnames) == 2
    first = list(book.worksheets[0].iter_rows(min_row=3, values_only=True))
    assert first[0][0] == "恩城街道" and first[0][1] == 1
    assert rated_request.pk


def test_the_statistics_period_is_chosen(cast):
    new_request(cast, received_on=D(2024, 3, 1))
    client = cast.client_for(cast.leader)
    response = client.get(
        reverse("enterprises:request_stats"), {"start": "2024-01-01", "end": "2024-12-31"}
    )
    assert response.context["stats"].total.count == 1
    response = client.get(
        reverse("enterprises:request_stats"), {"start": "2024-06-01", "end": "2024-01-01"}
    )
    assert "end" in response.context["form"].errors


def test_the_statistics_cost_the_same_queries_at_two_sizes(cast):
    client = cast.client_for(cast.leader)
    url = reverse("enterprises:request_stats")
    _many(cast, 6)
    few = _count(client, url)
    _many(cast, 90)
    assert _count(client, url) == few


# --- the holiday calendar -----------------------------------------------------------------------

CALENDAR = reverse("enterprises:calendar")


def test_everyone_reads_the_calendar_managers_edit_it(cast):
    CalendarDayFactory(government=cast.enping, date=D(2024, 10, 1))
    for user in (cast.viewer, cast.encheng_staff):
        response = cast.client_for(user).get(CALENDAR, {"year": "2024"})
        assert response.status_code == 200
        assert response.context["day_form"] is None
        assert len(response.context["days"]) == 1
    response = cast.client_for(cast.investment).get(CALENDAR, {"year": "2024"})
    assert response.context["day_form"] is not None


def test_managers_mark_remove_and_import_days(cast):
    client = cast.client_for(cast.investment)
    saved = client.post(
        reverse("enterprises:calendar_day_save"),
        {"government": cast.enping.pk, "date": "2024-10-12", "kind": "workday", "name": "调休"},
    )
    assert saved.status_code == 302
    day = CalendarDay.objects.get()
    assert (day.date, day.is_workday) == (D(2024, 10, 12), True)
    removed = client.post(reverse("enterprises:calendar_day_delete", args=[day.pk]))
    assert removed.status_code == 302
    assert not CalendarDay.objects.exists()
    imported = client.post(
        reverse("enterprises:calendar_import"),
        {"government": cast.enping.pk, "dates": "2024-10-01..2024-10-07", "kind": "holiday"},
    )
    assert imported.status_code == 302
    assert CalendarDay.objects.count() == 7


def test_a_bad_import_shows_the_problem(cast):
    response = cast.client_for(cast.investment).post(
        reverse("enterprises:calendar_import"),
        {"government": cast.enping.pk, "dates": "2024-10-01 10月2日", "kind": "holiday"},
    )
    assert response.status_code == 400
    assert "10月2日" in response.content.decode()
    assert not CalendarDay.objects.exists()


@pytest.mark.parametrize("role", ["encheng_staff", "leader", "outsider"])
def test_others_cannot_change_the_calendar(cast, role):
    client = cast.client_for(getattr(cast, role))
    data = {"government": cast.enping.pk, "date": "2024-10-01", "kind": "holiday"}
    assert client.post(reverse("enterprises:calendar_day_save"), data).status_code == 403
    day = CalendarDayFactory(government=cast.enping, date=D(2024, 10, 2))
    status = client.post(reverse("enterprises:calendar_day_delete", args=[day.pk])).status_code
    assert status == (404 if role == "outsider" else 403)
    assert list(CalendarDay.objects.all()) == [day]


# --- the enterprise page's part -------------------------------------------------------------------


def test_the_enterprise_part_lists_its_requests(cast, django_assert_max_num_queries):
    request = assigned(cast, title="电力增容")
    other = new_request(cast, title="别家企业")
    http = RequestFactory().get("/")
    http.user = cast.investment
    template = Template('{% include "enterprises/_enterprise_requests.html" %}')
    with django_assert_max_num_queries(4):
        html = template.render(Context({"enterprise": request.enterprise, "request": http}))
    assert "电力增容" in html and other.title not in html
    assert reverse("enterprises:request_create", args=[request.enterprise_id]) in html
    http.user = cast.encheng_staff
    html = template.render(Context({"enterprise": request.enterprise, "request": http}))
    assert reverse("enterprises:request_create", args=[request.enterprise_id]) not in html
