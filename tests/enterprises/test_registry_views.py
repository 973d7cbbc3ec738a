"""The enterprise registry pages and API: who reads and who edits, contact details only for those
allowed, the filters and pages of the list, its Excel export, the managers' page, and query counts
that do not grow with the registry."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jinwei.enterprises import registry
from jinwei.enterprises.models import Enterprise, ServiceManager
from tests.enterprises.factories import EnterpriseFactory
from tests.projects.factories import ChainLinkFactory, IndustryChainFactory, ParkFactory

pytestmark = pytest.mark.django_db
LIST = reverse("enterprises:list")
PHONE = "0750-7123456"


def client(cast, user):
    c = cast.client_for(user)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


@pytest.fixture
def haoming(cast):
    link = ChainLinkFactory(chain=IndustryChainFactory(government=cast.enping), name="灯光整机")
    enterprise = EnterpriseFactory(
        government=cast.enping,
        name="江门市浩明电子有限公司",
        chain_link=link,
        park=ParkFactory(government=cast.enping, name="智能装备特色产业园"),
        town=cast.encheng,
        contact_name="陈经理",
        contact_phone=PHONE,
    )
    registry.managers_set(
        actor=cast.admin,
        enterprise=enterprise,
        user_ids=[cast.leader.pk, cast.investment.pk, cast.encheng_staff.pk],
        duties=["挂点领导"],
    )
    return enterprise


# --- reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["investment", "supervisor", "leader", "admin"])
def test_contact_details_are_shown_to_those_allowed(cast, haoming, role):
    c = client(cast, getattr(cast, role))
    assert PHONE in c.get(LIST).content.decode()
    assert PHONE in c.get(reverse("enterprises:detail", args=[haoming.pk])).content.decode()


@pytest.mark.parametrize("role", ["encheng_staff", "hengpi_staff", "viewer", "statistician"])
def test_contact_details_are_hidden_from_unit_staff(cast, haoming, role):
    c = client(cast, getattr(cast, role))
    listing = c.get(LIST).content.decode()
    page = c.get(reverse("enterprises:detail", args=[haoming.pk])).content.decode()
    assert "江门市浩明电子有限公司" in listing and "江门市浩明电子有限公司" in page
    assert PHONE not in listing and PHONE not in page
    assert "陈经理" not in listing and "陈经理" not in page


def test_the_page_lists_the_managers_in_order(cast, haoming):
    response = client(cast, cast.viewer).get(reverse("enterprises:detail", args=[haoming.pk]))
    html = response.content.decode()
    assert [m.user for m in response.context["page"].managers] == [
        cast.leader,
        cast.investment,
        cast.encheng_staff,
    ]
    assert html.index("黎市长") < html.index("招商员") < html.index("恩城办事员")
    assert "挂点领导" in html and "投资促进局" in html
    assert reverse("enterprises:edit", args=[haoming.pk]) not in html
    assert "request_rows" in response.context  # the requests part is fed by the page


def test_outsiders_get_404(cast, haoming):
    c = client(cast, cast.outsider)
    for name in ("detail", "edit", "managers"):
        assert c.get(reverse(f"enterprises:{name}", args=[haoming.pk])).status_code == 404
    assert c.get(LIST, {"government": "440785"}).status_code == 404
    assert "江门市浩明电子有限公司" not in c.get(LIST).content.decode()


def test_the_list_filters_and_reports_bad_filters(cast, haoming):
    EnterpriseFactory(government=cast.enping, name="恩平灯光配件厂", town=cast.hengpi)
    c = client(cast, cast.viewer)

    def shown(**params):
        return [e.name for e in c.get(LIST, params).context["page"].object_list]

    assert shown(link=haoming.chain_link_id) == ["江门市浩明电子有限公司"]
    assert shown(town=cast.hengpi.pk) == ["恩平灯光配件厂"]
    assert shown(q="配件") == ["恩平灯光配件厂"]
    other_government_park = ParkFactory(government=cast.taishan)
    response = c.get(LIST, {"park": other_government_park.pk})
    assert response.context["form"].errors["park"]
    assert len(response.context["page"].object_list) == 2  # the bad filter is left out


def test_htmx_gets_only_the_results(cast, haoming):
    response = client(cast, cast.viewer).get(
        LIST, {"q": "浩明"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="enterprise-results"
    )
    html = response.content.decode()
    assert "<html" not in html and "江门市浩明电子有限公司" in html


def test_the_list_is_paginated(cast):
    EnterpriseFactory.create_batch(registry.PAGE_SIZE + 3, government=cast.enping)
    c = client(cast, cast.viewer)
    first = c.get(LIST, {"size": "small"})
    assert len(first.context["page"].object_list) == registry.PAGE_SIZE
    assert "?size=small&amp;page=2" in first.content.decode()
    assert len(c.get(LIST, {"size": "small", "page": 2}).context["page"].object_list) == 3


def test_the_export_has_contacts_only_for_those_allowed(cast, haoming):
    def sheet_rows(user):
        response = client(cast, user).get(reverse("enterprises:export"), {"q": "浩明"})
        assert response.status_code == 200
        return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))

    staff = sheet_rows(cast.encheng_staff)
    assert staff[2][:2] == ("江门市浩明电子有限公司", haoming.credit_code)
    assert staff[2][-1] == "黎市长"  # service manager No. 1
    assert PHONE not in staff[2]
    investment = sheet_rows(cast.investment)
    assert investment[1][-2:] == ("Contact", "Phone")
    assert investment[2][-2:] == ("陈经理", PHONE)


# --- writing ------------------------------------------------------------------------------------


def form_data(**changes):
    return {
        "name": "恩平市正旭新能源有限公司",
        "credit_code": "9135 0100 m000 100y43",
        "size": "medium",
    } | changes


def test_investment_staff_register_an_enterprise(cast):
    response = client(cast, cast.investment).post(reverse("enterprises:create"), form_data())
    enterprise = Enterprise.objects.get()
    assert response["Location"] == reverse("enterprises:detail", args=[enterprise.pk])
    assert enterprise.credit_code == "91350100M000100Y43"


def test_a_bad_credit_code_is_explained_at_its_field(cast):
    response = client(cast, cast.investment).post(
        reverse("enterprises:create"), form_data(credit_code="91350100M000100Y44")
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["credit_code"]
    assert "it should be 3, not 4" in error
    assert not Enterprise.objects.exists()


def test_a_duplicate_code_is_explained_at_its_field(cast, haoming):
    response = client(cast, cast.investment).post(
        reverse("enterprises:create"), form_data(credit_code=haoming.credit_code)
    )
    assert (
        "already registered, for 江门市浩明电子有限公司"
        in (response.context["form"].errors["credit_code"][0])
    )


@pytest.mark.parametrize("role", ["encheng_staff", "viewer", "leader", "statistician"])
def test_others_may_not_register_or_edit(cast, haoming, role):
    c = client(cast, getattr(cast, role))
    assert c.get(reverse("enterprises:create")).status_code == 403
    assert c.post(reverse("enterprises:create"), form_data()).status_code == 403
    for name in ("edit", "managers"):
        assert c.get(reverse(f"enterprises:{name}", args=[haoming.pk])).status_code == 403
    assert Enterprise.objects.count() == 1


def test_an_edit_is_saved(cast, haoming):
    url = reverse("enterprises:edit", args=[haoming.pk])
    data = form_data(
        name=haoming.name,
        credit_code=haoming.credit_code,
        size="large",
        version=haoming.version,
        contact_name="陈经理",
        contact_phone=PHONE,
    )
    assert client(cast, cast.supervisor).post(url, data).status_code == 302
    haoming.refresh_from_db()
    assert haoming.size == "large" and haoming.chain_link is None


def test_the_managers_page_reorders_and_takes_off(cast, haoming):
    url = reverse("enterprises:managers", args=[haoming.pk])
    c = client(cast, cast.investment)
    formset = c.get(url).context["formset"]
    assert [f.initial["user"] for f in formset.forms[:3]] == [
        cast.leader.pk,
        cast.investment.pk,
        cast.encheng_staff.pk,
    ]
    data = {
        "managers-TOTAL_FORMS": "4",
        "managers-INITIAL_FORMS": "3",
        "managers-0-user": cast.leader.pk,
        "managers-0-duty": "挂点领导",
        "managers-0-ORDER": "2",
        "managers-1-user": "",  # taken off
        "managers-1-ORDER": "1",
        "managers-2-user": cast.encheng_staff.pk,
        "managers-2-duty": "驻企",
        "managers-2-ORDER": "1",
        "managers-3-user": cast.hengpi_staff.pk,
        "managers-3-ORDER": "",
    }
    assert c.post(url, data).status_code == 302
    chain = list(ServiceManager.objects.filter(enterprise=haoming).order_by("position"))
    assert [(m.position, m.user, m.duty) for m in chain] == [
        (1, cast.encheng_staff, "驻企"),
        (2, cast.leader, "挂点领导"),
        (3, cast.hengpi_staff, ""),
    ]


def test_the_managers_page_reports_a_person_twice(cast, haoming):
    url = reverse("enterprises:managers", args=[haoming.pk])
    data = {
        "managers-TOTAL_FORMS": "2",
        "managers-INITIAL_FORMS": "0",
        "managers-0-user": cast.leader.pk,
        "managers-1-user": cast.leader.pk,
    }
    response = client(cast, cast.investment).post(url, data)
    assert response.status_code == 200
    assert "appears twice" in response.content.decode()
    assert ServiceManager.objects.filter(enterprise=haoming).count() == 3


# --- query counts -------------------------------------------------------------------------------


def _count(c, url) -> int:
    c.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert c.get(url).status_code == 200
    return len(captured)


def test_the_pages_cost_the_same_queries_at_two_sizes(cast, haoming):
    c = client(cast, cast.investment)
    urls = [LIST, reverse("enterprises:detail", args=[haoming.pk]), reverse("enterprises:export")]
    small = {url: _count(c, url) for url in urls}
    link = haoming.chain_link
    for _ in range(30):
        other = EnterpriseFactory(government=cast.enping, chain_link=link, town=cast.hengpi)
        ServiceManager.objects.create(enterprise=other, position=1, user=cast.investment)
    registry.managers_set(
        actor=cast.admin,
        enterprise=haoming,
        user_ids=[cast.leader.pk, cast.investment.pk, cast.encheng_staff.pk, cast.hengpi_staff.pk],
    )
    large = {url: _count(c, url) for url in urls}
    assert large == small
    assert large[LIST] <= 12


# --- API ----------------------------------------------------------------------------------------


def test_the_api_lists_enterprises_with_contacts_only_for_those_allowed(cast, haoming):
    EnterpriseFactory(government=cast.taishan, name="台山企业")
    staff = client(cast, cast.encheng_staff).get("/api/v1/enterprises/").json()["items"]
    assert [(e["name"], e["contact_phone"]) for e in staff] == [("江门市浩明电子有限公司", None)]
    investment = client(cast, cast.investment).get("/api/v1/enterprises/", {"q": "浩明"})
    assert investment.json()["items"][0]["contact_phone"] == PHONE
    by_link = client(cast, cast.viewer).get("/api/v1/enterprises/", {"link": haoming.chain_link_id})
    assert by_link.json()["count"] == 1
    by_size = client(cast, cast.viewer).get("/api/v1/enterprises/", {"size": "large"})
    assert by_size.status_code == 200 and by_size.json()["count"] == 0
    huge = client(cast, cast.viewer).get("/api/v1/enterprises/", {"size": "huge"})
    assert huge.status_code == 422


def test_the_api_gives_one_enterprise_with_its_managers(cast, haoming):
    detail = client(cast, cast.leader).get(f"/api/v1/enterprises/{haoming.pk}").json()
    assert [(m["position"], m["user"]["username"]) for m in detail["managers"]] == [
        (1, "alice"),
        (2, "ivy"),
        (3, "eve"),
    ]
    assert detail["contact_name"] == "陈经理"
    assert detail["chain_link"]["name"] == "灯光整机"
    outsider = client(cast, cast.outsider).get(f"/api/v1/enterprises/{haoming.pk}")
    assert outsider.status_code == 404
