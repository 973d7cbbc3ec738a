"""The honours demo: the report's titles and practices for 恩平市 recorded by the supervising
office through the services, spread so a 2023 and a 2024-09 briefing both have some, every
chosen year or date marked illustrative, and a rerun that changes nothing."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest

from jinwei.accounts.demo import demo_government, load_foundation
from jinwei.audit.models import AuditEntry
from jinwei.core.demo import DEMO_NOTE
from jinwei.honors import demo_data
from jinwei.honors.demo import load_honors
from jinwei.honors.models import Honour, Level, Practice
from jinwei.honors.selectors import honours_in, practices_in

pytestmark = pytest.mark.django_db


def test_the_demo():
    """One load, then every check on it."""
    load_foundation()
    assert load_honors() == len(demo_data.HONOURS) + len(demo_data.PRACTICES) == 21
    check_the_reports_honours()
    check_the_practices()
    check_both_briefings_have_some()
    check_chosen_years_are_illustrative()
    check_it_was_played_by_the_supervising_office()
    check_a_second_run_changes_nothing()
    check_a_rerun_recreates_what_was_deleted()


def check_the_reports_honours() -> None:
    honours = Honour.objects.filter(government=demo_government())
    titles = set(honours.values_list("title", flat=True))
    for title in (
        "国家生态文明建设示范区",
        "“中国天然氧吧”",
        "省全域旅游示范区",
        "省第一批生态产品价值实现机制试点县",
        "省“百千万工程”精选案例",
        "省工业稳增长优秀县",
        "全国粮食生产先进县",
        "国家生猪调出大县",
        "省基础教育高质量发展示范区",
        "省健康县",
        "全国基层中医药工作先进单位",
        "全国信访工作示范县",
        "全国信访工作“三无”县",
    ):
        assert title in titles, title
    fiscal = honours.filter(title="县级财政管理绩效综合评价国家表扬奖补")
    assert sorted(fiscal.values_list("year", flat=True)) == [2022, 2023]  # two years running
    farm = honours.get(title="全国“平安农机”示范县")
    assert (farm.year, farm.level, farm.unit.name) == (2023, Level.NATIONAL, "农业农村局")
    assert Counter(honours.values_list("level", flat=True)) == {"national": 10, "provincial": 6}
    assert not honours.filter(unit__isnull=True).exists()
    assert set(honours.values_list("year", flat=True)) == {2021, 2022, 2023, 2024}


def check_the_practices() -> None:
    practices = {p.title: p for p in Practice.objects.select_related("unit")}
    sample = practices["侨益司法保护“恩平样本”"]
    assert sample.recognised_by == "中央统战部、最高人民法院" and sample.level == Level.NATIONAL
    assert sample.promotion == "在全国推广" and "华侨华人法律服务中心" in sample.description
    for title in ("数控机床产业链招商", "异地招商利益分享机制"):
        assert practices[title].recognised_by == "江门市领导"
        assert "借鉴学习" in practices[title].promotion
    assert {"气象旅游", "共富公司模式"} <= set(practices)
    article = datetime.date(2024, 2, 20)  # nothing after the report that mentions it
    assert all(p.recognised_on <= article for p in practices.values())


def check_both_briefings_have_some() -> None:
    enping = demo_government()
    assert honours_in(government=enping, year=2023).count() == 5
    until = datetime.date(2024, 9, 30)
    assert honours_in(government=enping, year=2024, until=until).count() == 3
    assert practices_in(government=enping, year=2023).count() == 2
    assert practices_in(government=enping, year=2024, until=until).count() == 2


def check_chosen_years_are_illustrative() -> None:
    stated = Honour.objects.get(title="全国“平安农机”示范县")
    assert not stated.is_illustrative and "示例" not in stated.source
    others = Honour.objects.exclude(pk=stated.pk)
    assert not others.filter(is_illustrative=False).exists()
    assert all("年份为示例" in source for source in others.values_list("source", flat=True))
    assert not Practice.objects.filter(is_illustrative=False).exists()
    assert all("日期为示例" in p.source for p in Practice.objects.all())


def check_it_was_played_by_the_supervising_office() -> None:
    entries = AuditEntry.objects.filter(content_type__app_label="honors")
    assert entries.count() == 21
    assert set(entries.values_list("actor__username", "action", "note")) == {
        ("supervisor", AuditEntry.Action.CREATE, DEMO_NOTE)
    }


def snapshot() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Honour, Practice, AuditEntry)}


def check_a_second_run_changes_nothing() -> None:
    before = snapshot()
    versions = sorted(Honour.objects.values_list("pk", "version"))
    assert load_honors() == 0
    assert snapshot() == before
    assert sorted(Honour.objects.values_list("pk", "version")) == versions


def check_a_rerun_recreates_what_was_deleted() -> None:
    Honour.objects.filter(title="省健康县").delete()
    Practice.objects.filter(title="气象旅游").delete()
    Honour.objects.filter(title="国家生猪调出大县").update(description="有人改过")
    assert load_honors() == 2
    assert Honour.objects.filter(title="省健康县").exists()
    assert Practice.objects.filter(title="气象旅游").exists()
    assert Honour.objects.get(title="国家生猪调出大县").description == "有人改过"
