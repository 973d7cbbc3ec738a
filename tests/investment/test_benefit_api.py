"""The benefit-sharing API: agreements with their terms and shares, one agreement with each
year split among the regions, and the attributed-totals report; read by everyone in the
government, nothing of another government."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jinwei.accounts.services import api_token_create
from tests.investment.benefit_helpers import appliance_park, figure, regions, water_park
from tests.investment.factories import BenefitAgreementFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/investment/agreements/"


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def client_for(cast, who: str) -> Client:
    return english(cast.client_for(getattr(cast, who)))


@pytest.fixture
def fixed(cast):
    r = regions(cast)
    water = water_park(cast, r)
    appliance = appliance_park(cast, r)
    return r, water, appliance


def test_the_list_has_the_governments_agreements_with_terms_and_shares(cast, fixed):
    _r, water, _appliance = fixed
    body = client_for(cast, "encheng_staff").get(BASE).json()
    assert body["count"] == 2
    names = [item["name"] for item in body["items"]]
    assert names == ["中山(恩平)智能家电产业园利益分享协议", "江门水都产业园利益分享协议"]
    item = body["items"][1]
    assert item["introducing_region"] == {"code": "440785", "name": "恩平市"}
    assert item["host_region"] == {"code": "440704", "name": "江海区"}
    assert [(t["start_year"], t["end_year"]) for t in item["terms"]] == [(2022, 2023), (2024, None)]
    shares = {s["region"]["code"]: s for s in item["terms"][1]["shares"]}
    assert shares["440703"]["output_percent"] == "25.00"
    assert item["id"] == water.pk


def test_the_list_is_scoped_to_the_callers_government(cast, fixed):
    body = client_for(cast, "outsider").get(BASE).json()
    assert body["count"] == 0
    body = client_for(cast, "outsider").get(BASE, {"government": "440785"}).json()
    assert body["count"] == 0


def test_one_agreement_splits_each_year_among_the_regions(cast, fixed):
    _r, water, appliance = fixed
    body = client_for(cast, "viewer").get(f"{BASE}{water.pk}/").json()
    year_2024 = next(y for y in body["years"] if y["year"] == 2024)
    assert year_2024["shared"] is True
    assert year_2024["figures"] == {
        "output_value": "3333.33",
        "tax": "120.05",
        "investment": "8000.00",
    }
    parts = {p["region"]: p for p in year_2024["regions"]}
    assert parts["440704"]["output_value"] == "1166.67"
    assert parts["440703"]["tax"] == "30.01"
    body = client_for(cast, "viewer").get(f"{BASE}{appliance.pk}/").json()
    year_2026 = next(y for y in body["years"] if y["year"] == 2026)
    assert year_2026 == {
        "year": 2026,
        "figures": {"output_value": "500.00", "tax": "20.00", "investment": "100.00"},
        "term_id": None,
        "shared": False,
        "regions": [],
    }


def test_an_agreement_of_another_government_is_not_found(cast, fixed):
    _r, water, _appliance = fixed
    response = client_for(cast, "outsider").get(f"{BASE}{water.pk}/")
    assert response.status_code == 404


def test_the_report_gives_each_regions_totals_and_the_unshared_figures(cast, fixed):
    body = client_for(cast, "investment").get(f"{BASE}report/").json()
    assert body["government"] == "440785"
    assert body["years"] == [2022, 2023, 2024, 2026]
    enping = next(x for x in body["regions"] if x["region"]["code"] == "440785")
    by_year = {y["year"]: y for y in enping["years"]}
    assert by_year[2024]["output_value"] == "2033.33"
    assert by_year[2024]["investment"] == "13600.00"
    assert enping["total"]["tax"] == "181.02"
    assert body["unshared"] == [
        {
            "agreement_id": fixed[2].pk,
            "agreement": "中山(恩平)智能家电产业园利益分享协议",
            "year": 2026,
            "output_value": "500.00",
            "tax": "20.00",
            "investment": "100.00",
        }
    ]
    assert {"year": 2024, "output_value": "4333.33", "tax": "170.05", "investment": "20000.00"} in (
        body["figures"]
    )


def test_the_report_keeps_to_the_years_asked_for(cast, fixed):
    body = (
        client_for(cast, "viewer")
        .get(f"{BASE}report/", {"first_year": 2026, "government": "440785"})
        .json()
    )
    assert body["years"] == [2026]
    assert body["unshared"][0]["year"] == 2026
    assert all(x["total"]["output_value"] == "0.00" for x in body["regions"])


def test_the_report_of_another_government_is_not_found(cast, fixed):
    response = client_for(cast, "outsider").get(f"{BASE}report/", {"government": "440785"})
    assert response.status_code == 404


def test_a_bearer_token_reads_and_an_anonymous_caller_does_not(cast, fixed):
    _token, raw = api_token_create(actor=cast.viewer, user=cast.viewer, name="script")
    bearer = english(Client(headers={"Authorization": f"Bearer {raw}"}))
    assert bearer.get(BASE).status_code == 200
    assert english(Client()).get(BASE).status_code == 401


def test_the_list_reads_in_a_fixed_number_of_queries(cast, fixed):
    r, _water, _appliance = fixed
    client = client_for(cast, "viewer")
    client.get(BASE)
    with CaptureQueriesContext(connection) as few:
        client.get(BASE)
    for n in range(10):
        agreement = BenefitAgreementFactory(
            government=cast.enping, introducing_region=r.enping, host_region=r.jianghai
        )
        figure(cast, agreement, 2020 + n, "1", "1", "1")
    with CaptureQueriesContext(connection) as more:
        client.get(BASE)
    assert len(more.captured_queries) == len(few.captured_queries)
