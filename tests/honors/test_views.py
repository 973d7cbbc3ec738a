"""The roll of honour and the practices pages: grouping by year then level, the counts table, the
filters and their htmx part, who sees the edit links and forms, and query counts that do not
grow with the number of honours."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jinwei.honors.models import Category, Honour, Level, Practice
from tests.honors.factories import HonourFactory, PracticeFactory

pytestmark = pytest.mark.django_db
LIST = reverse("honors:list")
PRACTICES = reverse("honors:practice_list")


def client(cast, user):
    c = cast.client_for(user)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


@pytest.fixture
def honours(cast) -> dict[str, Honour]:
    def honour(title: str, year: int, level: str, **fields) -> Honour:
        return HonourFactory(government=cast.enping, title=title, year=year, level=level, **fields)

    return {
        "oxygen": honour("中国天然氧吧", 2021, Level.NATIONAL, category=Category.ECOLOGY),
        "health": honour("省健康县", 2022, Level.PROVINCIAL, unit=cast.encheng),
        "farm": honour(
            "全国平安农机示范县", 2023, Level.NATIONAL, category=Category.SAFETY, unit=cast.hengpi
        ),
        "tourism": honour(
            "省全域旅游示范区", 2023, Level.PROVINCIAL, is_illustrative=True, issuer="广东省文旅厅"
        ),
        "city": honour("江门市先进单位", 2023, Level.MUNICIPAL, category=Category.ECOLOGY),
    }


# --- the roll of honour --------------------------------------------------------------------------


def test_the_roll_groups_by_year_newest_first_then_by_level(cast, honours):
    response = client(cast, cast.viewer).get(LIST)
    roll = response.context["roll"]
    assert [group.year for group in roll] == [2023, 2022, 2021]
    assert [part.level for part in roll[0].levels] == [
        Level.NATIONAL,
        Level.PROVINCIAL,
        Level.MUNICIPAL,
    ]
    html = response.content.decode()
    assert (
        html.index("全国平安农机示范县")
        < html.index("省全域旅游示范区")
        < html.index("江门市先进单位")
    )
    assert html.index("江门市先进单位") < html.index("省健康县") < html.index("中国天然氧吧")
    entry = html[html.index('id="honour-{}"'.format(honours["tourism"].pk)) :]
    assert entry.index("illustrative") < entry.index("</li>")
    assert "广东省文旅厅" in entry[: entry.index("</li>")]


def test_the_counts_table_has_years_levels_and_totals(cast, honours):
    counts = client(cast, cast.viewer).get(LIST).context["counts"]
    assert [(row.year, row.counts, row.total) for row in counts.rows] == [
        (2023, [1, 1, 1], 3),
        (2022, [0, 1, 0], 1),
        (2021, [1, 0, 0], 1),
    ]
    assert counts.totals == [2, 2, 1] and counts.total == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year": "2023"}, {"farm", "tourism", "city"}),
        ({"level": "national"}, {"oxygen", "farm"}),
        ({"category": "ecology"}, {"oxygen", "city"}),
        ({"year": "2023", "category": "ecology"}, {"city"}),
    ],
)
def test_the_filters(cast, honours, query, expected):
    roll = client(cast, cast.leader).get(LIST, query).context["roll"]
    shown = {h.pk for group in roll for part in group.levels for h in part.honours}
    assert shown == {honours[name].pk for name in expected}


def test_an_invalid_filter_is_reported_and_left_out(cast, honours):
    response = client(cast, cast.leader).get(LIST, {"year": "1900", "level": "galactic"})
    assert response.context["count"] == 5
    assert "Some filters are not valid" in response.content.decode()


def test_htmx_gets_the_results_only(cast, honours):
    response = client(cast, cast.leader).get(
        LIST, {"year": "2022"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="honour-results"
    )
    html = response.content.decode()
    assert "<html" not in html and "省健康县" in html and "中国天然氧吧" not in html
    assert reverse("honors:export") + "?year=2022" in html  # the export follows the filters


def test_edit_links_follow_the_rights(cast, honours):
    edit = lambda name: reverse("honors:edit", args=[honours[name].pk])  # noqa: E731
    staff = client(cast, cast.encheng_staff).get(LIST).content.decode()
    assert edit("health") in staff and edit("farm") not in staff
    assert reverse("honors:create") not in staff
    viewer = client(cast, cast.viewer).get(LIST).content.decode()
    assert "/edit/" not in viewer and reverse("honors:create") not in viewer
    supervisor = client(cast, cast.supervisor).get(LIST).content.decode()
    assert all(edit(name) in supervisor for name in honours)
    assert reverse("honors:create") in supervisor


def test_outsiders_see_their_own_government_only(cast, honours):
    c = client(cast, cast.outsider)
    assert c.get(LIST).context["count"] == 0
    assert c.get(LIST, {"government": "440785"}).status_code == 404


def test_the_roll_costs_the_same_queries_for_many_honours(cast, django_assert_max_num_queries):
    units = [cast.encheng, cast.hengpi, cast.stats_bureau, None]
    for n in range(120):
        HonourFactory(
            government=cast.enping,
            year=2015 + n % 10,
            level=list(Level)[n % 3],
            unit=units[n % 4],
            evidence_name="证书.pdf" if n % 5 == 0 else "",
        )
    c = client(cast, cast.encheng_staff)
    c.get(LIST)
    # session, user, grants, governments, the years, the honours, the counts
    with django_assert_max_num_queries(8):
        response = c.get(LIST)
    assert response.context["count"] == 120


# --- recording and editing -----------------------------------------------------------------------


def form_data(cast, **fields) -> dict[str, object]:
    return {
        "title": "省健康县",
        "level": "provincial",
        "year": "2022",
        "awarded_on": "",
        "issuer": "广东省爱国卫生运动委员会",
        "category": "health",
        "unit": str(cast.encheng.pk),
        "description": "",
        "source": "",
        **fields,
    }


def test_the_supervisor_records_an_honour_with_its_evidence(cast):
    upload = SimpleUploadedFile("健康县证书.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = client(cast, cast.supervisor).post(
        reverse("honors:create"), form_data(cast, evidence_file=upload)
    )
    honour = Honour.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#honour-{honour.pk}")
    assert honour.evidence_name == "健康县证书.pdf" and honour.unit == cast.encheng


def test_a_wrong_evidence_file_is_shown_at_its_field(cast):
    upload = SimpleUploadedFile("证书.exe", b"MZ")
    response = client(cast, cast.supervisor).post(
        reverse("honors:create"), form_data(cast, evidence_file=upload)
    )
    assert response.status_code == 200 and not Honour.objects.exists()
    assert response.context["form"].errors["evidence_file"] == [
        "“证书.exe” cannot be used as evidence: choose a file of type "
        ".pdf, .jpg, .jpeg, .png, .ofd, .docx."
    ]


def test_a_refusal_of_the_service_lands_on_the_form(cast):
    response = client(cast, cast.supervisor).post(
        reverse("honors:create"), form_data(cast, year="2023", awarded_on="2022-05-01")
    )
    assert response.context["form"].errors["awarded_on"] == [
        "The date 2022-05-01 does not lie in the year 2023."
    ]


@pytest.mark.parametrize("role", ["encheng_staff", "leader", "viewer"])
def test_only_the_supervising_office_opens_the_create_forms(cast, role):
    c = client(cast, getattr(cast, role))
    assert c.get(reverse("honors:create")).status_code == 403
    assert c.get(reverse("honors:practice_create")).status_code == 403


def test_staff_edit_their_honour_without_moving_it(cast, honours):
    honour = honours["health"]
    url = reverse("honors:edit", args=[honour.pk])
    c = client(cast, cast.encheng_staff)
    assert c.get(url).context["form"].fields["unit"].disabled
    data = form_data(cast, title="省健康县（复审）", unit=str(cast.hengpi.pk), version="1")
    assert c.post(url, data).status_code == 302
    honour.refresh_from_db()
    assert honour.title == "省健康县（复审）" and honour.unit == cast.encheng


def test_edit_and_delete_pages_answer_by_rights(cast, honours):
    honour = honours["health"]  # 恩城街道's
    edit = reverse("honors:edit", args=[honour.pk])
    delete = reverse("honors:delete", args=[honour.pk])
    assert client(cast, cast.hengpi_staff).get(edit).status_code == 403
    assert client(cast, cast.viewer).post(delete, {"version": 1}).status_code == 403
    assert client(cast, cast.outsider).get(edit).status_code == 404
    assert client(cast, cast.outsider).post(delete, {"version": 1}).status_code == 404
    assert Honour.objects.filter(pk=honour.pk).exists()


def test_a_stale_delete_is_refused_and_a_fresh_one_works(cast, honours):
    honour = honours["health"]
    c = client(cast, cast.encheng_staff)
    delete = reverse("honors:delete", args=[honour.pk])
    Honour.objects.filter(pk=honour.pk).update(version=2)
    response = c.post(delete, {"version": 1}, follow=True)
    assert "changed by someone else" in response.content.decode()
    assert Honour.objects.filter(pk=honour.pk).exists()
    response = c.post(delete, {"version": 2})
    assert response.status_code == 302 and not Honour.objects.filter(pk=honour.pk).exists()


# --- practices -----------------------------------------------------------------------------------


@pytest.fixture
def practices(cast) -> dict[str, Practice]:
    def practice(title: str, day: datetime.date, level: str, **fields) -> Practice:
        return PracticeFactory(
            government=cast.enping, title=title, recognised_on=day, level=level, **fields
        )

    return {
        "law": practice(
            "侨益司法保护“恩平样本”",
            datetime.date(2022, 11, 15),
            Level.NATIONAL,
            recognised_by="中央统战部、最高人民法院",
            promotion="在全国推广",
            description="成立首个县级华侨华人法律服务中心",
        ),
        "chain": practice(
            "数控机床产业链招商",
            datetime.date(2023, 5, 18),
            Level.MUNICIPAL,
            unit=cast.investment_bureau,
        ),
        "share": practice(
            "异地招商利益分享机制", datetime.date(2023, 9, 8), Level.MUNICIPAL, unit=cast.encheng
        ),
    }


def test_the_practices_list_shows_what_was_promoted_where(cast, practices):
    response = client(cast, cast.viewer).get(PRACTICES)
    html = response.content.decode()
    assert [p.title for p in response.context["practices"]] == [
        "异地招商利益分享机制",
        "数控机床产业链招商",
        "侨益司法保护“恩平样本”",
    ]
    for text in (
        "中央统战部、最高人民法院",
        "在全国推广",
        "成立首个县级华侨华人法律服务中心",
        "2022-11-15",
    ):
        assert text in html
    counts = response.context["counts"]
    assert [(r.year, r.counts) for r in counts.rows] == [(2023, [0, 0, 2]), (2022, [1, 0, 0])]
    assert "/edit/" not in html


def test_the_practices_filters_and_htmx_part(cast, practices):
    c = client(cast, cast.leader)
    shown = c.get(PRACTICES, {"year": "2023", "level": "municipal"}).context["practices"]
    assert {p.pk for p in shown} == {practices["chain"].pk, practices["share"].pk}
    part = c.get(
        PRACTICES, {"level": "national"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="practice-results"
    ).content.decode()
    assert "<html" not in part and "恩平样本" in part and "数控机床" not in part


def test_practice_rights_on_the_pages(cast, practices):
    share = practices["share"]  # 恩城街道's
    edit = reverse("honors:practice_edit", args=[share.pk])
    staff = client(cast, cast.encheng_staff)
    assert edit in staff.get(PRACTICES).content.decode()
    data = {
        "title": share.title,
        "description": "引进地与落户地分享统计和税收",
        "recognised_by": "江门市领导",
        "level": "municipal",
        "recognised_on": "2023-09-08",
        "promotion": "要求各市（区）借鉴学习",
        "version": "1",
    }
    assert staff.post(edit, data).status_code == 302
    share.refresh_from_db()
    assert share.promotion == "要求各市（区）借鉴学习" and share.unit == cast.encheng
    assert client(cast, cast.hengpi_staff).get(edit).status_code == 403
    assert client(cast, cast.outsider).get(edit).status_code == 404
    delete = reverse("honors:practice_delete", args=[share.pk])
    assert client(cast, cast.viewer).post(delete, {"version": 2}).status_code == 403
    assert staff.post(delete, {"version": 2}).status_code == 302
    assert not Practice.objects.filter(pk=share.pk).exists()


def test_the_supervisor_records_a_practice(cast):
    data = {
        "title": "气象旅游",
        "recognised_by": "上级有关部门",
        "level": "provincial",
        "recognised_on": "2024-01-20",
        "unit": str(cast.encheng.pk),
    }
    response = client(cast, cast.supervisor).post(reverse("honors:practice_create"), data)
    practice = Practice.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#practice-{practice.pk}")


def test_the_practices_list_costs_the_same_queries_for_many(cast, django_assert_max_num_queries):
    for n in range(80):
        PracticeFactory(
            government=cast.enping,
            recognised_on=datetime.date(2016 + n % 8, 1 + n % 12, 1),
            unit=[cast.encheng, None][n % 2],
        )
    c = client(cast, cast.supervisor)
    c.get(PRACTICES)
    with django_assert_max_num_queries(8):
        response = c.get(PRACTICES)
    assert len(response.context["practices"]) == 80
