"""The indicators API: catalogue, observations of an indicator, and posting observations through
the same validation as an import, all or nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from jinwei.audit.models import AuditEntry
from jinwei.indicators.models import ImportBatch, Observation
from tests.indicators.factories import IndicatorFactory, ObservationFactory
from tests.indicators.import_helpers import gdp

pytestmark = pytest.mark.django_db
URL = "/api/v1/indicators/observations"


def client_for(cast: Any, user: Any) -> Client:
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def post(client: Client, items: list[dict[str, Any]], **query: str) -> Any:
    url = URL + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(url, items, content_type="application/json")


def test_anonymous_callers_get_401(cast):
    for response in (Client().get("/api/v1/indicators/"), post(Client(), [])):
        assert response.status_code == 401


def test_the_catalogue_lists_the_callers_governments(cast):
    gdp(cast, aliases=["GDP"], valid_min=Decimal(0))
    from tests.factories import OrgUnitFactory

    IndicatorFactory(owner_unit=OrgUnitFactory(government=cast.taishan), code="ts")
    response = client_for(cast, cast.viewer).get("/api/v1/indicators/")
    assert response.status_code == 200
    (row,) = response.json()
    assert row | {"owner_unit_id": 0} == {
        "code": "gdp", "name": "地区生产总值", "aliases": ["GDP"], "unit": "亿元", "decimals": 2,
        "direction": "higher", "frequency": "annual", "value_kind": "point",
        "category": "economy", "owner_unit_id": 0, "owner_unit": "统计局", "government": "440785",
        "valid_min": "0.000000", "valid_max": None, "thresholds": [], "is_headline": False,
        "is_public": False, "source": "",
    }  # fmt: skip


def test_observations_of_an_indicator_by_region(cast):
    indicator = gdp(cast)
    ObservationFactory(indicator=indicator, period="2023", value=Decimal("251.3"))
    ObservationFactory(indicator=indicator, period="2022", value=Decimal("230"))
    ObservationFactory(indicator=indicator, region=cast.taishan, period="2023", value=Decimal(5))
    client = client_for(cast, cast.leader)
    response = client.get("/api/v1/indicators/gdp/observations", {"region": "440785"})
    assert response.status_code == 200
    assert [(o["region"], o["period"], o["value"]) for o in response.json()] == [
        ("440785", "2022", "230.000000"),
        ("440785", "2023", "251.300000"),
    ]
    assert len(client.get("/api/v1/indicators/gdp/observations").json()) == 3
    assert client.get("/api/v1/indicators/nope/observations").status_code == 404
    outsider = client_for(cast, cast.outsider).get("/api/v1/indicators/gdp/observations")
    assert outsider.status_code == 404


def test_posting_saves_every_value_with_the_import_rules(cast):
    gdp(cast)
    items = [
        {"indicator": "GDP", "region": "恩平", "period": "2023", "value": "２５１.３",
         "growth_rate": "5.1%", "source": "年鉴"},
        {"indicator": "gdp", "region": "440781", "period": "2023年", "value": 547.4},
        {"indicator": "地区生产总值", "unit_id": cast.encheng.pk, "period": "2023", "value": 3},
        {"indicator": "gdp", "period": "2022", "value": "230"},
    ]  # fmt: skip
    response = post(client_for(cast, cast.statistician), items)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["new"], body["changed"], body["unchanged"], body["warnings"]) == (4, 0, 0, [])
    batch = ImportBatch.objects.get(pk=body["batch"])
    assert (batch.filename, batch.status, batch.created_by) == (
        "API",
        "committed",
        cast.statistician,
    )
    saved = Observation.objects.filter(batch=batch)
    assert {(o.region_id, o.unit_id, o.period, o.value) for o in saved} == {
        (cast.enping.pk, None, "2023", Decimal("251.3")),
        (cast.taishan.pk, None, "2023", Decimal("547.4")),
        (None, cast.encheng.pk, "2023", Decimal(3)),
        (cast.enping.pk, None, "2022", Decimal(230)),
    }
    again = post(client_for(cast, cast.statistician), items).json()
    assert (again["new"], again["unchanged"]) == (0, 4)


def test_a_bad_item_saves_nothing_and_every_problem_is_answered(cast):
    indicator = gdp(cast, valid_max=Decimal(1000))
    ObservationFactory(indicator=indicator, period="2020", value=Decimal(1), status="approved")
    items = [
        {"indicator": "gdp", "period": "2023", "value": "251.3"},  # fine on its own
        {"indicator": "gdp", "period": "2023", "value": "251.3"},  # duplicate
        {"indicator": "gnp", "period": "2023", "value": 1},
        {"indicator": "gdp", "region": "开平", "period": "2023", "value": 1},
        {"indicator": "gdp", "unit_id": 999999, "period": "2023", "value": 1},
        {"indicator": "gdp", "period": "2023-09", "value": 1},
        {"indicator": "gdp", "period": "2021", "value": "many"},
        {"indicator": "gdp", "period": "2021", "value": None},
        {"indicator": "gdp", "period": "2019", "value": 5000},
        {"indicator": "gdp", "period": "2018", "value": "5%"},
        {"indicator": "gdp", "period": "2017", "value": 1, "growth_rate": "fast"},
        {"indicator": "gdp", "period": "2020", "value": 2},
    ]
    entries = AuditEntry.objects.count()
    response = post(client_for(cast, cast.statistician), items)
    assert response.status_code == 422
    problems = [(p["loc"][2:], p["type"], p["msg"]) for p in response.json()["detail"]]
    assert problems == [
        ([1, "value"], "duplicate", "地区生产总值, 恩平市, 2023 appears twice: also at item 0."),
        ([2, "indicator"], "unknown_indicator",
         "Unknown indicator “gnp”: no indicator of 恩平市 has this code, name or alias."),
        ([3, "region"], "unknown_place", "Unknown region or unit “开平”."),
        ([4, "unit_id"], "unknown_place", "Unknown unit id 999999."),
        ([5, "period"], "period_frequency",
         "地区生产总值 is Annual; the period 2023-09 does not match."),
        ([6, "value"], "not_a_number", "“many” is not a number."),
        ([7, "value"], "missing", "The value is missing."),
        ([8, "value"], "out_of_range",
         "5000 is outside the valid range of 地区生产总值 (— to 1000)."),
        ([9, "value"], "unit_mismatch",
         "A percentage was given, but 地区生产总值 is measured in 亿元."),
        ([10, "growth_rate"], "bad_growth_rate", "“fast” is not a growth rate in percent."),
        ([11, "value"], "locked", "地区生产总值 for 2020 is approved and locked; reopen it first."),
    ]  # fmt: skip
    assert Observation.objects.count() == 1
    assert not ImportBatch.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_malformed_body_is_a_422_from_the_schema(cast):
    response = post(client_for(cast, cast.statistician), [{"indicator": "gdp"}])
    assert response.status_code == 422
    assert {tuple(p["loc"][-1:]) for p in response.json()["detail"]} == {("period",), ("value",)}


def test_a_changed_value_is_a_revision(cast):
    indicator = gdp(cast)
    old = ObservationFactory(indicator=indicator, period="2023", value=Decimal(250))
    response = post(client_for(cast, cast.statistician), [
        {"indicator": "gdp", "period": "2023", "value": "251.3"}
    ])  # fmt: skip
    assert response.json()["changed"] == 1
    entry = AuditEntry.objects.get(action="update", object_id=str(old.pk))
    assert (entry.before["value"], entry.after["value"]) == ("250.000000", "251.300000")


def test_unit_staff_post_only_their_units_indicators(cast):
    gdp(cast)
    IndicatorFactory(owner_unit=cast.encheng, code="town", name="镇街指标")
    client = client_for(cast, cast.encheng_staff)
    refused = post(client, [{"indicator": "gdp", "period": "2023", "value": 1}])
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == (
        "You may not import 地区生产总值: it belongs to 统计局."
    )
    assert post(client, [{"indicator": "town", "period": "2023", "value": 1}]).status_code == 200
    viewer = post(
        client_for(cast, cast.viewer), [{"indicator": "town", "period": "2023", "value": 1}]
    )
    assert viewer.status_code == 403


def test_a_swing_is_a_warning_in_the_answer(cast):
    indicator = gdp(cast, swing_warning=Decimal(10))
    ObservationFactory(indicator=indicator, period="2022", value=Decimal(100))
    response = post(client_for(cast, cast.statistician), [
        {"indicator": "gdp", "period": "2023", "value": 150}
    ])  # fmt: skip
    assert response.status_code == 200
    (warning,) = response.json()["warnings"]
    assert (warning["loc"], warning["type"]) == (["body", "payload", 0, "value"], "abnormal_swing")


def test_session_posts_need_the_csrf_token(cast):
    gdp(cast)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.statistician)
    response = post(client, [{"indicator": "gdp", "period": "2023", "value": 1}])
    assert response.status_code == 403
    assert not Observation.objects.exists()
