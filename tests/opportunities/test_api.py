"""The opportunities API: the caller's governments only, each opportunity with its items, their
linked goals, tasks and projects, and the flag on items nobody acts on; bounded queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jinwei.tasks.models import Task
from tests.opportunities.conftest import client_for, many
from tests.opportunities.factories import (
    ItemActionFactory,
    OpportunityFactory,
    OpportunityItemFactory,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/opportunities/"


def test_the_list_has_items_actions_and_flags(cast, plan):
    Task.objects.filter(pk=plan.task.pk).update(state=Task.State.IN_PROGRESS)
    response = client_for(cast, cast.viewer).get(URL)
    assert response.status_code == 200
    (opportunity,) = response.json()["items"]
    assert opportunity["title"] == "珠江口西岸都市圈发展规划"
    assert opportunity["government"] == "440785"
    assert opportunity["unit"] == {"id": cast.encheng.pk, "name": "恩城街道"}
    assert (opportunity["item_count"], opportunity["flagged_count"]) == (2, 1)
    linked, flagged = opportunity["items"]
    assert (linked["number"], linked["is_flagged"]) == (1, False)
    assert (flagged["number"], flagged["is_flagged"], flagged["actions"]) == (2, True, [])
    actions = {action["kind"]: action for action in linked["actions"]}
    assert actions["goal"]["target"] == {"id": plan.goal.pk, "name": "三年初见成效"}
    assert actions["task"]["target"]["id"] == plan.task.pk
    assert actions["task"]["state"] == "in_progress"
    assert actions["project"]["state"] == "signed"


def test_callers_see_only_their_governments(cast, plan):
    (theirs,) = client_for(cast, cast.outsider).get(URL).json()["items"]
    assert theirs["title"] == "台山示例规划"
    assert client_for(cast, cast.outsider).get(f"{URL}{plan.opportunity.pk}").status_code == 404
    assert Client().get(URL).status_code == 401


def test_one_opportunity(cast, plan):
    response = client_for(cast, cast.leader).get(f"{URL}{plan.opportunity.pk}")
    assert response.status_code == 200
    assert [item["is_flagged"] for item in response.json()["items"]] == [False, True]


def test_the_flagged_and_government_filters(cast, plan):
    done = OpportunityFactory(government=cast.enping, title="黄茅海跨海通道")
    ItemActionFactory(item=OpportunityItemFactory(opportunity=done), goal=plan.goal)
    client = client_for(cast, cast.supervisor)
    assert [o["id"] for o in client.get(URL, {"flagged": "true"}).json()["items"]] == [
        plan.opportunity.pk
    ]
    assert [o["id"] for o in client.get(URL, {"flagged": "false"}).json()["items"]] == [done.pk]
    assert client.get(URL, {"government": "440781"}).json()["items"] == []


def test_the_list_costs_the_same_queries_at_two_sizes(cast, django_assert_max_num_queries):
    client = client_for(cast, cast.viewer)
    many(cast, opportunities=2, items=2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    many(cast, opportunities=20, items=10)
    with django_assert_max_num_queries(len(small)):
        assert len(client.get(URL).json()["items"]) == 22
