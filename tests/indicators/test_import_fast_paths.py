"""The fast paths of a large import give the same answers as the plain ones.

The check resolves whole columns at once (`_Preparer.resolve`) and leaves the rows with anything
to report to the row-by-row check; on PostgreSQL the commit may check foreign keys once per key
instead of per row. Each is compared here with the plain path on files that hold every kind of
problem, so a shortcut that skips a rule fails a test.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from jinwei.indicators.importing import commit as commit_module
from jinwei.indicators.importing import pipeline
from jinwei.indicators.importing.services import import_batch_commit, import_batch_create
from jinwei.indicators.importing.settle import check_file
from jinwei.indicators.models import Indicator, Observation
from tests.indicators.factories import IndicatorFactory, ObservationFactory
from tests.indicators.import_helpers import LONG_HEADER, csv_file, english, gdp, options, xlsx

pytestmark = pytest.mark.usefixtures(english.__name__)
D = Decimal

LONG_ROWS = [
    ["2014—2023年主要指标"],
    [*LONG_HEADER, "计量单位", "说明"],
    ["GDP", "恩平", 2021, 205.72, 5.2, "江门统计年鉴", "", ""],
    ["地区生产总值", "台山市", "2023年", "  547.4 ", "4.2", "", "", "初步数"],
    ["gdp", "440781", "2022", "1,516.5", "", "江门统计年鉴", "", ""],
    ["GDP", "恩平", 2022, "２１０．５", "５.２%", "", "", ""],
    ["GDP", "恩平", 2023, 2513000, 5.1, "", "万元", ""],  # converted to 亿元
    ["GDP", "开平", 2023, 1, "", "", "", ""],  # not of this government
    ["GDP", "恩平", "去年", 1, "", "", "", ""],  # not a period
    ["GDP", "恩平", "2023-09", 1, "", "", "", ""],  # not annual
    ["GDP", "恩平", 2019, "", "", "", "", ""],  # missing
    ["GDP", "恩平", 2018, "—", "", "", "", ""],  # "no data" is an error in a long table
    ["GDP", "恩平", 2017, "12%", "", "", "", ""],  # percent for 亿元
    ["GDP", "恩平", 2016, 1e30, "", "", "", ""],  # too large
    ["GDP", "恩平", 2015, 1, "快", "", "", ""],  # bad growth rate
    ["GDP", "恩平", 2014, 1, 1e12, "", "", ""],  # growth rate too large
    ["GDP", "恩平", 2013, 1, "", "", "人", ""],  # a unit that does not convert
    ["GDP", "恩平", 2012, 1, "", "长" * 201, "", ""],  # source too long
    ["GDP", "恩平", 2021, 206, "", "", "", ""],  # duplicate of the first row
    ["空气", "恩平", 2023, 101, "", "", "", ""],  # out of range
    ["空气", "恩平", 2022, 95.5, "", "", "", ""],
    ["镇街投资", "恩城街道", 2023, 3, "", "", "", ""],  # another unit's indicator for some
    ["不存在", "恩平", 2023, 1, "", "", "", ""],  # unknown indicator
    ["", "恩平", 2023, 1, "", "", "", ""],  # no indicator
    [True, "恩平", 2011, 1, "", "", "", ""],
    ["GDP", "恩平", 2010, True, "", "", "", ""],
    ["注：初步核算数。"],
]

WIDE_ROWS = [
    ["指标", "地区", "2021", "2022年", "2023"],
    ["GDP", "恩平", 205.72, "—", 251.3],
    ["地区生产总值（亿元）", "台山", "", "-", "x"],
    ["GDP", "恩平市", 1, 2, ""],  # 2021 and 2022 twice (2022 after "—" the first time)
    ["空气", "恩平", 101, 50, "…"],
    ["GDP", "鹤山", 374.76, 1e30, 3],
    ["镇街投资", "恩城街道", 1, 2, 3],
    ["GDP", "恩城街道", 4, 5, 6],  # a unit's own figure
]

CROSS_ROWS = [
    ["2023年江门市各县（市、区）主要经济指标"],
    ["地区", "地区生产总值（万元）", "增长（%）", "常住人口（人）"],
    ["恩平市", "2,513,000", "5.1", 480000],
    ["台山", "—", "", "…"],
    ["恩平", 1, "x", 2],  # both twice; a bad growth rate
    ["开平", 1, "", 2],
    ["恩城街道", 3, "", 4],  # a unit's own figures
    ["注：本表数据为初步核算数。"],
]


def catalogue(cast):
    gdp(cast, swing_warning=D(20))
    IndicatorFactory(
        owner_unit=cast.stats_bureau, code="air", name="空气质量优良天数比例", unit="%",
        valid_min=D(0), valid_max=D(100), aliases=["空气"],
    )  # fmt: skip
    IndicatorFactory(owner_unit=cast.stats_bureau, code="pop", name="常住人口", unit="万人")
    IndicatorFactory(owner_unit=cast.encheng, code="town_inv", name="镇街投资")


def plain(outcome):
    """Everything a check found, comparable across runs."""
    issues = [
        (i.severity, i.code, i.message, i.sheet, i.row, i.column, i.header) for i in outcome.issues
    ]
    candidates = [
        (c.key, c.value, c.growth, c.source, c.explanation, c.spec.sheet, c.row, c.place)
        for c in outcome.candidates
    ]
    return issues, candidates, outcome.counts(), [c.key for c in outcome.new]


def both_ways(monkeypatch, check):
    """The check as it runs, then with the column-wise step switched off (every record checked
    row by row); the first run must have taken the fast path for some records."""
    real = pipeline._Preparer.resolve
    fast = []

    def spy(self, spec, cells):
        found = real(self, spec, cells)
        fast.extend(f for f in found if f is not None)
        return found

    monkeypatch.setattr(pipeline._Preparer, "resolve", spy)
    quick = plain(check())
    monkeypatch.setattr(
        pipeline._Preparer, "resolve", lambda self, spec, cells: [None] * len(cells)
    )
    slow = plain(check())
    assert fast, "the fast path resolved nothing: the comparison would prove nothing"
    return quick, slow


@pytest.mark.parametrize("layout", ["long", "wide", "cross"])
@pytest.mark.parametrize("who", ["statistician", "encheng_staff"])
def test_the_column_wise_check_finds_exactly_what_the_row_by_row_check_finds(
    cast, tmp_path, monkeypatch, layout, who
):
    catalogue(cast)
    ObservationFactory(
        indicator=Indicator.objects.get(code="gdp"),
        region=cast.enping,
        period="2020",
        value=D(100),
    )  # fmt: skip  (a swing from 2020 to 2021 to warn about)
    rows = {"long": LONG_ROWS, "wide": WIDE_ROWS, "cross": CROSS_ROWS}[layout]
    path = xlsx(tmp_path / "t.xlsx", ("表1", rows))
    actor = getattr(cast, who)
    quick, slow = both_ways(monkeypatch, lambda: check_file(path, options(cast, actor)))
    assert quick == slow
    _issues, candidates, counts, _new = quick
    assert counts["errors"] > 0 and candidates  # the file holds both


def test_the_column_wise_check_of_a_csv_matches_too(cast, tmp_path, monkeypatch):
    catalogue(cast)
    path = csv_file(tmp_path / "t.csv", [[str(c) for c in row] for row in LONG_ROWS])
    quick, slow = both_ways(monkeypatch, lambda: check_file(path, options(cast)))
    assert quick == slow


def test_an_integer_column_and_ragged_rows_take_the_fast_path(cast, tmp_path, monkeypatch):
    gdp(cast)
    rows = [LONG_HEADER, ["GDP", "恩平", 2023, 251], ["GDP", "台山", 2023, 547, 4.2]]
    records = [
        (spec, row, cells[:-1] if row == 2 else cells)
        for spec, row, cells in pipeline.read_records(
            xlsx(tmp_path / "t.xlsx", ("表1", rows)),
            options(cast),
            pipeline.Lookups.load(cast.enping),
            pipeline.Outcome(),
        )
    ]
    outcome = pipeline.Outcome()
    pipeline.prepare(records, pipeline.Lookups.load(cast.enping), options(cast), outcome)
    assert outcome.issues == []
    assert [(c.place, c.value, c.growth) for c in outcome.candidates] == [
        ("恩平市", D(251), None),
        ("台山市", D(547), D("4.2")),
    ]


def test_the_check_pauses_the_garbage_collector_and_restores_it(cast, tmp_path, monkeypatch):
    import gc

    gdp(cast)
    seen = []
    real = pipeline.prepare

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "prepare", spy)
    path = xlsx(tmp_path / "t.xlsx", ("表1", [LONG_HEADER, ["GDP", "恩平", 2023, 1]]))
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), pipeline.paused_gc():
        assert not gc.isenabled()
        raise ZeroDivisionError
    assert gc.isenabled()
    check_file(path, options(cast))
    assert seen == [False] and gc.isenabled()


# --- PostgreSQL: foreign keys checked once per key ------------------------------------------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the foreign-key shortcut is PostgreSQL's"
)
GOOD = [
    LONG_HEADER,
    ["GDP", "恩平", 2022, "230.1", "5.0", "江门统计年鉴 (初步\\)"],
    ["GDP", "恩平", 2023, "251.3", "", "C:\\统计\\年鉴"],
    ["GDP", "台山", 2023, "547.4", "4.2", ""],
]


def commit(cast, tmp_path):
    batch = import_batch_create(
        actor=cast.statistician,
        government=cast.enping,
        path=xlsx(tmp_path / "t.xlsx", ("表1", GOOD)),
    )
    return batch, import_batch_commit(actor=cast.statistician, batch=batch)


def saved():
    return sorted(
        Observation.objects.values_list(
            "indicator__code", "region__code", "period", "value", "growth_rate", "source"
        )
    )


EXPECTED = [
    ("gdp", "440781", "2023", D("547.4"), D("4.2"), ""),
    ("gdp", "440785", "2022", D("230.1"), D("5.0"), "江门统计年鉴 (初步\\)"),
    ("gdp", "440785", "2023", D("251.3"), None, "C:\\统计\\年鉴"),
]


def replication_role():
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        return cursor.fetchone()[0]


@postgres_only
def test_a_role_that_may_skip_the_key_triggers_does_so_and_switches_them_back(
    cast, tmp_path, monkeypatch
):
    gdp(cast)
    calls = []
    real = commit_module._lock_referenced
    monkeypatch.setattr(
        commit_module, "_lock_referenced", lambda *a: calls.append(a[1]) or real(*a)
    )
    batch, outcome = commit(cast, tmp_path)
    assert outcome.counts()["new"] == 3 and saved() == EXPECTED
    (keys,) = calls
    assert keys["batch_id"] == {batch.pk} and keys["unit_id"] == {None}
    assert keys["region_id"] == {cast.enping.pk, cast.taishan.pk}
    assert replication_role() == "origin"  # the rest of the transaction has its triggers


@postgres_only
def test_a_role_that_may_not_keeps_the_key_triggers(cast, tmp_path, monkeypatch):
    """An ordinary database owner may not set session_replication_role: the import runs with
    the triggers and saves the same rows."""
    gdp(cast)
    monkeypatch.setattr(
        commit_module,
        "_lock_referenced",
        lambda *a: pytest.fail("keys are the triggers' job when the role stays"),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (user,) = cursor.fetchone()
        role = f"jinwei_test_owner_{connection.connection.info.backend_pid}"
        cursor.execute(f'CREATE ROLE "{role}" NOSUPERUSER')  # undone with the test's transaction
        cursor.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA public TO "{role}"')
        cursor.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
        cursor.execute(f'SET ROLE "{role}"')
        try:
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
            _batch, outcome = commit(cast, tmp_path)
        finally:
            cursor.execute("RESET ROLE")
    assert outcome.counts()["new"] == 3 and saved() == EXPECTED
    assert user and replication_role() == "origin"


@postgres_only
def test_a_referenced_row_that_is_gone_is_a_conflict(cast):
    indicator = gdp(cast)
    keys = {"indicator_id": {indicator.pk, 987654}, "region_id": {cast.enping.pk, None}}
    keys |= {"unit_id": {None}, "batch_id": set()}
    message = "indicator 987654 no longer exists"
    with pytest.raises(IntegrityError, match=message), connection.cursor() as cursor:
        commit_module._lock_referenced(cursor, keys)


def test_texts_are_escaped_for_copy():
    rows = [
        (1, None, 7, "2023", D("1.500000"), None, "a\tb\\c\nd", False, "submitted", "", True,
         3, "2024-01-01 00:00:00+00:00", 1, "t0", "t0")
    ]  # fmt: skip
    assert commit_module._copy_text(rows) == (
        "1\t\\N\t7\t2023\t1.500000\t\\N\ta\\tb\\\\c\\nd\tf\tsubmitted\t\tt\t3\t"
        "2024-01-01 00:00:00+00:00\t1\tt0\tt0\n"
    )
