"""Writes on investment leads (招商线索): create, edit, move through the stages, drop, log a
contact, and sign — which turns the lead into a key project in one step.

The stage rules:

- a lead starts at any stage up to negotiation (线索 → 接洽 → 考察 → 谈判) and moves forward one or
  more stages at a time up to negotiation;
- it is signed (签约) only through `lead_sign`, which creates its project at the same time;
- it is registered (注册) and lands (落地) only after it was signed, forward only;
- before signing it may go back a stage or more (an investor cools off), with a note saying why;
  once signed it never goes back: its project exists;
- a dropped lead does not move (nor is it signed); a signed lead cannot be dropped.

Every move writes a `LeadStageChange` (time in stage and the funnel are measured from them) and an
audit entry, in one transaction. Two figures the funnel reads are kept here as the lead moves, so
it need not replay the history: the change a move (or signing, or dropping) ends gets its
`left_on` day and `days_in_stage`, and the lead's `top_stage` is the highest stage it ever
reached.

Every function checks the actor's right itself (investment staff, supervisors and admins manage
leads: `projects.access.may_manage`), so pages, API and demo loaders share the rules.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jinwei.accounts.models import Membership, OrgUnit, User
from jinwei.audit.models import AuditEntry
from jinwei.audit.services import (
    StaleVersionError,
    changes_since,
    record,
    tracked_create,
    tracked_update,
)
from jinwei.investment.models import Lead, LeadContact, LeadStageChange
from jinwei.projects.access import may_manage
from jinwei.projects.models import Park, Project
from jinwei.projects.services import project_create

Stage = Lead.Stage
log = logging.getLogger(__name__)

STAGES: tuple[str, ...] = tuple(Stage.values)
RANK: dict[str, int] = {stage: rank for rank, stage in enumerate(STAGES)}
SIGNED_RANK = RANK[Stage.SIGNED]
# where a lead may start, and how far `lead_move` takes it before signing
BEFORE_SIGNING: tuple[str, ...] = STAGES[:SIGNED_RANK]
AFTER_SIGNING: tuple[str, ...] = STAGES[SIGNED_RANK + 1 :]

# What `lead_update` may change; the stage, signing and dropping have their own services.
EDITABLE_FIELDS = (
    "company",
    "project_name",
    "industry",
    "chain_link",
    "intended_investment",
    "source",
    "source_detail",
    "owner_unit",
    "owner",
    "next_action",
    "next_action_on",
    "contact_name",
    "contact_phone",
    "contact_email",
    "notes",
    "is_illustrative",
)


class LeadRefused(Exception):
    """A step the lead's stage does not allow, or bad input; the message says why."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def rank(stage: str) -> int:
    return RANK[stage]


def is_signed(lead: Lead) -> bool:
    return RANK[lead.stage] >= SIGNED_RANK


def allowed_moves(lead: Lead) -> list[str]:
    """The stages `lead_move` can take the lead to now (signing is not one: see `lead_sign`)."""
    if lead.dropped_on is not None:
        return []
    here = RANK[lead.stage]
    if here >= SIGNED_RANK:
        return list(STAGES[here + 1 :])
    return [stage for stage in BEFORE_SIGNING if stage != lead.stage]


def may_sign(lead: Lead) -> bool:
    return lead.dropped_on is None and not is_signed(lead)


def _require_manager(actor: Any, government_id: int) -> None:
    if not may_manage(actor, government_id):
        raise PermissionDenied(
            _("Only investment staff, supervisors and administrators manage investment leads.")
        )


def _check_day(on: datetime.date, since: datetime.date | None, field: str = "on") -> None:
    """A step is dated today or earlier, and not before the lead entered its current stage."""
    if on > timezone.localdate():
        raise LeadRefused(
            _("The date %(date)s is in the future.") % {"date": on.isoformat()}, field
        )
    if since is not None and on < since:
        raise LeadRefused(
            _("The date %(date)s is before the lead entered its current stage (%(since)s).")
            % {"date": on.isoformat(), "since": since.isoformat()},
            field,
        )


def _check_belongs(lead: Lead) -> None:
    """Owner unit, owner and chain link all belong to the lead's government."""
    errors: dict[str, str] = {}
    if lead.owner_unit_id is not None and lead.owner_unit.government_id != lead.government_id:
        errors["owner_unit"] = _("The owner unit belongs to another government.")
    link = lead.chain_link if lead.chain_link_id is not None else None
    if link is not None and link.chain.government_id != lead.government_id:
        errors["chain_link"] = _("The chain link belongs to another government's chain.")
    if lead.owner_id is not None:
        works_here = Membership.objects.filter(
            user_id=lead.owner_id, unit__government_id=lead.government_id
        ).exists()
        if not works_here:
            errors["owner"] = _("The owner does not work for this government.")
    if errors:
        raise ValidationError(errors)


def top_stage_after(lead: Lead, to_stage: str) -> str:
    """The highest stage the lead has reached once it is at `to_stage`."""
    return max(lead.top_stage, lead.stage, to_stage, key=RANK.__getitem__)


def _close_stay(lead: Lead, on: datetime.date) -> None:
    """The lead leaves its current stage on the day `on`: its open stay ends there, and its
    length is kept for time in stage."""
    for stay in LeadStageChange.objects.filter(lead=lead, left_on__isnull=True).only("on"):
        stay.left_on, stay.days_in_stage = on, (on - stay.on).days
        stay.save(update_fields=["left_on", "days_in_stage"])


def _stage_change(
    actor: Any, lead: Lead, from_stage: str, on: datetime.date, note: str
) -> LeadStageChange:
    """Record the lead's move to its (new) current stage, ending the stay it left."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    if from_stage:
        _close_stay(lead, on)
    change = LeadStageChange(
        lead=lead,
        government_id=lead.government_id,
        from_stage=from_stage,
        to_stage=lead.stage,
        on=on,
        actor=user,
        note=note[:300],
    )
    change.full_clean()
    change.save()
    return change


def _locked(lead: Lead, expected_version: int | None) -> Lead:
    """The lead as it is now, locked for the transaction; refused if it changed meanwhile."""
    current = Lead.objects.select_for_update().select_related("government").get(pk=lead.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersionError(current, expected_version, changes_since(current, expected_version))
    return current


# --- create and edit ----------------------------------------------------------------------------


@transaction.atomic
def lead_create(*, actor: Any, lead: Lead, note: str = "") -> Lead:
    """Save a new lead at its first stage (any stage up to negotiation) and record that stage."""
    _require_manager(actor, lead.government_id)
    if lead.stage not in BEFORE_SIGNING:
        raise LeadRefused(
            _("A new lead starts at a stage up to negotiation; signing creates the project."),
            "stage",
        )
    if lead.stage_since is None:
        lead.stage_since = timezone.localdate()
    _check_day(lead.stage_since, None, "stage_since")
    lead.signed_on = lead.signed_investment = lead.project = lead.dropped_on = None
    lead.drop_reason = ""
    lead.top_stage = lead.stage
    _check_belongs(lead)
    tracked_create(actor=actor, obj=lead, note=note)
    _stage_change(actor, lead, "", lead.stage_since, note)
    return lead


@transaction.atomic
def lead_update(
    *,
    actor: Any,
    lead: Lead,
    changes: Mapping[str, Any],
    expected_version: int | None,
    note: str = "",
) -> Lead:
    """Change the lead's facts (company, amounts, owner, next action, contact…), not its stage."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"lead_update cannot change {sorted(unknown)}")
    _require_manager(actor, lead.government_id)
    current = _locked(lead, expected_version)
    probe = Lead(**{f.attname: getattr(current, f.attname) for f in Lead._meta.concrete_fields})
    for name, value in changes.items():
        setattr(probe, name, value)
    _check_belongs(probe)
    return tracked_update(
        actor=actor, obj=current, changes=changes, expected_version=current.version, note=note
    )


# --- the stages ---------------------------------------------------------------------------------


def _check_move(lead: Lead, to_stage: str, note: str) -> None:
    if lead.dropped_on is not None:
        raise LeadRefused(
            _("This lead was dropped on %(date)s; it no longer moves.")
            % {"date": lead.dropped_on.isoformat()}
        )
    if to_stage not in RANK:
        raise LeadRefused(_("“%(stage)s” is not a stage.") % {"stage": to_stage}, "to_stage")
    if to_stage == lead.stage:
        raise LeadRefused(
            _("The lead is already at the stage “%(stage)s”.") % {"stage": Stage(to_stage).label},
            "to_stage",
        )
    if to_stage == Stage.SIGNED:
        raise LeadRefused(
            _("A lead is signed with the signing form, which creates its project."), "to_stage"
        )
    here, there = RANK[lead.stage], RANK[to_stage]
    if here < SIGNED_RANK < there:
        raise LeadRefused(_("A lead is registered or lands only after it was signed."), "to_stage")
    if there < here and here >= SIGNED_RANK:
        raise LeadRefused(_("A signed lead does not go back: its project exists."), "to_stage")
    if there < here and not note.strip():
        raise LeadRefused(_("Say in the note why the lead goes back."), "note")


@transaction.atomic
def lead_move(
    *,
    actor: Any,
    lead: Lead,
    to_stage: str,
    on: datetime.date,
    note: str = "",
    expected_version: int | None = None,
) -> Lead:
    """Move the lead to another stage (see the module's rules), as of the day `on`."""
    _require_manager(actor, lead.government_id)
    current = _locked(lead, expected_version)
    _check_move(current, to_stage, note)
    _check_day(on, current.stage_since)
    from_stage = current.stage
    moved = tracked_update(
        actor=actor,
        obj=current,
        changes={
            "stage": to_stage,
            "stage_since": on,
            "top_stage": top_stage_after(current, to_stage),
        },
        expected_version=current.version,
        note=note,
    )
    _stage_change(actor, moved, from_stage, on, note)
    return moved


@transaction.atomic
def lead_drop(
    *,
    actor: Any,
    lead: Lead,
    reason: str,
    on: datetime.date | None = None,
    expected_version: int | None = None,
) -> Lead:
    """Give up a lead before signing, saying why; it stays in the funnel where it stopped."""
    _require_manager(actor, lead.government_id)
    current = _locked(lead, expected_version)
    if current.dropped_on is not None:
        raise LeadRefused(
            _("This lead was already dropped on %(date)s.")
            % {"date": current.dropped_on.isoformat()}
        )
    if is_signed(current):
        raise LeadRefused(
            _("A signed lead cannot be dropped: its project is followed on the project's page.")
        )
    if not reason.strip():
        raise LeadRefused(_("Say why the lead is dropped."), "reason")
    day = on or timezone.localdate()
    _check_day(day, current.stage_since)
    _close_stay(current, day)
    return tracked_update(
        actor=actor,
        obj=current,
        changes={"dropped_on": day, "drop_reason": reason.strip()},
        expected_version=current.version,
        note=reason.strip(),
    )


# --- the contact log ----------------------------------------------------------------------------


@transaction.atomic
def contact_add(
    *, actor: Any, lead: Lead, on: datetime.date, kind: str, summary: str
) -> LeadContact:
    """Log a visit, call, meeting… with the investor (in the lead's audit trail too)."""
    _require_manager(actor, lead.government_id)
    if not summary.strip():
        raise LeadRefused(_("Say what was discussed."), "summary")
    _check_day(on, None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    contact = LeadContact(lead=lead, on=on, kind=kind, summary=summary.strip(), by=user)
    contact.full_clean()
    contact.save()
    record(
        actor=actor,
        action=AuditEntry.Action.EVENT,
        obj=lead,
        after={"contact_log": {"on": on.isoformat(), "kind": kind}},
        note=_("Contact logged: %(kind)s") % {"kind": contact.get_kind_display()},
    )
    return contact


# --- signing ------------------------------------------------------------------------------------


def _check_sign(
    lead: Lead, on: datetime.date, signed_investment: Decimal, lead_unit: OrgUnit, park: Park | None
) -> None:
    if lead.dropped_on is not None:
        raise LeadRefused(
            _("This lead was dropped on %(date)s; it cannot be signed.")
            % {"date": lead.dropped_on.isoformat()}
        )
    if is_signed(lead):
        raise LeadRefused(_("This lead is already signed."))
    _check_day(on, lead.stage_since)
    if signed_investment is None or signed_investment < 0:
        raise LeadRefused(
            _("Give the signed investment (10,000 yuan, zero or more)."), "signed_investment"
        )
    if lead_unit.government_id != lead.government_id:
        raise LeadRefused(_("The lead unit belongs to another government."), "lead_unit")
    if park is not None and park.government_id != lead.government_id:
        raise LeadRefused(_("The park belongs to another government."), "park")


def project_from_lead(
    lead: Lead,
    *,
    on: datetime.date,
    signed_investment: Decimal,
    project_code: str,
    lead_unit: OrgUnit,
    kind: str,
    park: Park | None = None,
    planned_start: datetime.date | None = None,
    planned_completion: datetime.date | None = None,
    leader: User | None = None,
) -> Project:
    """The key project a signed lead becomes: everything known about it is carried over."""
    return Project(
        government_id=lead.government_id,
        code=project_code.strip(),
        name=lead.project_name or lead.company,
        kind=kind,
        description=lead.notes,
        park=park,
        chain_link_id=lead.chain_link_id,
        investor=lead.company,
        investor_contact=lead.contact_name,
        investor_phone=lead.contact_phone,
        investor_email=lead.contact_email,
        total_investment=signed_investment,
        lead_unit=lead_unit,
        leader=leader,
        stage=Project.Stage.SIGNED,
        planned_start=planned_start,
        planned_completion=planned_completion,
        signed_on=on,
        is_illustrative=lead.is_illustrative,
    )


@transaction.atomic
def lead_sign(
    *,
    actor: Any,
    lead: Lead,
    on: datetime.date,
    signed_investment: Decimal,
    project_code: str,
    lead_unit: OrgUnit,
    kind: str,
    park: Park | None = None,
    planned_start: datetime.date | None = None,
    planned_completion: datetime.date | None = None,
    leader: User | None = None,
    expected_version: int | None = None,
) -> Project:
    """Sign the lead: create its key project from it (no retyping), mark the lead signed and
    linked to the project, in one transaction. The lead keeps its stage history and contact log,
    which the project's page reaches through `project.lead`."""
    _require_manager(actor, lead.government_id)
    current = _locked(lead, expected_version)
    _check_sign(current, on, signed_investment, lead_unit, park)
    project = project_from_lead(
        current,
        on=on,
        signed_investment=signed_investment,
        project_code=project_code,
        lead_unit=lead_unit,
        kind=kind,
        park=park,
        planned_start=planned_start,
        planned_completion=planned_completion,
        leader=leader,
    )
    note = _("Signed from the investment lead “%(company)s”.") % {"company": current.company}
    project = project_create(actor=actor, project=project, note=note)
    from_stage = current.stage
    signed = tracked_update(
        actor=actor,
        obj=current,
        changes={
            "stage": Stage.SIGNED,
            "stage_since": on,
            "top_stage": top_stage_after(current, Stage.SIGNED),
            "signed_on": on,
            "signed_investment": signed_investment,
            "project": project,
        },
        expected_version=current.version,
        note=note,
    )
    _stage_change(actor, signed, from_stage, on, note)
    _feed_quietly(actor, signed, on.year)
    return project


def _feed_quietly(actor: Any, lead: Lead, year: int) -> None:
    """Bring the configured indicator up to date after a signing; a refusal there (an approved
    figure, no right to enter it) must not undo the signing: the funnel page shows the
    difference and writes it on request, with the reasons."""
    from jinwei.investment.funnel import FeedRefused, feed_indicator

    try:
        with transaction.atomic():
            feed_indicator(actor=actor, government=lead.government, year=year)
    except (FeedRefused, PermissionDenied, ValidationError) as error:
        log.info("signed investment of %s not fed to its indicator: %s", lead.government, error)
