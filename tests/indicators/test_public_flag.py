"""The `is_public` flag of an indicator: set on the catalogue form by those who manage the
catalogue, audited, shown in the catalogue, the admin and the API, and set by the demo on
Enping's headline figures."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from jinwei.accounts.demo import load_foundation
from jinwei.audit.models import AuditEntry
from jinwei.indicators.demo import load_indicators
from jinwei.indicators.models import Category, Indicator
from tests.indicators.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gdp(cast) -> Indicator:
    return IndicatorFactory(
        owner_unit=cast.stats_bureau,
        code="GDP",
        name="地区生产总值",
        category=Category.objects.get(code="economy"),
    )


def form_data(cast, indicator: Indicator | None = None, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": indicator.code if indicator else "RETAIL",
        "name": indicator.name if indicator else "社会消费品零售总额",
        "aliases_text": "",
        "category": Category.objects.get(code="economy").pk,
        "owner_unit": cast.stats_bureau.pk,
        "unit": "亿元",
        "decimals": 2,
        "direction": "higher",
        "frequency": "annual",
        "value_kind": "point",
        "thresholds_text": "",
        "order": 1,
    }
    if indicator:
        data["version"] = indicator.version
    data.update(changes)
    return data


def test_a_supervisor_publishes_an_indicator_and_it_is_audited(cast, gdp):
    url = reverse("indicators:indicator_edit", args=[gdp.pk])
    client = cast.client_for(cast.supervisor)
    assert "is_public" in client.get(url).context["form"].fields
    response = client.post(url, form_data(cast, gdp, is_public="on"))
    assert response.status_code == 302
    gdp.refresh_from_db()
    assert gdp.is_public
    entry = AuditEntry.objects.get(action="update", object_id=str(gdp.pk))
    assert entry.before["is_public"] is False and entry.after["is_public"] is True


def test_a_new_indicator_is_not_public_unless_ticked(cast):
    client = cast.client_for(cast.admin)
    client.post(reverse("indicators:indicator_create"), form_data(cast))
    client.post(reverse("indicators:indicator_create"), form_data(cast, code="X", is_public="on"))
    assert dict(Indicator.objects.values_list("code", "is_public")) == {"RETAIL": False, "X": True}


@pytest.mark.parametrize("role", ["leader", "statistician", "encheng_staff", "viewer"])
def test_only_those_who_manage_the_catalogue_publish(cast, gdp, role):
    url = reverse("indicators:indicator_edit", args=[gdp.pk])
    response = cast.client_for(getattr(cast, role)).post(url, form_data(cast, gdp, is_public="on"))
    assert response.status_code == 403
    gdp.refresh_from_db()
    assert not gdp.is_public


def test_an_outsider_cannot_publish_another_governments_indicator(cast, gdp):
    url = reverse("indicators:indicator_edit", args=[gdp.pk])
    response = cast.client_for(cast.outsider).post(url, form_data(cast, gdp, is_public="on"))
    assert response.status_code == 404
    gdp.refresh_from_db()
    assert not gdp.is_public


def test_the_catalogue_shows_which_indicators_are_public(cast, gdp):
    IndicatorFactory(owner_unit=cast.stats_bureau, code="PUB", is_public=True)
    client = cast.client_for(cast.viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    (table,) = client.get(reverse("indicators:catalogue")).context["groups"]
    column = [str(c.header) for c in table.columns].index("Public")
    assert {row[0]: row[column] for row in table.rows} == {"GDP": "", "PUB": "Yes"}


def test_the_api_lists_the_flag(cast, gdp):
    IndicatorFactory(owner_unit=cast.stats_bureau, code="PUB", is_public=True)
    rows = cast.client_for(cast.viewer).get("/api/v1/indicators/").json()
    assert {row["code"]: row["is_public"] for row in rows} == {"GDP": False, "PUB": True}


def test_the_admin_lists_and_filters_by_the_flag(cast, gdp):
    IndicatorFactory(owner_unit=cast.stats_bureau, code="PUB", name="公开指标", is_public=True)
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save(update_fields=["is_staff", "is_superuser"])
    url = reverse("admin:indicators_indicator_changelist")
    response = cast.client_for(cast.admin).get(url, {"is_public__exact": "1"})
    assert [i.code for i in response.context["cl"].result_list] == ["PUB"]
    assert "is_public" in response.context["cl"].list_display


def test_the_demo_publishes_enpings_headline_figures():
    load_foundation()
    load_indicators()
    public = Indicator.objects.filter(is_public=True)
    assert sorted(public.values_list("code", flat=True)) == ["GDP", "IND_OUTPUT", "RETAIL"]
    assert {i.government.code for i in public} == {"440785"}
