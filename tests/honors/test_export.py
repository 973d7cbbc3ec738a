"""The Excel exports of honours and practices: the filtered list, in the roll's order, with the
page's columns; another government's rows never appear."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from jinwei.honors.models import Category, Level
from tests.honors.factories import HonourFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def rows_of(response) -> list[tuple[object, ...]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def english(cast, user):
    client = cast.client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_honours_export_has_the_filtered_roll(cast):
    HonourFactory(
        government=cast.enping,
        title="全国平安农机示范县",
        year=2023,
        level=Level.NATIONAL,
        issuer="农业农村部、应急管理部",
        category=Category.SAFETY,
        unit=cast.hengpi,
        awarded_on=datetime.date(2023, 12, 1),
        evidence_name="农机证书.pdf",
    )
    HonourFactory(
        government=cast.enping,
        title="省健康县",
        year=2023,
        level=Level.PROVINCIAL,
        is_illustrative=True,
    )
    HonourFactory(government=cast.enping, title="中国天然氧吧", year=2021, level=Level.NATIONAL)
    HonourFactory(government=cast.taishan, title="台山荣誉", year=2023)
    response = english(cast, cast.viewer).get(reverse("honors:export"), {"year": "2023"})
    rows = rows_of(response)
    assert rows[0] == ("Honours of 恩平市",) + (None,) * 10
    assert rows[1][:6] == ("Year", "Level", "Title", "Issuing body", "Category", "Responsible unit")
    farm = list(rows[2])
    assert farm.pop(6).date() == datetime.date(2023, 12, 1)  # a date cell
    assert farm == [
        2023,
        "National",
        "全国平安农机示范县",
        "农业农村部、应急管理部",
        "Safety",
        "横陂镇",
        None,
        None,
        "No",
        "农机证书.pdf",
    ]
    assert rows[3][2] == "省健康县" and rows[3][9] == "Yes"
    assert len(rows) == 4


def test_the_practices_export_has_the_filtered_list(cast):
    PracticeFactory(
        government=cast.enping,
        title="侨益司法保护“恩平样本”",
        level=Level.NATIONAL,
        recognised_by="中央统战部、最高人民法院",
        recognised_on=datetime.date(2022, 11, 15),
        promotion="在全国推广",
        unit=cast.encheng,
    )
    PracticeFactory(government=cast.enping, title="共富公司模式", level=Level.PROVINCIAL)
    response = english(cast, cast.leader).get(
        reverse("honors:practice_export"), {"level": "national"}
    )
    rows = rows_of(response)
    assert rows[0][0] == "Practices of 恩平市"
    assert rows[1][:5] == (
        "Title",
        "Level",
        "Recognised by",
        "Recognised on",
        "What was promoted where",
    )
    assert rows[2][:3] == ("侨益司法保护“恩平样本”", "National", "中央统战部、最高人民法院")
    assert rows[2][3].date() == datetime.date(2022, 11, 15)
    assert rows[2][4:6] == ("在全国推广", "恩城街道")
    assert len(rows) == 3


def test_outsiders_cannot_export_another_government(cast):
    HonourFactory(government=cast.enping)
    client = english(cast, cast.outsider)
    assert client.get(reverse("honors:export"), {"government": "440785"}).status_code == 404
    rows = rows_of(client.get(reverse("honors:export")))
    assert rows[0][0] == "Honours of 台山市" and len(rows) == 2


def test_in_chinese_an_honour_has_a_称号_and_industry_is_产业(cast):
    """Words shared with other pages read as an honour roll reads: 称号 (not 标题), 产业 (not the
    enterprise registry's 行业)."""
    HonourFactory(government=cast.enping, year=2023, category=Category.INDUSTRY)
    PracticeFactory(government=cast.enping)
    client = cast.client_for(cast.viewer)  # Chinese, the default
    honours = rows_of(client.get(reverse("honors:export")))
    practices = rows_of(client.get(reverse("honors:practice_export")))
    assert honours[1][2] == "称号" and "产业" in honours[2]
    assert practices[1][0] == "名称"
