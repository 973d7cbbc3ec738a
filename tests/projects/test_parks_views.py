"""The park and chain pages, their forms, the park export and the read API: who reads, who
changes, what the pages show (the empty and thin links highlighted as targets), and query counts
that do not grow with the data."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jinwei.projects.models import ChainLink, IndustryChain, Park
from tests.enterprises.factories import EnterpriseFactory
from tests.investment.factories import LeadFactory
from tests.projects.factories import (
    ChainLinkFactory,
    IndustryChainFactory,
    ParkFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def client(cast, user):
    c = cast.client_for(user)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


@pytest.fixture
def chain(cast):
    """数控机床 with a covered, a thin and an empty link."""
    chain = IndustryChainFactory(government=cast.enping, name="数控机床")
    covered = ChainLinkFactory(chain=chain, name="整机装配", segment="midstream", min_enterprises=1)
    thin = ChainLinkFactory(chain=chain, name="数控系统", segment="upstream", min_enterprises=3)
    ChainLinkFactory(chain=chain, name="售后服务", segment="downstream")
    EnterpriseFactory(government=cast.enping, chain_link=covered, name="恩平机床厂")
    EnterpriseFactory(government=cast.enping, chain_link=thin, name="恩平数控公司")
    return chain


@pytest.fixture
def park(cast, chain):
    park = ParkFactory(
        government=cast.enping,
        name="智能装备特色产业园",
        focus_industries="智能装备制造",
        managing_unit=cast.encheng,
    )
    park.chains.add(chain)
    ProjectFactory(lead_unit=cast.encheng, park=park, name="数控机床整机项目")
    EnterpriseFactory(government=cast.enping, park=park, name="园区企业甲")
    return park


# --- parks ----------------------------------------------------------------------------------


def test_everyone_in_the_government_reads_the_park_list(cast, park):
    ParkFactory(government=cast.taishan, name="台山园")
    for user in (cast.encheng_staff, cast.viewer, cast.leader, cast.investment):
        response = client(cast, user).get(reverse("projects:parks"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "智能装备特色产业园" in html and "台山园" not in html
        assert "恩城街道" in html and "数控机床" in html
    assert [p.project_count for p in response.context["parks"]] == [1]


def test_the_new_park_button_is_for_managers_only(cast, park):
    create = reverse("projects:park_create")
    assert create in client(cast, cast.investment).get(reverse("projects:parks")).content.decode()
    assert create not in client(cast, cast.viewer).get(reverse("projects:parks")).content.decode()


def test_outsiders_see_their_own_parks_and_cannot_open_ours(cast, park):
    outsider = client(cast, cast.outsider)
    response = outsider.get(reverse("projects:parks"))
    assert response.status_code == 200 and "智能装备特色产业园" not in response.content.decode()
    assert outsider.get(reverse("projects:parks"), {"government": "440785"}).status_code == 404
    assert outsider.get(reverse("projects:park", args=[park.pk])).status_code == 404
    assert outsider.get(reverse("projects:park_edit", args=[park.pk])).status_code == 404


def test_the_park_page_shows_its_projects_and_enterprises(cast, park):
    response = client(cast, cast.hengpi_staff).get(reverse("projects:park", args=[park.pk]))
    html = response.content.decode()
    assert "数控机床整机项目" in html and "园区企业甲" in html
    project = park.projects.get()
    assert reverse("projects:detail", args=[project.pk]) in html
    assert reverse("projects:park_edit", args=[park.pk]) not in html


def test_the_park_list_exports_to_excel(cast, park):
    response = client(cast, cast.viewer).get(reverse("projects:parks_export"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("Name", "Area (mu)", "Focus industries")
    assert rows[2][0] == "智能装备特色产业园"
    assert rows[2][3] == "数控机床"
    assert rows[2][6:] == (1, 1)


def test_investment_staff_create_a_park(cast, chain):
    url = reverse("projects:park_create") + "?government=440785"
    response = client(cast, cast.investment).post(
        url,
        {
            "name": "珠西科创智谷",
            "area_mu": "1200",
            "focus_industries": "新一代电子信息",
            "chains": [chain.pk],
            "managing_unit": cast.investment_bureau.pk,
        },
    )
    park = Park.objects.get(name="珠西科创智谷")
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:park", args=[park.pk])
    assert list(park.chains.all()) == [chain]


def test_a_duplicate_park_name_is_reported_on_the_form(cast, park):
    response = client(cast, cast.investment).post(
        reverse("projects:park_create"), {"name": park.name}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Park.objects.count() == 1


@pytest.mark.parametrize("role", ["encheng_staff", "viewer", "leader", "statistician"])
def test_others_may_not_create_or_edit_parks(cast, park, role):
    c = client(cast, getattr(cast, role))
    assert c.get(reverse("projects:park_create")).status_code == 403
    assert c.post(reverse("projects:park_create"), {"name": "x"}).status_code == 403
    edit = reverse("projects:park_edit", args=[park.pk])
    assert c.post(edit, {"name": "x", "version": park.version}).status_code == 403
    park.refresh_from_db()
    assert park.name == "智能装备特色产业园"


def test_a_park_edit_is_saved_and_a_stale_one_refused(cast, park):
    c = client(cast, cast.supervisor)
    edit = reverse("projects:park_edit", args=[park.pk])
    form = {"name": park.name, "location": "恩城", "version": park.version}
    assert c.post(edit, form).status_code == 302
    park.refresh_from_db()
    assert park.location == "恩城"
    stale = c.post(edit, {**form, "location": "横陂"})
    assert stale.status_code == 200
    assert "changed by someone else" in stale.content.decode()


# --- chains ---------------------------------------------------------------------------------


def test_the_chain_list_counts_links_and_gaps(cast, chain):
    response = client(cast, cast.viewer).get(reverse("projects:chains"))
    assert response.status_code == 200
    (summary,) = response.context["summaries"]
    assert summary.link_count == 3
    assert [n for _v, _l, n in summary.status_rows()] == [1, 1, 1]


def test_the_chain_page_highlights_the_targets(cast, chain):
    response = client(cast, cast.encheng_staff).get(reverse("projects:chain", args=[chain.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert [n.link.name for n in response.context["gaps"]] == ["数控系统", "售后服务"]
    assert "Targets for 产业链招商" in html
    assert 'class="chain-node chain-node-empty"' in html
    assert 'class="chain-node chain-node-thin"' in html
    assert "恩平数控公司" in html and "恩平机床厂" in html
    assert "projects/chains.css" in html
    # staff read but do not edit
    assert reverse("projects:link_create", args=[chain.pk]) not in html


def test_managers_see_the_link_actions(cast, chain):
    html = client(cast, cast.investment).get(reverse("projects:chain", args=[chain.pk]))
    html = html.content.decode()
    some_link = chain.links.first()
    assert reverse("projects:link_edit", args=[some_link.pk]) in html
    assert reverse("projects:link_delete", args=[some_link.pk]) in html


def test_outsiders_cannot_open_a_chain(cast, chain):
    outsider = client(cast, cast.outsider)
    assert outsider.get(reverse("projects:chain", args=[chain.pk])).status_code == 404
    some_link = chain.links.first()
    assert outsider.post(reverse("projects:link_delete", args=[some_link.pk])).status_code == 404


def test_chains_are_created_and_edited_by_managers(cast):
    c = client(cast, cast.investment)
    response = c.post(reverse("projects:chain_create"), {"name": "新材料", "order": 1})
    chain = IndustryChain.objects.get(name="新材料")
    assert response["Location"] == reverse("projects:chain", args=[chain.pk])
    edit = reverse("projects:chain_edit", args=[chain.pk])
    c.post(edit, {"name": "新材料产业链", "order": 1, "version": chain.version})
    chain.refresh_from_db()
    assert chain.name == "新材料产业链"
    denied = client(cast, cast.hengpi_staff).post(edit, {"name": "x", "order": 1, "version": 2})
    assert denied.status_code == 403


def test_a_sub_link_starts_under_its_parent_in_its_segment(cast, chain):
    parent = chain.links.get(name="数控系统")
    url = reverse("projects:link_create", args=[chain.pk]) + f"?parent={parent.pk}"
    response = client(cast, cast.investment).get(url)
    assert response.context["form"].initial == {"parent": parent.pk, "segment": "upstream"}
    response = client(cast, cast.investment).post(
        url,
        {
            "parent": parent.pk,
            "segment": "upstream",
            "name": "伺服电机",
            "min_enterprises": 2,
            "order": 0,
        },
    )
    assert response.status_code == 302
    assert ChainLink.objects.get(name="伺服电机").parent == parent


def test_the_parent_chooser_offers_no_link_below_the_one_edited(cast, chain):
    top = chain.links.get(name="数控系统")
    sub = ChainLinkFactory(chain=chain, parent=top, name="伺服电机")
    other_chain_link = ChainLinkFactory(chain=IndustryChainFactory(government=cast.enping))
    response = client(cast, cast.investment).get(reverse("projects:link_edit", args=[top.pk]))
    offered = set(response.context["form"].fields["parent"].queryset)
    assert top not in offered and sub not in offered and other_chain_link not in offered
    # a forged post gets the form's error, and nothing moves
    response = client(cast, cast.investment).post(
        reverse("projects:link_edit", args=[top.pk]),
        {
            "parent": sub.pk,
            "segment": "upstream",
            "name": top.name,
            "min_enterprises": 3,
            "order": 0,
            "version": top.version,
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["parent"]
    top.refresh_from_db()
    assert top.parent is None


def test_deleting_a_link_by_post(cast, chain):
    empty = chain.links.get(name="售后服务")
    busy = chain.links.get(name="整机装配")
    c = client(cast, cast.investment)
    assert c.get(reverse("projects:link_delete", args=[empty.pk])).status_code == 405
    response = c.post(
        reverse("projects:link_delete", args=[empty.pk]), {"version": empty.version}, follow=True
    )
    assert not ChainLink.objects.filter(pk=empty.pk).exists()
    assert "was deleted" in response.content.decode()
    response = c.post(reverse("projects:link_delete", args=[busy.pk]), follow=True)
    assert ChainLink.objects.filter(pk=busy.pk).exists()
    assert "move them to another link first" in response.content.decode()
    denied = client(cast, cast.encheng_staff).post(reverse("projects:link_delete", args=[busy.pk]))
    assert denied.status_code == 403


# --- query counts ---------------------------------------------------------------------------


def _count(c, url) -> int:
    c.get(url)  # warm caches (content types, the session)
    with CaptureQueriesContext(connection) as captured:
        assert c.get(url).status_code == 200
    return len(captured)


def test_the_pages_cost_the_same_queries_at_two_sizes(cast, chain, park):
    c = client(cast, cast.investment)
    urls = [
        reverse("projects:parks"),
        reverse("projects:park", args=[park.pk]),
        reverse("projects:chains"),
        reverse("projects:chain", args=[chain.pk]),
    ]
    small = {url: _count(c, url) for url in urls}
    for i in range(12):
        extra = ParkFactory(government=cast.enping)
        extra.chains.add(chain)
        top = ChainLinkFactory(chain=chain, name=f"上游{i}", segment="upstream")
        sub = ChainLinkFactory(chain=chain, parent=top, name=f"部件{i}")
        EnterpriseFactory(government=cast.enping, chain_link=sub, park=park)
        ProjectFactory(lead_unit=cast.encheng, park=park, chain_link=sub)
        LeadFactory(owner_unit=cast.investment_bureau, chain_link=sub)
        IndustryChainFactory(government=cast.enping)
    large = {url: _count(c, url) for url in urls}
    assert large == small
    assert max(large.values()) <= 12


# --- API ------------------------------------------------------------------------------------


def test_the_api_lists_parks_and_chains_of_the_caller_s_government(cast, chain, park):
    ParkFactory(government=cast.taishan, name="台山园")
    c = client(cast, cast.encheng_staff)
    parks_out = c.get("/api/v1/projects/parks/").json()
    assert [(p["name"], p["project_count"], p["enterprise_count"]) for p in parks_out["items"]] == [
        ("智能装备特色产业园", 1, 1)
    ]
    assert parks_out["items"][0]["chains"] == [{"id": chain.pk, "name": "数控机床"}]
    chains_out = c.get("/api/v1/projects/chains/").json()["items"]
    assert [(x["name"], x["empty_links"], x["thin_links"]) for x in chains_out] == [
        ("数控机床", 1, 1)
    ]


def test_the_api_gives_a_park_and_a_chain_with_its_links(cast, chain, park):
    c = client(cast, cast.viewer)
    one_park = c.get(f"/api/v1/projects/parks/{park.pk}").json()
    assert [p["name"] for p in one_park["projects"]] == ["数控机床整机项目"]
    assert [e["name"] for e in one_park["enterprises"]] == ["园区企业甲"]
    one_chain = c.get(f"/api/v1/projects/chains/{chain.pk}").json()
    statuses = {link["name"]: link["status"] for link in one_chain["links"]}
    assert statuses == {"整机装配": "covered", "数控系统": "thin", "售后服务": "empty"}


def test_the_api_hides_other_governments_parks_and_chains(cast, chain, park):
    c = client(cast, cast.outsider)
    assert c.get(f"/api/v1/projects/parks/{park.pk}").status_code == 404
    assert c.get(f"/api/v1/projects/chains/{chain.pk}").status_code == 404
    assert c.get("/api/v1/projects/chains/").json()["items"] == []
