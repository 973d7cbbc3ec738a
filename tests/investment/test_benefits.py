"""Benefit sharing (异地招商利益分享): the rules of terms and shares, the yearly figures, and each
region's attributed totals (figure × share of the term covering the year, summed over
agreements), with unshared years reported rather than dropped."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jinwei.audit.models import AuditEntry
from jinwei.audit.services import StaleVersionError
from jinwei.investment import benefits
from jinwei.investment.benefit_split import Amounts, overlap, percent_text, shown
from jinwei.investment.models import BenefitFigure, BenefitShare, BenefitTerm
from tests.investment.benefit_helpers import (
    appliance_park,
    d,
    figure,
    regions,
    share,
    water_park,
)
from tests.investment.factories import BenefitAgreementFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

NOT_MANAGERS = ["leader", "statistician", "encheng_staff", "hengpi_staff", "viewer", "outsider"]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def r(cast):
    return regions(cast)


@pytest.fixture
def agreement(cast, r):
    return BenefitAgreementFactory(
        government=cast.enping, introducing_region=r.enping, host_region=r.jianghai
    )


def halves(r, output=("50", "50"), tax=("50", "50"), investment=("50", "50")):
    return [
        share(r.enping, output[0], tax[0], investment[0]),
        share(r.jianghai, output[1], tax[1], investment[1]),
    ]


def save(cast, agreement, start, end, shares, **kwargs):
    return benefits.term_save(
        actor=cast.investment,
        agreement=agreement,
        start_year=start,
        end_year=end,
        shares=shares,
        **kwargs,
    )


def trail(obj):
    """The audit entries of one object, oldest first."""
    kind = ContentType.objects.get_for_model(obj)
    return AuditEntry.objects.filter(content_type=kind, object_id=str(obj.pk)).order_by("pk")


def refusal(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.message_dict


# --- shares -------------------------------------------------------------------------------------


def test_shares_adding_up_to_100_are_accepted_with_a_co_builder(cast, r, agreement):
    shares = [
        share(r.enping, "33.33", "50", "60"),
        share(r.jianghai, "33.33", "30", "25"),
        share(r.pengjiang, "33.34", "20", "15"),
    ]
    term = save(cast, agreement, 2024, 2028, shares)
    stored = {s.region_id: s for s in term.shares.all()}
    assert set(stored) == {r.enping.pk, r.jianghai.pk, r.pengjiang.pk}
    assert stored[r.pengjiang.pk].output_percent == d("33.34")
    assert stored[r.enping.pk].investment_percent == d("60")
    entries = trail(term)
    assert {e.action for e in entries} == {"create", "update"}
    shares_entry = entries.get(action="update")
    assert shares_entry.government_id == cast.enping.pk
    assert [row["region"] for row in shares_entry.after["shares"]] == sorted(
        [r.enping.name, r.jianghai.name, r.pengjiang.name]
    )


@pytest.mark.parametrize(
    ("field", "measure"),
    [
        ("output_percent", "output value"),
        ("tax_percent", "tax"),
        ("investment_percent", "investment statistics"),
    ],
)
@pytest.mark.parametrize(("second", "total"), [("49.99", "99.99"), ("50.01", "100.01")])
def test_shares_off_by_a_hundredth_are_refused_naming_the_measure(
    cast, r, agreement, field, measure, second, total
):
    values = {
        "output": ("50", "50"),
        "tax": ("50", "50"),
        "investment": ("50", "50"),
    }
    key = {"output_percent": "output", "tax_percent": "tax", "investment_percent": "investment"}
    values[key[field]] = ("50", second)
    errors = refusal(lambda: save(cast, agreement, 2024, 2028, halves(r, **values)))
    assert errors == {
        field: [f"The {measure} shares add up to {total} %; they must add up to exactly 100 %."]
    }
    assert not BenefitTerm.objects.exists()


def test_every_wrong_measure_is_named_at_once(cast, r, agreement):
    errors = refusal(
        lambda: save(
            cast,
            agreement,
            2024,
            2028,
            halves(r, output=("60", "30"), tax=("60", "60"), investment=("50", "50")),
        )
    )
    assert errors == {
        "output_percent": [
            "The output value shares add up to 90 %; they must add up to exactly 100 %."
        ],
        "tax_percent": ["The tax shares add up to 120 %; they must add up to exactly 100 %."],
    }


def test_a_region_listed_twice_is_refused(cast, r, agreement):
    shares = [*halves(r), share(r.jianghai, "0", "0", "0")]
    errors = refusal(lambda: save(cast, agreement, 2024, 2028, shares))
    assert errors["region"] == ["江海区 is listed more than once; give each region one row."]


def test_both_parties_must_have_a_share(cast, r, agreement):
    shares = [share(r.enping, "60", "60", "60"), share(r.pengjiang, "40", "40", "40")]
    errors = refusal(lambda: save(cast, agreement, 2024, 2028, shares))
    assert errors == {
        "region": ["The host region 江海区 must have a share in the term (0 is allowed)."]
    }
    errors = refusal(lambda: save(cast, agreement, 2024, 2028, []))
    assert errors["region"] == [
        "The introducing region 恩平市 must have a share in the term (0 is allowed).",
        "The host region 江海区 must have a share in the term (0 is allowed).",
    ]
    assert "output_percent" in errors  # and nothing adds up to 100 %


def test_a_party_may_have_zero_of_a_measure(cast, r, agreement):
    term = save(cast, agreement, 2024, None, halves(r, tax=("0", "100")))
    assert term.shares.get(region=r.enping).tax_percent == 0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-10", "The tax share of 恩平市 must be between 0 and 100 %."),
        ("33.333", "The tax share of 恩平市 (33.333) has more than two decimals."),
    ],
)
def test_shares_out_of_range_or_too_precise_are_refused(cast, r, agreement, value, message):
    errors = refusal(lambda: save(cast, agreement, 2024, 2028, halves(r, tax=(value, "50"))))
    assert errors == {"tax_percent": [message]}


# --- years --------------------------------------------------------------------------------------


def test_the_end_may_not_come_before_the_start(cast, r, agreement):
    errors = refusal(lambda: save(cast, agreement, 2026, 2024, halves(r)))
    assert errors == {"end_year": ["The end year (2024) is before the start year (2026)."]}


def test_years_out_of_range_are_refused(cast, r, agreement):
    errors = refusal(lambda: save(cast, agreement, 1024, None, halves(r)))
    assert errors == {"start_year": ["A year must lie between 1990 and 2100."]}


@pytest.mark.parametrize(
    ("existing", "new", "field", "message"),
    [
        (
            (2024, 2028),
            (2026, 2030),
            "start_year",
            "The years 2026–2028 overlap the term 2024–2028 of this agreement.",
        ),
        (
            (2024, 2028),
            (2020, 2024),
            "end_year",
            "The years 2024 overlap the term 2024–2028 of this agreement.",
        ),
        (
            (2024, 2028),
            (2025, 2026),
            "start_year",
            "The years 2025–2026 overlap the term 2024–2028 of this agreement.",
        ),
        (
            (2029, None),
            (2030, 2032),
            "start_year",
            "The years 2030–2032 overlap the term 2029 onwards of this agreement.",
        ),
        (
            (2024, 2028),
            (2020, None),
            "end_year",
            "The years 2024–2028 overlap the term 2024–2028 of this agreement.",
        ),
        (
            (2029, None),
            (2024, None),
            "end_year",
            "The years 2029 onwards overlap the term 2029 onwards of this agreement.",
        ),
    ],
)
def test_overlapping_terms_are_refused_saying_which_years(
    cast, r, agreement, existing, new, field, message
):
    save(cast, agreement, *existing, halves(r))
    errors = refusal(lambda: save(cast, agreement, *new, halves(r)))
    assert errors == {field: [message]}
    assert agreement.terms.count() == 1


def test_adjacent_terms_are_accepted(cast, r, agreement):
    save(cast, agreement, 2024, 2028, halves(r))
    save(cast, agreement, 2029, None, halves(r, output=("40", "60")))
    save(cast, agreement, 2020, 2023, halves(r))
    years = list(agreement.terms.order_by("start_year").values_list("start_year", "end_year"))
    assert years == [(2020, 2023), (2024, 2028), (2029, None)]


def test_terms_of_another_agreement_do_not_count(cast, r, agreement):
    other = BenefitAgreementFactory(
        government=cast.enping, introducing_region=r.enping, host_region=r.jianghai
    )
    save(cast, other, 2024, None, halves(r))
    assert save(cast, agreement, 2024, None, halves(r)).pk


# --- replacing and removing a term --------------------------------------------------------------


def test_a_term_is_replaced_with_its_shares(cast, r, agreement):
    term = save(cast, agreement, 2024, 2028, halves(r))
    save(cast, agreement, 2029, None, halves(r))
    replaced = save(
        cast,
        agreement,
        2024,
        2027,  # its own years do not overlap it; 2029 onwards is untouched
        [share(r.enping, "40", "40", "40"), share(r.jianghai, "60", "60", "60")],
        term=term,
        expected_version=term.version,
    )
    assert replaced.pk == term.pk
    assert (replaced.start_year, replaced.end_year) == (2024, 2027)
    assert replaced.version == term.version + 1
    percents = dict(BenefitShare.objects.filter(term=term).values_list("region_id", "tax_percent"))
    assert percents == {r.enping.pk: d("40"), r.jianghai.pk: d("60")}
    change = trail(term).filter(after__has_key="shares").last()
    assert change.before["shares"][0]["tax_percent"] == "50"
    assert {row["tax_percent"] for row in change.after["shares"]} == {"40", "60"}


def test_new_shares_alone_make_a_new_version(cast, r, agreement):
    term = save(cast, agreement, 2024, 2028, halves(r))
    replaced = save(
        cast,
        agreement,
        2024,
        2028,
        halves(r, tax=("30", "70")),
        term=term,
        expected_version=term.version,
    )
    assert replaced.version == term.version + 1
    with pytest.raises(StaleVersionError):
        save(cast, agreement, 2024, 2028, halves(r), term=term, expected_version=term.version)
    assert term.shares.get(region=r.enping).tax_percent == d("30")


def test_a_refused_replacement_keeps_the_old_shares(cast, r, agreement):
    term = save(cast, agreement, 2024, 2028, halves(r))
    refusal(lambda: save(cast, agreement, 2024, 2028, halves(r, tax=("1", "1")), term=term))
    assert sorted(term.shares.values_list("tax_percent", flat=True)) == [d("50"), d("50")]


def test_removing_a_term_removes_its_shares_and_is_audited(cast, r, agreement):
    term = save(cast, agreement, 2024, 2028, halves(r))
    benefits.term_delete(actor=cast.supervisor, term=term, expected_version=term.version)
    assert not BenefitTerm.objects.exists()
    assert not BenefitShare.objects.exists()
    assert trail(term).filter(action="delete").exists()


# --- agreements ---------------------------------------------------------------------------------


def test_an_agreement_is_created_about_a_project(cast, r):
    project = ProjectFactory(lead_unit=cast.encheng)
    agreement = benefits.agreement_create(
        actor=cast.investment,
        government=cast.enping,
        name="江门水都产业园利益分享协议",
        introducing_region=r.enping,
        host_region=r.jianghai,
        project=project,
        reference="江府〔2024〕1号",
    )
    assert agreement.project == project
    assert trail(agreement).filter(action="create").exists()


def test_the_host_must_differ_from_the_introducing_region(cast, r):
    errors = refusal(
        lambda: benefits.agreement_create(
            actor=cast.investment,
            government=cast.enping,
            name="x",
            introducing_region=r.enping,
            host_region=r.enping,
        )
    )
    assert errors == {"host_region": ["The host region must differ from the introducing region."]}


def test_a_project_of_another_government_is_refused(cast, r):
    foreign = ProjectFactory()
    errors = refusal(
        lambda: benefits.agreement_create(
            actor=cast.investment,
            government=cast.enping,
            name="x",
            introducing_region=r.enping,
            host_region=r.jianghai,
            project=foreign,
        )
    )
    assert errors == {"project": ["The project belongs to another government."]}


def test_a_new_host_must_already_share_in_every_term(cast, r, agreement):
    save(cast, agreement, 2024, 2028, halves(r))
    errors = refusal(
        lambda: benefits.agreement_update(
            actor=cast.investment,
            agreement=agreement,
            changes={"host_region": r.pengjiang},
            expected_version=agreement.version,
        )
    )
    assert errors == {
        "host_region": ["The term 2024–2028 gives this region no share; add it to the term first."]
    }
    term = agreement.terms.get()
    save(cast, agreement, 2024, 2028, [*halves(r), share(r.pengjiang, "0", "0", "0")], term=term)
    updated = benefits.agreement_update(
        actor=cast.investment,
        agreement=agreement,
        changes={"host_region": r.pengjiang},
        expected_version=agreement.version,
    )
    assert updated.host_region == r.pengjiang


def test_an_agreement_is_renamed_with_its_version(cast, r, agreement):
    updated = benefits.agreement_update(
        actor=cast.investment,
        agreement=agreement,
        changes={"name": "新名称"},
        expected_version=agreement.version,
    )
    assert updated.name == "新名称"
    with pytest.raises(StaleVersionError):
        benefits.agreement_update(
            actor=cast.investment,
            agreement=agreement,
            changes={"name": "又改"},
            expected_version=agreement.version,
        )


# --- rights -------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_managers_write(cast, r, agreement, who):
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        benefits.term_save(
            actor=user,
            agreement=agreement,
            start_year=2024,
            end_year=2028,
            shares=halves(r),
        )
    with pytest.raises(PermissionDenied):
        benefits.figure_save(
            actor=user,
            agreement=agreement,
            year=2024,
            output_value=d("1"),
            tax=d("1"),
            investment=d("1"),
        )
    with pytest.raises(PermissionDenied):
        benefits.agreement_create(
            actor=user,
            government=cast.enping,
            name="x",
            introducing_region=r.enping,
            host_region=r.jianghai,
        )
    assert not BenefitTerm.objects.exists()
    assert not BenefitFigure.objects.exists()


@pytest.mark.parametrize("who", ["investment", "supervisor", "admin"])
def test_managers_write(cast, r, agreement, who):
    term = benefits.term_save(
        actor=getattr(cast, who),
        agreement=agreement,
        start_year=2024,
        end_year=None,
        shares=halves(r),
    )
    assert term.pk


# --- figures ------------------------------------------------------------------------------------


def test_a_years_figures_are_created_then_replaced(cast, agreement):
    figure(cast, agreement, 2024, "100.00", "10.00", "1000.00")
    figure(cast, agreement, 2024, "120.50", "12.00", "900.00")
    stored = BenefitFigure.objects.get(agreement=agreement, year=2024)
    assert (stored.output_value, stored.tax, stored.investment) == (
        d("120.50"),
        d("12.00"),
        d("900.00"),
    )
    assert stored.version == 2


def test_negative_figures_are_refused(cast, agreement):
    errors = refusal(lambda: figure(cast, agreement, 2024, "-1", "0", "0"))
    assert errors == {"output_value": ["An amount cannot be negative."]}


# --- the attributed totals ----------------------------------------------------------------------


@pytest.fixture
def fixed(cast, r):
    """Two agreements of 恩平 and one of 台山 that must not count."""
    water_park(cast, r)
    appliance_park(cast, r)
    foreign = BenefitAgreementFactory(
        government=cast.taishan, introducing_region=cast.taishan, host_region=r.enping
    )
    BenefitFigure.objects.create(
        agreement=foreign, year=2024, output_value=d("999"), tax=d("9"), investment=d("9")
    )
    return r


def test_attributed_totals_across_two_terms_and_two_agreements(cast, fixed):
    r = fixed
    report = benefits.benefit_report(government=cast.enping)
    totals = report.totals
    assert report.years == [2022, 2023, 2024, 2026]
    # the government first, then by code
    assert [region.name for region in report.regions] == ["恩平市", "蓬江区", "江海区", "中山市"]
    # first term of the water park (50/30/20, investment 60/25/15)
    assert totals.region_year(r.enping.pk, 2022) == Amounts(d("500"), d("50"), d("3600"))
    assert totals.region_year(r.jianghai.pk, 2023) == Amounts(d("600"), d("28.8"), d("1875"))
    # 2024: the water park's second term (40/35/25) plus 70 % of the appliance park
    assert totals.region_year(r.enping.pk, 2024) == Amounts(d("2033.332"), d("83.02"), d("13600"))
    assert totals.region_year(r.pengjiang.pk, 2024) == Amounts(
        d("833.3325"), d("30.0125"), d("1600")
    )
    assert totals.region_year(r.zhongshan.pk, 2024) == Amounts(d("300"), d("15"), d("2400"))
    assert totals.region_total(r.enping.pk) == Amounts(d("3533.332"), d("181.02"), d("21700"))


def test_years_without_a_covering_term_are_reported_unshared(cast, fixed):
    report = benefits.benefit_report(government=cast.enping)
    assert [(u.agreement.name, u.year) for u in report.unshared] == [
        ("中山(恩平)智能家电产业园利益分享协议", 2026)
    ]
    assert report.totals.unshared == {2026: Amounts(d("500"), d("20"), d("100"))}
    assert all(report.totals.region_year(region.pk, 2026) == Amounts() for region in report.regions)


def test_regions_and_unshared_add_up_to_the_figures_exactly(cast, fixed):
    report = benefits.benefit_report(government=cast.enping)
    totals = report.totals
    for year in report.years:
        parts = sum((totals.region_year(region.pk, year) for region in report.regions), Amounts())
        assert parts + totals.unshared.get(year, Amounts()) == totals.figures[year]
    assert totals.figures[2024] == Amounts(d("4333.33"), d("170.05"), d("20000"))


def test_the_report_keeps_to_the_years_asked_for(cast, fixed):
    report = benefits.benefit_report(government=cast.enping, first_year=2023, last_year=2024)
    assert report.years == [2023, 2024]
    assert report.unshared == []
    assert report.totals.region_total(fixed.enping.pk).output_value == d("3033.332")


def test_an_agreement_splits_its_own_years(cast, fixed):
    water = benefits.agreement_for_page(cast.viewer).get(name="江门水都产业园利益分享协议")
    splits = benefits.agreement_splits(water)
    assert [(s.year, s.span.start if s.span else None) for s in splits] == [
        (2022, 2022),
        (2023, 2022),
        (2024, 2024),
    ]
    assert splits[2].by_region[fixed.jianghai.pk].output_value == d("1166.6655")
    assert [region.name for region in benefits.agreement_regions(water)] == [
        "恩平市",
        "江海区",
        "蓬江区",
    ]


def test_agreements_are_read_within_the_government(cast, fixed):
    assert benefits.visible_agreements(cast.viewer).count() == 2
    assert benefits.visible_agreements(cast.encheng_staff).count() == 2
    assert benefits.visible_agreements(cast.outsider).count() == 1  # 台山's own


# --- the arithmetic -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "shared"),
    [
        ((2024, 2028), (2029, None), None),
        ((2024, 2028), (2028, 2030), (2028, 2028)),
        ((2024, None), (2020, 2023), None),
        ((2024, None), (2030, None), (2030, None)),
        ((2024, None), (2020, 2025), (2024, 2025)),
    ],
)
def test_overlap_of_two_periods(a, b, shared):
    assert overlap(*a, *b) == shared
    assert overlap(*b, *a) == shared


def test_amounts_are_rounded_half_up_only_when_shown():
    assert shown(Decimal("0.125")) == Decimal("0.13")
    assert shown(Decimal("1166.6655")) == Decimal("1166.67")
    assert shown(Decimal("30.0125")) == Decimal("30.01")
    assert percent_text(Decimal("100.00")) == "100"
    assert percent_text(Decimal("99.990")) == "99.99"
    assert percent_text(Decimal("33.50")) == "33.5"
