"""services.py: saving one value (form and API path), submission, approval, lock, reopening,
explanations. Every refusal leaves the database as it was."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jinwei.audit.models import AuditEntry
from jinwei.audit.services import StaleVersionError
from jinwei.indicators import services
from jinwei.indicators.models import Indicator, Observation, Target
from jinwei.indicators.progress import Colour
from jinwei.indicators.services import ObservationRejected
from jinwei.lib.periods import parse_period
from tests.indicators.factories import IndicatorFactory, ObservationFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the msgids); the default language is Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture
def gdp(cast):
    """A county figure reported by the statistics bureau."""
    return IndicatorFactory(owner_unit=cast.stats_bureau, code="gdp", name="地区生产总值")


@pytest.fixture
def sales(cast):
    """A monthly cumulative figure that 恩城街道 owns and reports for itself."""
    return IndicatorFactory(
        owner_unit=cast.encheng,
        code="encheng_sales",
        name="恩城社会消费品零售总额",
        frequency=Indicator.Frequency.MONTHLY,
        value_kind=Indicator.ValueKind.CUMULATIVE,
    )


def save(actor, indicator, value="100", **kwargs):
    where = kwargs.pop("where", None) or {"unit": indicator.owner_unit}
    return services.observation_save(
        actor=actor,
        indicator=indicator,
        period_text=kwargs.pop("period", "2024" if indicator.frequency == "annual" else "2024-06"),
        value_text=value,
        **where,
        **kwargs,
    )


def entries_for(obs):
    return AuditEntry.objects.filter(object_id=str(obs.pk), content_type__model="observation")


# ---------------------------------------------------------------------------- saving


def test_it_creates_a_draft_with_the_exact_value_and_an_audit_entry(cast, sales):
    saved = save(
        cast.encheng_staff, sales, value="1,234.5", growth_rate_text="6.1", source="统计月报"
    )
    obs = Observation.objects.get()
    assert saved.created and saved.observation == obs
    assert (obs.value, obs.growth_rate, obs.period) == (
        Decimal("1234.5"),
        Decimal("6.1"),
        "2024-06",
    )
    assert (obs.unit, obs.region, obs.status) == (cast.encheng, None, Observation.Status.DRAFT)
    assert obs.source == "统计月报"
    [entry] = entries_for(obs)
    assert entry.action == AuditEntry.Action.CREATE and entry.actor == cast.encheng_staff


def test_it_reads_the_period_as_people_write_it(cast, sales):
    save(cast.encheng_staff, sales, period="2024年1-6月")
    assert Observation.objects.get().period == "2024-06"


@pytest.mark.parametrize("who", ["hengpi_staff", "leader", "viewer", "outsider", "investment"])
def test_it_refuses_people_who_do_not_enter_for_the_unit(cast, sales, who):
    with pytest.raises(PermissionDenied):
        save(getattr(cast, who), sales)
    assert not Observation.objects.exists()
    assert not AuditEntry.objects.filter(content_type__model="observation").exists()


@pytest.mark.parametrize("who", ["encheng_staff", "statistician", "supervisor", "admin"])
def test_the_unit_and_the_statistics_office_may_enter(cast, sales, who):
    assert services.may_enter(getattr(cast, who), sales)
    save(getattr(cast, who), sales)
    assert Observation.objects.count() == 1


def test_staff_of_the_owning_unit_enter_the_county_figure_of_its_indicator(cast, gdp):
    save(cast.statistician, gdp, where={"region": cast.enping})
    assert Observation.objects.get().region == cast.enping
    with pytest.raises(PermissionDenied):
        save(cast.encheng_staff, gdp, where={"region": cast.enping}, value="101")


def test_it_reports_every_problem_at_once_and_writes_nothing(cast, sales):
    with pytest.raises(ObservationRejected) as rejected:
        save(cast.encheng_staff, sales, period="2024", value="lots", growth_rate_text="fast")
    codes = {(p.code, p.column) for p in rejected.value.problems}
    assert codes == {
        ("period_frequency", "period"),
        ("not_a_number", "value"),
        ("bad_growth_rate", "growth_rate"),
    }
    assert not Observation.objects.exists()


def test_it_needs_a_region_or_a_unit_not_both(cast, sales):
    with pytest.raises(ValueError, match="region or a unit"):
        services.observation_save(
            actor=cast.statistician, indicator=sales, period_text="2024-06", value_text="1"
        )


def test_a_second_save_is_a_revision_in_the_audit_trail(cast, sales):
    first = save(cast.encheng_staff, sales, value="100").observation
    second = save(cast.encheng_staff, sales, value="120", expected_version=first.version)
    assert not second.created
    assert second.observation.pk == first.pk
    assert second.observation.version == first.version + 1
    update = entries_for(first).get(action=AuditEntry.Action.UPDATE)
    assert update.before["value"] == "100.000000" and update.after["value"] == "120.000000"


def test_saving_the_same_figure_again_writes_no_revision(cast, sales):
    first = save(cast.encheng_staff, sales, value="100", growth_rate_text="6.1").observation
    again = save(
        cast.encheng_staff, sales, value="100.0", growth_rate_text="6.10", expected_version=1
    ).observation
    assert again.version == first.version == 1
    assert entries_for(first).count() == 1


def test_a_value_is_rounded_half_up_to_the_stored_places(cast, sales):
    save(cast.encheng_staff, sales, value="0.1234565")
    assert Observation.objects.get().value == Decimal("0.123457")


def test_a_stale_version_is_refused_and_nothing_changes(cast, sales):
    obs = save(cast.encheng_staff, sales, value="100").observation
    save(cast.statistician, sales, value="110", expected_version=obs.version)
    with pytest.raises(StaleVersionError) as stale:
        save(cast.encheng_staff, sales, value="120", expected_version=obs.version)
    assert "changed by someone else" in stale.value.message
    assert "统计员" in stale.value.message or "tom" in stale.value.message
    assert Observation.objects.get().value == Decimal("110")


def test_submit_sends_the_value_for_approval(cast, sales):
    obs = save(cast.encheng_staff, sales, submit=True).observation
    assert obs.status == Observation.Status.SUBMITTED
    assert obs.submitted_at is not None


def test_an_abnormal_swing_is_a_warning_and_the_value_is_saved(cast, sales):
    sales.swing_warning = Decimal(20)
    sales.save()
    ObservationFactory(indicator=sales, unit=cast.encheng, period="2023-06", value=Decimal(100))
    saved = save(cast.encheng_staff, sales, value="150")
    [warning] = saved.warnings
    assert warning.code == "abnormal_swing" and not warning.is_error
    assert Observation.objects.get(period="2024-06").value == Decimal(150)
    assert save(cast.encheng_staff, sales, value="120", expected_version=1).warnings == []


# ---------------------------------------------------------------------------- submit and approve


def test_observations_submit_moves_drafts_only(cast, sales):
    draft = ObservationFactory(indicator=sales, unit=cast.encheng, period="2024-05")
    approved = ObservationFactory(
        indicator=sales, unit=cast.encheng, period="2024-04", status=Observation.Status.APPROVED
    )
    assert (
        services.observations_submit(actor=cast.encheng_staff, observations=[draft, approved]) == 1
    )
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert draft.status == Observation.Status.SUBMITTED
    assert approved.status == Observation.Status.APPROVED


def test_observations_submit_refuses_another_units_values(cast, sales):
    draft = ObservationFactory(indicator=sales, unit=cast.encheng, period="2024-05")
    with pytest.raises(PermissionDenied):
        services.observations_submit(actor=cast.hengpi_staff, observations=[draft])
    draft.refresh_from_db()
    assert draft.status == Observation.Status.DRAFT


def test_approving_a_batch_locks_each_value(cast, sales):
    rows = [
        ObservationFactory(
            indicator=sales, unit=cast.encheng, period=p, status=Observation.Status.SUBMITTED
        )
        for p in ("2024-04", "2024-05")
    ]
    assert services.observations_approve(actor=cast.statistician, observations=rows) == 2
    for obs in Observation.objects.all():
        assert obs.is_locked
        assert obs.approved_by == cast.statistician and obs.approved_at is not None
        assert entries_for(obs).get(action=AuditEntry.Action.UPDATE).note == "approved"
    again = list(Observation.objects.all())
    assert services.observations_approve(actor=cast.statistician, observations=again) == 0


@pytest.mark.parametrize("who", ["encheng_staff", "hengpi_staff", "leader", "viewer"])
def test_only_statisticians_supervisors_and_admins_approve(cast, sales, who):
    obs = ObservationFactory(
        indicator=sales, unit=cast.encheng, status=Observation.Status.SUBMITTED, period="2024-06"
    )
    assert not services.may_approve(getattr(cast, who), cast.enping.pk)
    with pytest.raises(PermissionDenied):
        services.observations_approve(actor=getattr(cast, who), observations=[obs])
    obs.refresh_from_db()
    assert obs.status == Observation.Status.SUBMITTED
    for approver in (cast.statistician, cast.supervisor, cast.admin):
        assert services.may_approve(approver, cast.enping.pk)
    assert not services.may_approve(cast.statistician, cast.taishan.pk)


# ---------------------------------------------------------------------------- lock and reopen


@pytest.fixture
def approved(cast, sales):
    obs = save(cast.encheng_staff, sales, value="100", submit=True).observation
    services.observations_approve(actor=cast.statistician, observations=[obs])
    return Observation.objects.get(pk=obs.pk)


@pytest.mark.parametrize("who", ["encheng_staff", "statistician", "admin"])
def test_an_approved_value_cannot_be_changed_without_reopening(cast, sales, approved, who):
    with pytest.raises(ObservationRejected) as rejected:
        save(getattr(cast, who), sales, value="999", expected_version=approved.version)
    [problem] = rejected.value.problems
    assert (problem.code, problem.column) == ("locked", "value")
    assert "reopen" in problem.message
    assert Observation.objects.get().value == Decimal(100)


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_without_a_reason_is_refused(cast, approved, reason):
    with pytest.raises(ValidationError) as refused:
        services.observation_reopen(actor=cast.statistician, observation=approved, reason=reason)
    assert refused.value.message_dict == {"reason": ["Give the reason for reopening."]}
    assert Observation.objects.get().is_locked


def test_reopening_is_audited_with_the_reason_and_unlocks(cast, sales, approved):
    obs = services.observation_reopen(
        actor=cast.statistician, observation=approved, reason="统计局修订数据"
    )
    assert obs.status == Observation.Status.SUBMITTED
    assert obs.approved_by is None and obs.approved_at is None
    entry = entries_for(obs).filter(action=AuditEntry.Action.UPDATE).first()
    assert entry.note == "reopened: 统计局修订数据"
    assert entry.actor == cast.statistician
    assert entry.before["status"] == "approved" and entry.after["status"] == "submitted"
    save(cast.encheng_staff, sales, value="105", expected_version=obs.version)
    assert Observation.objects.get().value == Decimal(105)


def test_only_an_approved_value_is_reopened(cast, sales):
    obs = save(cast.encheng_staff, sales).observation
    with pytest.raises(ValidationError, match="Only an approved value"):
        services.observation_reopen(actor=cast.statistician, observation=obs, reason="why")


def test_unit_staff_cannot_reopen(cast, approved):
    with pytest.raises(PermissionDenied):
        services.observation_reopen(actor=cast.encheng_staff, observation=approved, reason="x")
    assert Observation.objects.get().is_locked


def test_reopening_a_stale_copy_is_refused(cast, approved):
    services.observation_reopen(actor=cast.statistician, observation=approved, reason="one")
    with pytest.raises(StaleVersionError):
        services.observation_reopen(actor=cast.supervisor, observation=approved, reason="two")


# ---------------------------------------------------------------------------- explanations


@pytest.fixture
def sales_target(cast, sales):
    """120 for 2024: by June, 60 is expected; below 24 is red (more than 30 points behind)."""
    return TargetFactory(indicator=sales, unit=cast.encheng, year=2024, value=Decimal(120))


def test_unit_staff_must_explain_a_red_value(cast, sales, sales_target):
    with pytest.raises(ObservationRejected) as rejected:
        save(cast.encheng_staff, sales, value="20")
    [problem] = rejected.value.problems
    assert (problem.code, problem.column) == ("explanation_required", "explanation")
    assert "恩城社会消费品零售总额" in problem.message and "33.3" in problem.message
    assert not Observation.objects.exists()


def test_a_red_value_with_an_explanation_is_saved(cast, sales, sales_target):
    obs = save(cast.encheng_staff, sales, value="20", explanation=" 商场装修停业 ").observation
    assert obs.explanation == "商场装修停业"
    assert obs.explanation_due is False


def test_a_yellow_or_green_value_needs_no_explanation(cast, sales, sales_target):
    assert save(cast.encheng_staff, sales, value="40").observation.explanation_due is False  # 16.7
    progress = services.target_progress(
        sales, {"unit": cast.encheng}, parse_period("2024-06"), Decimal(40), None
    )
    assert progress is not None and progress.colour == Colour.YELLOW


def test_a_statistician_saves_a_red_value_leaving_the_explanation_due(cast, sales, sales_target):
    obs = save(cast.statistician, sales, value="20").observation
    assert obs.explanation_due is True and obs.explanation == ""


def test_the_owning_unit_explains_later(cast, sales, sales_target):
    obs = save(cast.statistician, sales, value="20").observation
    explained = services.observation_explain(
        actor=cast.encheng_staff, observation=obs, explanation="受台风影响"
    )
    assert (explained.explanation, explained.explanation_due) == ("受台风影响", False)
    assert entries_for(obs).filter(action=AuditEntry.Action.UPDATE).exists()


def test_an_empty_explanation_is_refused(cast, sales, sales_target):
    obs = save(cast.statistician, sales, value="20").observation
    with pytest.raises(ValidationError) as refused:
        services.observation_explain(actor=cast.encheng_staff, observation=obs, explanation=" ")
    assert "explanation" in refused.value.message_dict
    assert Observation.objects.get().explanation_due is True


def test_another_unit_cannot_explain(cast, sales, sales_target):
    obs = save(cast.statistician, sales, value="20").observation
    with pytest.raises(PermissionDenied):
        services.observation_explain(actor=cast.hengpi_staff, observation=obs, explanation="x")


def test_a_corrected_value_clears_the_due_explanation(cast, sales, sales_target):
    obs = save(cast.statistician, sales, value="20").observation
    fixed = save(cast.encheng_staff, sales, value="70", expected_version=obs.version).observation
    assert fixed.explanation_due is False


# ---------------------------------------------------------------------------- targets


def test_a_growth_target_is_held_against_the_reported_growth(cast, gdp):
    TargetFactory(indicator=gdp, kind=Target.Kind.GROWTH, value=Decimal(6), year=2024)
    where = {"region": cast.enping}
    on_track = services.target_progress(gdp, where, parse_period("2024"), Decimal(1), Decimal(6))
    assert on_track is not None and on_track.colour == Colour.GREEN
    behind = services.target_progress(gdp, where, parse_period("2024"), Decimal(1), Decimal(3))
    assert behind is not None and behind.colour == Colour.RED


def test_a_growth_target_without_a_reported_rate_grows_last_years_total(cast, gdp):
    TargetFactory(indicator=gdp, kind=Target.Kind.GROWTH, value=Decimal(10), year=2024)
    where = {"region": cast.enping}
    assert services.target_progress(gdp, where, parse_period("2024"), Decimal(100), None) is None
    ObservationFactory(indicator=gdp, period="2023", value=Decimal(200))
    progress = services.target_progress(gdp, where, parse_period("2024"), Decimal(200), None)
    assert progress is not None
    assert progress.target_level == Decimal(220)
    assert progress.shortfall == Decimal(20)


def test_target_set_creates_then_revises(cast, gdp):
    target = services.target_set(
        actor=cast.supervisor,
        indicator=gdp,
        year=2024,
        kind="level",
        value=Decimal(250),
        region=cast.enping,
    )
    revised = services.target_set(
        actor=cast.supervisor,
        indicator=gdp,
        year=2024,
        kind="level",
        value=Decimal(260),
        region=cast.enping,
        expected_version=target.version,
    )
    assert revised.pk == target.pk and revised.value == Decimal(260)
