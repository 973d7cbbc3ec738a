"""The benefit-sharing pages: everyone in the government reads the agreements and the report;
investment staff, supervisors and administrators write; refusals appear next to their fields;
exports carry the page's numbers; queries stay bounded as the data grow."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from jinwei.investment import benefits
from jinwei.investment.models import BenefitAgreement, BenefitFigure, BenefitShare, BenefitTerm
from tests.factories import RegionFactory, UserFactory
from tests.investment.benefit_helpers import appliance_park, figure, regions, share, water_park
from tests.investment.factories import BenefitAgreementFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

GOVERNMENT = {"government": "440785"}
READERS = [
    "admin",
    "leader",
    "supervisor",
    "statistician",
    "investment",
    "encheng_staff",
    "hengpi_staff",
    "viewer",
]
NOT_MANAGERS = ["leader", "statistician", "encheng_staff", "hengpi_staff", "viewer"]


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def client_for(cast, who: str) -> Client:
    return english(cast.client_for(getattr(cast, who)))


@pytest.fixture
def r(cast):
    return regions(cast)


@pytest.fixture
def water(cast, r):
    return water_park(cast, r)


def term_data(start="2030", end="", rows=(), version=""):
    """The term form's POST: years and share rows (region id, output, tax, investment)."""
    data = {
        "start_year": start,
        "end_year": end,
        "version": version,
        "shares-TOTAL_FORMS": str(len(rows) + 1),
        "shares-INITIAL_FORMS": "0",
        "shares-MIN_NUM_FORMS": "0",
        "shares-MAX_NUM_FORMS": "1000",
    }
    for index, (region, output, tax, investment) in enumerate(rows):
        data[f"shares-{index}-region"] = str(region.pk)
        data[f"shares-{index}-output_percent"] = output
        data[f"shares-{index}-tax_percent"] = tax
        data[f"shares-{index}-investment_percent"] = investment
    return data


def agreement_data(r, **values):
    data = {
        "name": "江门水都产业园利益分享协议",
        "project_code": "",
        "introducing_region": str(r.enping.pk),
        "host_region": str(r.jianghai.pk),
        "reference": "江府〔2024〕1号",
        "notes": "",
    }
    data.update(values)
    return data


# --- reading ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", READERS)
def test_everyone_in_the_government_reads_the_pages(cast, water, who):
    client = client_for(cast, who)
    for url in [
        reverse("investment:agreements"),
        reverse("investment:agreement", args=[water.pk]),
        reverse("investment:benefit_report"),
    ]:
        response = client.get(url, GOVERNMENT)
        assert response.status_code == 200, url
    page = client.get(reverse("investment:agreement", args=[water.pk])).content.decode()
    assert "江门水都产业园利益分享协议" in page
    assert "1,166.67" in page  # 江海's 35 % of 3,333.33 in 2024


def test_the_list_is_searched_by_name_reference_or_project(cast, r, water):
    appliance_park(cast, r)
    client = client_for(cast, "viewer")
    url = reverse("investment:agreements")
    found = client.get(url, {"q": "家电"}).content.decode()
    assert "中山(恩平)智能家电产业园利益分享协议" in found
    assert "江门水都产业园利益分享协议" not in found
    assert "1 agreement" in found


def test_an_outsider_sees_nothing_of_another_government(cast, water):
    client = client_for(cast, "outsider")
    assert client.get(reverse("investment:agreement", args=[water.pk])).status_code == 404
    for name in ("investment:agreements", "investment:benefit_report"):
        assert client.get(reverse(name), GOVERNMENT).status_code == 404
    own = client.get(reverse("investment:agreements")).content.decode()
    assert "江门水都产业园利益分享协议" not in own
    export = client.get(reverse("investment:agreements_export"), GOVERNMENT)
    assert export.status_code == 404


def test_the_page_flags_years_no_term_covers(cast, r):
    appliance_park(cast, r)
    agreement = BenefitAgreement.objects.get()
    page = client_for(cast, "viewer").get(reverse("investment:agreement", args=[agreement.pk]))
    assert "No term covers the year 2026: its figures are not shared." in page.content.decode()


def test_the_report_shows_each_regions_totals_and_the_unshared_years(cast, r):
    water_park(cast, r)
    appliance_park(cast, r)
    response = client_for(cast, "encheng_staff").get(reverse("investment:benefit_report"))
    page = response.content.decode()
    assert "2,033.33" in page  # 恩平's attributed output value in 2024, over both agreements
    assert "Not shared: no term covers the year" in page
    assert "500.00" in page  # the 2026 output value of the appliance park


def test_a_wrong_year_range_is_said_and_ignored(cast, water):
    response = client_for(cast, "viewer").get(
        reverse("investment:benefit_report"), {"first_year": "2025", "last_year": "2023"}
    )
    assert response.status_code == 200
    assert "The last year must not be before the first." in response.content.decode()


# --- writing: rights ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_others_may_not_create_or_edit(cast, r, water, who):
    client = client_for(cast, who)
    term = water.terms.first()
    urls = [
        reverse("investment:agreement_create"),
        reverse("investment:agreement_edit", args=[water.pk]),
        reverse("investment:term_save", args=[water.pk]),
        reverse("investment:figure_save", args=[water.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(urls[0], agreement_data(r, name="新协议")).status_code == 403
    assert client.post(urls[1], agreement_data(r, name="改名")).status_code == 403
    data = term_data("2040", "", [(r.enping, "50", "50", "50"), (r.jianghai, "50", "50", "50")])
    assert client.post(urls[2], data).status_code == 403
    figures = {"year": "2030", "output_value": "1", "tax": "1", "investment": "1"}
    assert client.post(urls[3], figures).status_code == 403
    assert client.post(reverse("investment:term_delete", args=[term.pk])).status_code == 403
    water.refresh_from_db()
    assert water.name == "江门水都产业园利益分享协议"
    assert BenefitAgreement.objects.count() == 1
    assert BenefitTerm.objects.count() == 2
    assert not BenefitFigure.objects.filter(year=2030).exists()


def test_an_outsider_may_not_edit(cast, r, water):
    client = client_for(cast, "outsider")
    assert client.get(reverse("investment:agreement_edit", args=[water.pk])).status_code == 404
    term = water.terms.first()
    assert client.post(reverse("investment:term_delete", args=[term.pk])).status_code == 404
    assert client.get(reverse("investment:agreement_create"), GOVERNMENT).status_code == 404


def test_the_page_offers_editing_only_to_managers(cast, water):
    edit = reverse("investment:agreement_edit", args=[water.pk])
    page = client_for(cast, "viewer").get(reverse("investment:agreement", args=[water.pk]))
    assert edit not in page.content.decode()
    page = client_for(cast, "investment").get(reverse("investment:agreement", args=[water.pk]))
    assert edit in page.content.decode()


# --- writing: agreements ------------------------------------------------------------------------


def test_investment_staff_create_an_agreement_about_a_project(cast, r):
    project = ProjectFactory(lead_unit=cast.encheng, code="ZD-2024-11")
    response = client_for(cast, "investment").post(
        reverse("investment:agreement_create"), agreement_data(r, project_code="ZD-2024-11")
    )
    agreement = BenefitAgreement.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("investment:agreement", args=[agreement.pk])
    assert agreement.government == cast.enping
    assert agreement.project == project
    assert agreement.host_region == r.jianghai


def test_the_agreement_form_names_wrong_fields(cast, r):
    client = client_for(cast, "investment")
    response = client.post(
        reverse("investment:agreement_create"),
        agreement_data(r, project_code="NOPE", host_region=str(r.enping.pk)),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["project_code"] == ["There is no key project with the code NOPE."]
    response = client.post(
        reverse("investment:agreement_create"), agreement_data(r, host_region=str(r.enping.pk))
    )
    assert response.context["form"].errors["host_region"] == [
        "The host region must differ from the introducing region."
    ]
    assert not BenefitAgreement.objects.exists()


def test_an_agreement_is_edited_with_its_version(cast, r, water):
    client = client_for(cast, "supervisor")
    url = reverse("investment:agreement_edit", args=[water.pk])
    data = agreement_data(r, name="水都协议（修订）", version=str(water.version))
    assert client.post(url, data).status_code == 302
    water.refresh_from_db()
    assert water.name == "水都协议（修订）"
    stale = client.post(url, agreement_data(r, name="又改", version="1"))
    assert stale.status_code == 400
    assert "changed by someone else" in stale.content.decode()


# --- writing: terms -----------------------------------------------------------------------------


def test_a_term_is_added_from_its_form(cast, r, water):
    url = reverse("investment:term_save", args=[water.pk])
    client = client_for(cast, "investment")
    form = client.get(url)
    assert form.context["shares"].initial == [
        {"region": r.enping.pk},
        {"region": r.jianghai.pk},
    ]
    rows = [(r.enping, "60", "60", "60"), (r.jianghai, "40", "40", "40")]
    water.terms.filter(end_year=None).update(end_year=2029)
    response = client.post(url, term_data("2030", "2035", rows))
    assert response.status_code == 302
    term = water.terms.get(start_year=2030)
    assert term.end_year == 2035
    assert term.shares.get(region=r.enping).output_percent == Decimal("60")


def test_shares_not_adding_up_are_shown_under_their_measure(cast, r, water):
    url = reverse("investment:term_save", args=[water.pk])
    rows = [(r.enping, "60", "50", "50"), (r.jianghai, "39.99", "50", "50")]
    water.terms.filter(end_year=None).update(end_year=2029)
    response = client_for(cast, "investment").post(url, term_data("2030", "", rows))
    assert response.status_code == 400
    assert response.context["share_errors"] == {
        "output_percent": [
            "The output value shares add up to 99.99 %; they must add up to exactly 100 %."
        ]
    }
    assert response.context["totals"]["output_percent"] == "99.99"
    assert "add up to 99.99 %" in response.content.decode()
    assert not water.terms.filter(start_year=2030).exists()


def test_an_overlap_is_shown_at_the_year_it_concerns(cast, r, water):
    url = reverse("investment:term_save", args=[water.pk])
    rows = [(r.enping, "50", "50", "50"), (r.jianghai, "50", "50", "50")]
    response = client_for(cast, "investment").post(url, term_data("2030", "2032", rows))
    assert response.status_code == 400
    assert response.context["form"].errors["start_year"] == [
        "The years 2030–2032 overlap the term 2024 onwards of this agreement."
    ]


def test_a_share_row_without_region_is_refused_at_the_row(cast, r, water):
    url = reverse("investment:term_save", args=[water.pk])
    data = term_data("2030", "", [(r.enping, "50", "50", "50"), (r.jianghai, "50", "50", "")])
    data["shares-2-output_percent"] = "10"
    data["shares-TOTAL_FORMS"] = "3"
    response = client_for(cast, "investment").post(url, data)
    rows = response.context["shares"].forms
    assert rows[1].errors["investment_percent"] == ["Give the share (0 if none)."]
    assert rows[2].errors["region"] == ["Choose the region these shares belong to."]


def test_a_term_is_replaced_from_its_form(cast, r, water):
    term = water.terms.get(start_year=2022)
    url = reverse("investment:term_save", args=[water.pk]) + f"?term={term.pk}"
    client = client_for(cast, "investment")
    assert client.get(url).context["form"].initial["start_year"] == 2022
    rows = [(r.enping, "70", "70", "70"), (r.jianghai, "30", "30", "30")]
    response = client.post(url, term_data("2021", "2023", rows, version=str(term.version)))
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.start_year, term.end_year) == (2021, 2023)
    assert set(term.shares.values_list("region_id", flat=True)) == {r.enping.pk, r.jianghai.pk}


def test_a_term_of_another_agreement_is_not_found(cast, r, water):
    other = BenefitAgreementFactory(
        government=cast.enping, introducing_region=r.enping, host_region=r.jianghai
    )
    term = water.terms.first()
    url = reverse("investment:term_save", args=[other.pk]) + f"?term={term.pk}"
    assert client_for(cast, "investment").get(url).status_code == 404


def test_a_term_is_removed(cast, water):
    term = water.terms.get(start_year=2024)
    response = client_for(cast, "investment").post(
        reverse("investment:term_delete", args=[term.pk]), {"version": term.version}
    )
    assert response.status_code == 302
    assert not BenefitTerm.objects.filter(pk=term.pk).exists()
    assert not BenefitShare.objects.filter(term_id=term.pk).exists()
    assert client_for(cast, "investment").get(
        reverse("investment:term_delete", args=[term.pk])
    ).status_code in (404, 405)


# --- writing: figures ---------------------------------------------------------------------------


def test_figures_are_saved_and_replaced(cast, water):
    client = client_for(cast, "investment")
    url = reverse("investment:figure_save", args=[water.pk])
    data = {"year": "2025", "output_value": "4000", "tax": "150.5", "investment": "0"}
    assert client.post(url, data).status_code == 302
    assert BenefitFigure.objects.get(agreement=water, year=2025).tax == Decimal("150.50")
    page = client.get(url, {"year": "2025"})
    assert page.context["figure_form"].initial["output_value"] == Decimal("4000.00")
    data["tax"] = "160"
    assert client.post(url, data).status_code == 302
    assert BenefitFigure.objects.get(agreement=water, year=2025).tax == Decimal("160.00")


def test_a_wrong_figure_is_answered_with_the_form_alone_for_htmx(cast, water):
    client = client_for(cast, "investment")
    url = reverse("investment:figure_save", args=[water.pk])
    data = {"year": "2025", "output_value": "-5", "tax": "1", "investment": "1"}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "<html" not in body
    assert "An amount cannot be negative." in body
    ok = client.post(url, {**data, "output_value": "5"}, headers={"HX-Request": "true"})
    assert ok.headers["HX-Redirect"] == reverse("investment:agreement", args=[water.pk])


def test_a_years_figures_are_removed(cast, water):
    figure_row = water.figures.get(year=2022)
    client = client_for(cast, "investment")
    response = client.post(reverse("investment:figure_delete", args=[figure_row.pk]))
    assert response.status_code == 302
    assert not water.figures.filter(year=2022).exists()


# --- exports ------------------------------------------------------------------------------------


def _sheet_rows(response, index=0):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.worksheets[index].iter_rows(values_only=True)]


def test_the_agreements_export_has_the_list(cast, r, water):
    response = client_for(cast, "viewer").get(reverse("investment:agreements_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(response)
    assert rows[1][0] == "Agreement"
    assert rows[2][:4] == ["江门水都产业园利益分享协议", "—", "恩平市", "江海区"]
    assert rows[2][4] == "2022–2023, 2024 onwards"


def test_the_report_export_has_each_measure_and_the_unshared_figures(cast, r):
    water_park(cast, r)
    appliance_park(cast, r)
    response = client_for(cast, "viewer").get(reverse("investment:benefit_report_export"))
    output = _sheet_rows(response, 0)
    assert output[1] == ["Region", "2022", "2023", "2024", "2026", "All years"]
    enping = next(row for row in output if row[0] == "恩平市")
    assert enping[3] == pytest.approx(2033.33)
    unshared = _sheet_rows(response, 3)
    assert unshared[2][:3] == ["中山(恩平)智能家电产业园利益分享协议", "2026", 500.0]


# --- queries ------------------------------------------------------------------------------------


def _grow(cast, r, size: int) -> BenefitAgreement:
    """`size` more agreements with a term each and figures; and `size` more years on one."""
    agreement = None
    for n in range(size):
        agreement = BenefitAgreementFactory(
            government=cast.enping, introducing_region=r.enping, host_region=r.jianghai
        )
        benefits.term_save(
            actor=cast.investment,
            agreement=agreement,
            start_year=2000 + n,
            end_year=2000 + n,
            shares=[
                share(r.enping, "50", "50", "50"),
                share(r.jianghai, "40", "40", "40"),
                share(RegionFactory(), "10", "10", "10"),
            ],
        )
        figure(cast, agreement, 2000 + n, "100", "10", "1000")
        figure(cast, agreement, 2050 + n, "100", "10", "1000")  # unshared
    assert agreement is not None
    return agreement


@pytest.mark.parametrize(
    "page", ["investment:agreements", "investment:benefit_report", "investment:agreement"]
)
def test_query_count_does_not_grow_with_the_data(cast, r, page, django_assert_max_num_queries):
    client = client_for(cast, "encheng_staff")
    shown = _grow(cast, r, 3)
    url = reverse(page, args=[shown.pk] if page == "investment:agreement" else [])
    client.get(url)  # sessions and grants warmed up alike
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    _grow(cast, r, 20)
    for n in range(30):  # more years on the agreement the page shows, shared and not
        figure(cast, shown, 2070 + n, "1", "1", "1")
    benefits.term_save(
        actor=cast.investment,
        agreement=shown,
        start_year=2070,
        end_year=2085,
        shares=[share(r.enping, "50", "50", "50"), share(r.jianghai, "50", "50", "50")],
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- admin --------------------------------------------------------------------------------------


def test_the_admin_reads_agreements_only(cast, water, rf):
    """Terms and shares are written on the pages, where their rules hold."""
    from django.contrib.admin import AdminSite

    from jinwei.investment import admin_benefits  # registered from investment/admin.py

    site = AdminSite()
    model_admin = admin_benefits.BenefitAgreementAdmin(BenefitAgreement, site)
    request = rf.get("/admin/")
    request.user = UserFactory(username="root", is_staff=True, is_superuser=True)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, water)
    assert model_admin.has_delete_permission(request, water)
    inline = admin_benefits.BenefitTermInline(BenefitAgreement, site)
    assert not inline.has_add_permission(request, water)
    term = water.terms.get(start_year=2024)
    assert (
        inline.shares_text(term) == "蓬江区 25 / 25 / 20; 江海区 35 / 35 / 30; 恩平市 40 / 40 / 50"
    )
