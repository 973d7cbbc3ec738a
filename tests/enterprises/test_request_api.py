"""The enterprise-requests API: the list with its filters, one request, recording a request; the
same rights as the pages (403 for a non-manager, 404 outside the government)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jinwei.accounts.services import api_token_create
from jinwei.enterprises.models import ServiceRequest
from tests.enterprises.factories import EnterpriseFactory
from tests.enterprises.request_helpers import (
    assigned,
    national_day,
    new_request,
    resolved,
    responded,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/enterprises/requests/"


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def client_for(cast, user) -> Client:
    return english(cast.client_for(user))


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(item["id"] for item in response.json()["items"])


def test_the_list_shows_the_governments_requests_with_state_and_colour(cast):
    request = responded(cast)
    response = client_for(cast, cast.viewer).get(URL)
    (item,) = response.json()["items"]
    assert item["id"] == request.pk
    assert item["state"] == "in_hand"
    assert item["colour"] == "green"
    assert item["assigned_unit"] == {"id": cast.encheng.pk, "name": "恩城街道"}
    assert item["task_id"] == request.task_id
    assert item["government"] == "440785"


def test_outsiders_and_anonymous_callers_see_nothing(cast):
    assigned(cast)
    assert ids(client_for(cast, cast.outsider).get(URL)) == []
    assert Client().get(URL).status_code == 401


def test_the_list_filters(cast):
    land = assigned(cast, unit=cast.hengpi, category="land")
    waiting = new_request(cast, category="finance")
    done = resolved(cast)
    client = client_for(cast, cast.leader)
    assert ids(client.get(URL, {"category": "land"})) == [land.pk]
    assert ids(client.get(URL, {"unit": 0})) == [waiting.pk]
    assert ids(client.get(URL, {"unit": cast.hengpi.pk})) == [land.pk]
    assert ids(client.get(URL, {"state": "resolved"})) == [done.pk]
    assert ids(client.get(URL, {"enterprise": waiting.enterprise_id})) == [waiting.pk]
    assert ids(client.get(URL, {"colour": "green"})) == sorted([land.pk, waiting.pk])
    assert client.get(URL, {"state": "lost"}).status_code == 422


def test_the_list_costs_the_same_queries_at_two_sizes(cast):
    client = client_for(cast, cast.leader)
    assigned(cast)
    new_request(cast)
    client.get(URL)  # the session and the grants
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _ in range(5):
        assigned(cast)
        new_request(cast)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(URL).json()["items"]) == 12
    assert len(many) == len(few)


def test_one_request_in_detail(cast):
    request = resolved(cast)
    response = client_for(cast, cast.encheng_staff).get(f"{URL}{request.pk}")
    data = response.json()
    assert response.status_code == 200
    assert data["resolution"] == "证照已发放，企业已开工。"
    assert data["response"] == "已受理，三日内上门。"
    assert (data["task_code"], data["task_state"]) == (request.task.code, "closed")
    assert data["resolved_on"] == request.resolved_on.isoformat()
    assert data["colour"] == ""
    assert client_for(cast, cast.outsider).get(f"{URL}{request.pk}").status_code == 404


def test_investment_staff_record_a_request_with_a_token(cast):
    national_day(cast.enping)
    enterprise = EnterpriseFactory(government=cast.enping)
    _token, raw = api_token_create(actor=cast.investment, user=cast.investment, name="script")
    client = english(Client(headers={"Authorization": f"Bearer {raw}"}))
    response = client.post(
        URL,
        {
            "enterprise_id": enterprise.pk,
            "category": "utilities",
            "title": "电力增容",
            "received_on": "2024-09-27",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["response_due"], data["resolution_due"]) == ("2024-09-30", "2024-10-16")
    assert data["state"] == "new"
    assert ServiceRequest.objects.get().enterprise == enterprise


def test_recording_is_refused_to_unit_staff_and_outsiders(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    payload = {
        "enterprise_id": enterprise.pk,
        "category": "land",
        "title": "用地",
        "received_on": "2024-09-02",
    }
    staff = client_for(cast, cast.encheng_staff).post(URL, payload, content_type="application/json")
    assert staff.status_code == 403
    outsider = client_for(cast, cast.outsider).post(URL, payload, content_type="application/json")
    assert outsider.status_code == 404
    assert not ServiceRequest.objects.exists()


def test_bad_input_is_refused_with_the_reason(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client_for(cast, cast.investment).post(
        URL,
        {
            "enterprise_id": enterprise.pk,
            "category": "land",
            "title": "用地",
            "received_on": future,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "future" in response.json()["detail"]
    bad_category = client_for(cast, cast.investment).post(
        URL,
        {
            "enterprise_id": enterprise.pk,
            "category": "x",
            "title": "用地",
            "received_on": "2024-09-02",
        },
        content_type="application/json",
    )
    assert bad_category.status_code == 422
    assert not ServiceRequest.objects.exists()


def test_a_session_write_needs_the_csrf_token(cast):
    enterprise = EnterpriseFactory(government=cast.enping)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.investment)
    payload = {
        "enterprise_id": enterprise.pk,
        "category": "land",
        "title": "用地",
        "received_on": "2024-09-02",
    }
    assert client.post(URL, payload, content_type="application/json").status_code == 403
    assert not ServiceRequest.objects.exists()
