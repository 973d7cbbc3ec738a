"""Lead services: creating and editing, the stage rules (allowed and refused moves), dropping,
the contact log, rights and the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from jinwei.audit.models import AuditEntry
from jinwei.audit.services import StaleVersionError
from jinwei.investment import services
from jinwei.investment.models import Lead, LeadContact, LeadStageChange
from jinwei.investment.services import LeadRefused
from tests.investment.pipeline_helpers import Stage, days_ago, move, new_lead, sign, today
from tests.projects.factories import ChainLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english() -> Iterator[None]:
    """The refusals are matched on their English text (the site's default language is Chinese)."""
    with translation.override("en"):
        yield


def stages_of(lead: Lead) -> list[tuple[str, str]]:
    return [
        (c.from_stage, c.to_stage) for c in LeadStageChange.objects.filter(lead=lead).order_by("id")
    ]


def audit_of(lead: Lead) -> list[AuditEntry]:
    content_type = ContentType.objects.get_for_model(Lead)
    return list(
        AuditEntry.objects.filter(content_type=content_type, object_id=str(lead.pk)).order_by("id")
    )


# --- create and edit ----------------------------------------------------------------------------


def test_a_new_lead_records_its_first_stage_and_is_audited(cast):
    lead = new_lead(cast, stage=Stage.CONTACT, stage_since=days_ago(30))
    change = LeadStageChange.objects.get(lead=lead)
    assert (change.from_stage, change.to_stage, change.on) == ("", Stage.CONTACT, days_ago(30))
    assert change.actor == cast.investment
    assert [e.action for e in audit_of(lead)] == [AuditEntry.Action.CREATE]
    assert audit_of(lead)[0].government_id == cast.enping.pk


def test_a_new_lead_cannot_start_signed_or_later(cast):
    for stage in (Stage.SIGNED, Stage.REGISTERED, Stage.LANDED):
        with pytest.raises(LeadRefused) as refused:
            new_lead(cast, stage=stage)
        assert refused.value.field == "stage"
    assert not Lead.objects.exists()


def test_a_new_lead_cannot_start_in_the_future(cast):
    with pytest.raises(LeadRefused, match="in the future"):
        new_lead(cast, stage_since=days_ago(-1))


@pytest.mark.parametrize("who", ["encheng_staff", "hengpi_staff", "leader", "viewer", "outsider"])
def test_only_investment_staff_and_managers_create_leads(cast, who):
    with pytest.raises(PermissionDenied):
        new_lead(cast, actor=getattr(cast, who))
    assert not Lead.objects.exists()


@pytest.mark.parametrize("who", ["investment", "supervisor", "admin"])
def test_investment_staff_supervisors_and_admins_create_leads(cast, who):
    assert new_lead(cast, actor=getattr(cast, who)).pk


def test_the_owner_unit_and_chain_must_be_of_the_leads_government(cast):
    with pytest.raises(ValidationError) as error:
        new_lead(cast, owner_unit=cast.taishan.units.get())
    assert "owner_unit" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        new_lead(cast, chain_link=ChainLinkFactory(chain__government=cast.taishan))
    assert "chain_link" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        new_lead(cast, owner=cast.outsider)
    assert "owner" in error.value.message_dict


def test_editing_changes_the_facts_and_is_audited(cast):
    lead = new_lead(cast)
    link = ChainLinkFactory(chain__government=cast.enping)
    edited = services.lead_update(
        actor=cast.investment,
        lead=lead,
        changes={
            "intended_investment": Decimal("35000"),
            "chain_link": link,
            "next_action": "回访",
        },
        expected_version=lead.version,
    )
    assert edited.intended_investment == Decimal("35000")
    assert edited.chain_link == link
    assert edited.version == lead.version + 1
    assert Decimal(audit_of(lead)[-1].after["intended_investment"]) == Decimal("35000")


def test_editing_refuses_a_stale_version_and_the_stage(cast):
    lead = new_lead(cast)
    services.lead_update(
        actor=cast.investment, lead=lead, changes={"notes": "一"}, expected_version=lead.version
    )
    with pytest.raises(StaleVersionError):
        services.lead_update(
            actor=cast.investment, lead=lead, changes={"notes": "二"}, expected_version=lead.version
        )
    with pytest.raises(ValueError, match="stage"):
        services.lead_update(
            actor=cast.investment, lead=lead, changes={"stage": Stage.LANDED}, expected_version=None
        )


def test_unit_staff_cannot_edit_leads(cast):
    lead = new_lead(cast, owner_unit=cast.encheng, owner=None)
    with pytest.raises(PermissionDenied):
        services.lead_update(
            actor=cast.encheng_staff, lead=lead, changes={"notes": "x"}, expected_version=None
        )


# --- moves --------------------------------------------------------------------------------------


def test_it_moves_forward_one_or_more_stages_up_to_negotiation(cast):
    lead = new_lead(cast)
    lead = move(cast, lead, Stage.CONTACT, 90)
    lead = move(cast, lead, Stage.NEGOTIATION, 80)  # skipping the site visit
    assert (lead.stage, lead.stage_since) == (Stage.NEGOTIATION, days_ago(80))
    assert stages_of(lead) == [
        ("", Stage.CLUE),
        (Stage.CLUE, Stage.CONTACT),
        (Stage.CONTACT, Stage.NEGOTIATION),
    ]
    updates = [e for e in audit_of(lead) if e.action == AuditEntry.Action.UPDATE]
    assert [e.after["stage"] for e in updates] == [Stage.CONTACT, Stage.NEGOTIATION]


def test_signing_is_not_a_move(cast):
    lead = new_lead(cast, stage=Stage.NEGOTIATION)
    with pytest.raises(LeadRefused, match="signing form"):
        move(cast, lead, Stage.SIGNED, 5)


@pytest.mark.parametrize("stage", [Stage.REGISTERED, Stage.LANDED])
def test_it_registers_and_lands_only_after_signing(cast, stage):
    lead = new_lead(cast, stage=Stage.NEGOTIATION)
    with pytest.raises(LeadRefused, match="only after it was signed"):
        move(cast, lead, stage, 5)
    assert Lead.objects.get(pk=lead.pk).stage == Stage.NEGOTIATION
    assert len(stages_of(lead)) == 1


def test_after_signing_it_registers_then_lands(cast):
    lead = new_lead(cast, stage=Stage.NEGOTIATION)
    sign(cast, lead, ago=20)
    lead = move(cast, Lead.objects.get(pk=lead.pk), Stage.REGISTERED, 10)
    lead = move(cast, lead, Stage.LANDED, 5)
    assert lead.stage == Stage.LANDED
    assert stages_of(lead)[-3:] == [
        (Stage.NEGOTIATION, Stage.SIGNED),
        (Stage.SIGNED, Stage.REGISTERED),
        (Stage.REGISTERED, Stage.LANDED),
    ]
    assert services.allowed_moves(lead) == []


def test_going_back_needs_a_note_before_signing(cast):
    lead = new_lead(cast, stage=Stage.VISIT)
    with pytest.raises(LeadRefused) as refused:
        move(cast, lead, Stage.CONTACT, 50)
    assert refused.value.field == "note"
    back = move(cast, lead, Stage.CONTACT, 50, note="投资方暂缓考察")
    assert back.stage == Stage.CONTACT
    assert LeadStageChange.objects.filter(lead=lead).last().note == "投资方暂缓考察"


def test_a_signed_lead_never_goes_back(cast):
    lead = new_lead(cast, stage=Stage.NEGOTIATION)
    sign(cast, lead)
    with pytest.raises(LeadRefused, match="does not go back"):
        move(cast, Lead.objects.get(pk=lead.pk), Stage.NEGOTIATION, 5, note="反悔")


def test_a_move_to_the_same_stage_is_refused(cast):
    lead = new_lead(cast, stage=Stage.CONTACT)
    with pytest.raises(LeadRefused, match="already at"):
        move(cast, lead, Stage.CONTACT, 5)


def test_a_move_is_dated_between_the_stage_start_and_today(cast):
    lead = new_lead(cast, stage_since=days_ago(10))
    with pytest.raises(LeadRefused, match="before the lead entered"):
        move(cast, lead, Stage.CONTACT, 11)
    with pytest.raises(LeadRefused, match="in the future"):
        move(cast, lead, Stage.CONTACT, -1)
    assert move(cast, lead, Stage.CONTACT, 10).stage_since == days_ago(10)


def test_a_move_refuses_a_stale_version(cast):
    lead = new_lead(cast)
    move(cast, lead, Stage.CONTACT, 50)
    with pytest.raises(StaleVersionError):
        services.lead_move(
            actor=cast.investment,
            lead=lead,
            to_stage=Stage.VISIT,
            on=today(),
            expected_version=lead.version,
        )


@pytest.mark.parametrize("who", ["encheng_staff", "leader", "viewer", "outsider"])
def test_only_managers_move_leads(cast, who):
    lead = new_lead(cast)
    with pytest.raises(PermissionDenied):
        services.lead_move(actor=getattr(cast, who), lead=lead, to_stage=Stage.CONTACT, on=today())
    assert Lead.objects.get(pk=lead.pk).stage == Stage.CLUE


def test_allowed_moves_follow_the_rules(cast):
    lead = new_lead(cast, stage=Stage.VISIT)
    assert services.allowed_moves(lead) == [Stage.CLUE, Stage.CONTACT, Stage.NEGOTIATION]
    sign(cast, lead)
    assert services.allowed_moves(Lead.objects.get(pk=lead.pk)) == [
        Stage.REGISTERED,
        Stage.LANDED,
    ]


# --- dropping -----------------------------------------------------------------------------------


def test_a_dropped_lead_keeps_its_stage_and_no_longer_moves(cast):
    lead = new_lead(cast, stage=Stage.CONTACT)
    dropped = services.lead_drop(actor=cast.investment, lead=lead, reason="投资方转投他处")
    assert (dropped.stage, dropped.dropped_on, dropped.drop_reason) == (
        Stage.CONTACT,
        today(),
        "投资方转投他处",
    )
    with pytest.raises(LeadRefused, match="dropped"):
        move(cast, dropped, Stage.VISIT, 0)
    with pytest.raises(LeadRefused, match="already dropped"):
        services.lead_drop(actor=cast.investment, lead=dropped, reason="again")
    assert services.allowed_moves(dropped) == []
    assert not services.may_sign(dropped)


def test_dropping_needs_a_reason_and_is_refused_after_signing(cast):
    lead = new_lead(cast, stage=Stage.NEGOTIATION)
    with pytest.raises(LeadRefused) as refused:
        services.lead_drop(actor=cast.investment, lead=lead, reason="  ")
    assert refused.value.field == "reason"
    sign(cast, lead)
    with pytest.raises(LeadRefused, match="signed lead cannot be dropped"):
        services.lead_drop(actor=cast.investment, lead=lead, reason="变卦")


def test_unit_staff_cannot_drop_a_lead(cast):
    lead = new_lead(cast)
    with pytest.raises(PermissionDenied):
        services.lead_drop(actor=cast.encheng_staff, lead=lead, reason="x")


# --- the contact log ----------------------------------------------------------------------------


def test_a_contact_is_logged_with_its_author_and_audited(cast):
    lead = new_lead(cast)
    contact = services.contact_add(
        actor=cast.investment,
        lead=lead,
        on=days_ago(3),
        kind=LeadContact.Kind.VISIT,
        summary="春节走访，介绍园区政策",
    )
    assert (contact.lead, contact.by, contact.on) == (lead, cast.investment, days_ago(3))
    event = audit_of(lead)[-1]
    assert event.action == AuditEntry.Action.EVENT
    assert event.after["contact_log"] == {"on": days_ago(3).isoformat(), "kind": "visit"}


def test_a_contact_needs_a_summary_a_past_date_and_the_right(cast):
    lead = new_lead(cast)
    kind = LeadContact.Kind.CALL
    with pytest.raises(LeadRefused, match="what was discussed"):
        services.contact_add(actor=cast.investment, lead=lead, on=today(), kind=kind, summary=" ")
    with pytest.raises(LeadRefused, match="future"):
        services.contact_add(
            actor=cast.investment, lead=lead, on=days_ago(-2), kind=kind, summary="x"
        )
    with pytest.raises(PermissionDenied):
        services.contact_add(
            actor=cast.encheng_staff, lead=lead, on=today(), kind=kind, summary="x"
        )
    assert not LeadContact.objects.exists()
