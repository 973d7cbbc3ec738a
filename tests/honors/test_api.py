"""The honours and practices API: the caller's governments only, the filters, pagination, and a
query count that does not grow with the rows."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from jinwei.accounts.services import api_token_create
from jinwei.honors.models import Category, Level
from tests.honors.factories import HonourFactory, PracticeFactory

pytestmark = pytest.mark.django_db
HONOURS = "/api/v1/honors/"
PRACTICES = "/api/v1/honors/practices/"


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


@pytest.fixture
def data(cast) -> None:
    HonourFactory(
        government=cast.enping,
        title="全国平安农机示范县",
        year=2023,
        level=Level.NATIONAL,
        category=Category.SAFETY,
        unit=cast.hengpi,
    )
    HonourFactory(government=cast.enping, title="省健康县", year=2022, category=Category.HEALTH)
    HonourFactory(government=cast.enping, title="江门市先进", year=2023, level=Level.MUNICIPAL)
    HonourFactory(government=cast.taishan, title="台山荣誉", year=2023)
    PracticeFactory(
        government=cast.enping,
        title="数控机床产业链招商",
        recognised_on=datetime.date(2023, 5, 18),
        promotion="要求各市（区）借鉴学习",
        unit=cast.investment_bureau,
    )
    PracticeFactory(
        government=cast.enping,
        title="侨益司法保护“恩平样本”",
        level=Level.NATIONAL,
        recognised_on=datetime.date(2022, 11, 15),
    )
    PracticeFactory(government=cast.taishan, title="台山经验")


def test_the_honours_of_the_callers_government_newest_and_highest_first(cast, data):
    response = cast.client_for(cast.viewer).get(HONOURS)
    assert titles(response) == ["全国平安农机示范县", "江门市先进", "省健康县"]
    first = response.json()["items"][0]
    assert first["government"] == "440785" and first["level"] == "national"
    assert first["unit"] == {"id": cast.hengpi.pk, "name": "横陂镇"}
    assert first["category"] == "safety" and first["evidence_url"] is None
    assert response.json()["count"] == 3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year": 2023}, ["全国平安农机示范县", "江门市先进"]),
        ({"level": "municipal"}, ["江门市先进"]),
        ({"category": "health"}, ["省健康县"]),
        ({"government": "440781"}, []),
    ],
)
def test_the_honours_filters(cast, data, query, expected):
    assert titles(cast.client_for(cast.leader).get(HONOURS, query)) == expected


def test_an_unknown_level_is_a_422(cast, data):
    assert cast.client_for(cast.leader).get(HONOURS, {"level": "galactic"}).status_code == 422


def test_the_evidence_url_points_to_the_checked_download(cast):
    honour = HonourFactory(government=cast.enping, evidence_name="证书.pdf")
    honour.evidence.save("证书.pdf", ContentFile(b"%PDF"), save=True)
    (item,) = cast.client_for(cast.viewer).get(HONOURS).json()["items"]
    assert item["evidence_url"] == reverse("honors:evidence", args=[honour.pk])
    assert item["evidence_name"] == "证书.pdf"


def test_the_practices_of_the_callers_government(cast, data):
    response = cast.client_for(cast.encheng_staff).get(PRACTICES)
    assert titles(response) == ["数控机床产业链招商", "侨益司法保护“恩平样本”"]
    first = response.json()["items"][0]
    assert first["promotion"] == "要求各市（区）借鉴学习"
    assert first["recognised_on"] == "2023-05-18"
    assert first["unit"]["name"] == "投资促进局"
    client = cast.client_for(cast.viewer)
    assert titles(client.get(PRACTICES, {"year": 2022})) == ["侨益司法保护“恩平样本”"]
    assert titles(client.get(PRACTICES, {"level": "municipal"})) == ["数控机床产业链招商"]


def test_outsiders_see_their_own_and_anonymous_callers_nothing(cast, data):
    outsider = cast.client_for(cast.outsider)
    assert titles(outsider.get(HONOURS)) == ["台山荣誉"]
    assert titles(outsider.get(PRACTICES)) == ["台山经验"]
    assert titles(outsider.get(HONOURS, {"government": "440785"})) == []
    assert Client().get(HONOURS).status_code == 401
    assert Client().get(PRACTICES).status_code == 401


def test_a_token_holder_reads_the_honours(cast, data):
    _token, secret = api_token_create(actor=cast.statistician, user=cast.statistician, name="脚本")
    response = Client().get(HONOURS, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert len(titles(response)) == 3


def test_pages_of_fifty_and_queries_that_do_not_grow(cast, django_assert_max_num_queries):
    for n in range(120):
        HonourFactory(government=cast.enping, year=2000 + n % 20, unit=cast.encheng)
    client = cast.client_for(cast.viewer)
    client.get(HONOURS)
    with django_assert_max_num_queries(6):
        response = client.get(HONOURS, {"page": 3})
    assert response.json()["count"] == 120 and len(response.json()["items"]) == 20
