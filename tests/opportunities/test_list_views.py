"""The opportunities list and its Excel export: counts with the flagged items highlighted, the
filter on unlinked items, the export's two sheets, bounded queries, other governments kept out."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.opportunities.conftest import client_for, many
from tests.opportunities.factories import (
    ItemActionFactory,
    OpportunityFactory,
    OpportunityItemFactory,
)

pytestmark = pytest.mark.django_db
LIST = reverse("opportunities:list")
EXPORT = reverse("opportunities:export")


def test_the_list_shows_each_opportunity_with_its_counts(cast, plan):
    response = client_for(cast, cast.viewer).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "珠江口西岸都市圈发展规划" in html and "粤府〔2023〕示例号" in html
    assert 'class="flagged-count late-flag"' in html  # 1 item without action, highlighted
    assert "台山示例规划" not in html
    assert "Add an opportunity" not in html  # a viewer only reads


def test_managers_are_offered_to_add_one(cast, plan):
    html = client_for(cast, cast.supervisor).get(LIST).content.decode()
    assert reverse("opportunities:create") in html


def test_the_filter_keeps_opportunities_with_unlinked_items(cast, plan):
    done = OpportunityFactory(government=cast.enping, title="黄茅海跨海通道")
    ItemActionFactory(item=OpportunityItemFactory(opportunity=done), goal=plan.goal)
    client = client_for(cast, cast.leader)
    assert "黄茅海跨海通道" in client.get(LIST).content.decode()
    response = client.get(
        LIST, {"flagged": "on"}, headers={"HX-Request": "true", "HX-Target": "opportunity-results"}
    )
    html = response.content.decode()
    assert "<html" not in html  # the results only
    assert "珠江口西岸都市圈发展规划" in html and "黄茅海跨海通道" not in html


def test_another_government_is_not_found(cast, plan):
    assert client_for(cast, cast.outsider).get(LIST, {"government": "440785"}).status_code == 404
    assert client_for(cast, cast.outsider).get(EXPORT, {"government": "440785"}).status_code == 404


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_the_list_and_export_cost_the_same_queries_at_two_sizes(
    cast, url, django_assert_max_num_queries
):
    client = client_for(cast, cast.supervisor)
    many(cast, opportunities=2, items=2)
    few = _count(client, url)
    many(cast, opportunities=30, items=12)
    with django_assert_max_num_queries(few):
        client.get(url)
    with django_assert_max_num_queries(few):
        client.get(url, {"flagged": "on"})
    assert few <= 15


# --- the export ---------------------------------------------------------------------------------


def _sheets(response) -> dict[str, list[tuple]]:
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    return {sheet.title: list(sheet.iter_rows(min_row=2, values_only=True)) for sheet in book}


def test_the_export_has_opportunities_and_items_with_the_flag(cast, plan):
    sheets = _sheets(client_for(cast, cast.viewer).get(EXPORT))
    assert list(sheets) == ["Opportunities", "Items"]
    header, *rows = sheets["Opportunities"]
    assert header[-3:] == ("Items", "Items without action", "Illustrative")
    (row,) = rows
    assert row[0] == "珠江口西岸都市圈发展规划" and row[4] == "粤府〔2023〕示例号"
    assert row[6] == "恩城街道" and row[7:9] == (2, 1)
    header, linked, flagged = sheets["Items"]
    assert header[-1] == "No action linked"
    assert linked[1:3] == (1, "交通互联互通") and linked[-2:] == (3, "No")
    assert "Task: RW-024 交通衔接规划 (Draft)" in linked[4]
    assert "Goal: 三年初见成效 (三年初见成效)" in linked[4]
    assert "Key project: ZD-01 示例·产业园标准厂房" in linked[4]
    assert flagged[1:3] == (2, "生态廊道建设") and flagged[4] is None and flagged[-2:] == (0, "Yes")


def test_the_export_follows_the_filter(cast, plan):
    done = OpportunityFactory(government=cast.enping, title="黄茅海跨海通道")
    ItemActionFactory(item=OpportunityItemFactory(opportunity=done), goal=plan.goal)
    sheets = _sheets(client_for(cast, cast.viewer).get(EXPORT, {"flagged": "on"}))
    assert [row[0] for row in sheets["Opportunities"][1:]] == ["珠江口西岸都市圈发展规划"]
    assert {row[0] for row in sheets["Items"][1:]} == {"珠江口西岸都市圈发展规划"}
