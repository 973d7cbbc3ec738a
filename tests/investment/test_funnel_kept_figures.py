"""The figures the services keep for the funnel as leads move: the end and length of each stay
(`LeadStageChange.left_on`, `days_in_stage`) and the highest stage reached (`Lead.top_stage`)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from jinwei.investment import funnel, services
from jinwei.investment.funnel import FunnelFilters
from jinwei.investment.models import Lead, LeadStageChange
from tests.investment.factories import LeadFactory
from tests.investment.pipeline_helpers import Stage, days_ago, move, new_lead, sign, today

pytestmark = pytest.mark.django_db


def stays(lead: Lead) -> list[tuple[str, object, object]]:
    changes = LeadStageChange.objects.filter(lead=lead).order_by("id")
    return [(c.to_stage, c.left_on, c.days_in_stage) for c in changes]


def test_a_move_ends_the_stay_it_leaves(cast):
    lead = new_lead(cast, stage_since=days_ago(30))
    assert stays(lead) == [(Stage.CLUE, None, None)]
    move(cast, lead, Stage.VISIT, 12)
    assert stays(lead) == [(Stage.CLUE, days_ago(12), 18), (Stage.VISIT, None, None)]


def test_signing_ends_the_stay_at_negotiation(cast):
    lead = new_lead(cast, stage=Stage.NEGOTIATION, stage_since=days_ago(40))
    sign(cast, lead, ago=10)
    assert stays(lead) == [(Stage.NEGOTIATION, days_ago(10), 30), (Stage.SIGNED, None, None)]


def test_dropping_ends_the_last_stay(cast):
    lead = new_lead(cast, stage=Stage.CONTACT, stage_since=days_ago(20))
    services.lead_drop(actor=cast.investment, lead=lead, reason="转投他处", on=days_ago(5))
    assert stays(lead) == [(Stage.CONTACT, days_ago(5), 15)]


def test_a_refused_move_ends_no_stay(cast):
    lead = new_lead(cast, stage_since=days_ago(30))
    with pytest.raises(services.LeadRefused):
        move(cast, lead, Stage.CONTACT, 40)  # before the lead entered its stage
    assert stays(lead) == [(Stage.CLUE, None, None)]


def test_the_top_stage_stays_when_the_lead_goes_back(cast):
    lead = new_lead(cast, stage_since=days_ago(30))
    assert lead.top_stage == Stage.CLUE
    lead = move(cast, lead, Stage.NEGOTIATION, 20)
    assert lead.top_stage == Stage.NEGOTIATION
    lead = move(cast, lead, Stage.CONTACT, 10, note="投资方暂缓")
    assert (lead.stage, lead.top_stage) == (Stage.CONTACT, Stage.NEGOTIATION)
    sign(cast, lead, ago=5)
    assert Lead.objects.get(pk=lead.pk).top_stage == Stage.SIGNED


def test_a_new_lead_starts_with_its_stage_as_the_top(cast):
    assert new_lead(cast, stage=Stage.VISIT).top_stage == Stage.VISIT


def test_a_lead_written_without_the_services_counts_where_it_is(cast):
    """A row whose `top_stage` was left at its default still counts as reaching its stage."""
    LeadFactory(owner_unit=cast.investment_bureau, stage=Stage.VISIT, stage_since=today())
    result = funnel.funnel(
        government_id=cast.enping.pk, filters=FunnelFilters(), year=today().year, today=today()
    )
    reached = {row.stage: row.reached for row in result.stages}
    assert (reached[Stage.CLUE], reached[Stage.VISIT], reached[Stage.NEGOTIATION]) == (1, 1, 0)


def test_a_stay_cannot_end_without_its_length(cast):
    lead = new_lead(cast, stage_since=days_ago(30))
    with pytest.raises(IntegrityError):
        LeadStageChange.objects.filter(lead=lead).update(left_on=today())


def test_the_funnel_counts_are_whole_numbers(cast):
    """Counts come back as ints on every database (the chart and the export write them)."""
    new_lead(cast)
    result = funnel.funnel(
        government_id=cast.enping.pk, filters=FunnelFilters(), year=today().year, today=today()
    )
    counts = [result.total.active[Stage.CLUE], result.total.top[0]]
    assert counts == [1, 1]
    assert all(type(n) is int for n in counts)


def test_every_stay_carries_its_leads_government_and_the_funnel_counts_only_its_own(cast):
    ours = new_lead(cast, stage_since=days_ago(30))
    move(cast, ours, Stage.VISIT, 12)
    theirs = LeadFactory(owner_unit__government=cast.taishan, stage_since=days_ago(30))
    LeadStageChange.objects.create(
        lead=theirs, government=cast.taishan, to_stage=Stage.CLUE, on=days_ago(30)
    )
    assert set(LeadStageChange.objects.filter(lead=ours).values_list("government", flat=True)) == {
        cast.enping.pk
    }
    figures = funnel.funnel(
        government_id=cast.enping.pk, filters=FunnelFilters(), year=today().year, today=today()
    )
    clue = next(row for row in figures.stages if row.stage == Stage.CLUE)
    # ours left 恩平's clue stage once; 台山's lead, still at its clue stage, is not counted
    assert (clue.time.stays, clue.time.now_in_stage) == (1, 0)
