"""Excel sheets of the lead pages: the list (the page's columns, contacts only for whom may see
them) and the funnel's tables. Rows are streamed, so a list of 50,000 leads keeps memory flat."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, cast

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region
from jinwei.investment.funnel import STAGES, Figures, Funnel
from jinwei.investment.models import Lead
from jinwei.lib import xlsx

CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
CHUNK = 2000


def _label(name: str) -> str:
    return str(capfirst(getattr(Lead._meta.get_field(name), "verbose_name", name)))


def lead_columns(*, contacts: bool) -> list[xlsx.Column]:
    columns = [
        xlsx.Column(_label("company"), 30),
        xlsx.Column(_label("project_name"), 30),
        xlsx.Column(_label("industry"), 16),
        xlsx.Column(_label("chain_link"), 24),
        xlsx.Column(_label("source"), 20),
        xlsx.Column(_label("source_detail"), 20),
        xlsx.Column(_label("stage"), 12),
        xlsx.Column(_label("stage_since"), 12),
        xlsx.Column(_label("intended_investment"), 14, decimals=2),
        xlsx.Column(_label("owner_unit"), 16),
        xlsx.Column(_label("owner"), 12),
        xlsx.Column(_label("next_action"), 30),
        xlsx.Column(_label("next_action_on"), 12),
        xlsx.Column(_label("signed_on"), 12),
        xlsx.Column(_label("signed_investment"), 14, decimals=2),
        xlsx.Column(_("Project code"), 14),
        xlsx.Column(_label("dropped_on"), 12),
        xlsx.Column(_label("drop_reason"), 30),
    ]
    if contacts:
        columns += [xlsx.Column(_label(name), 18) for name in CONTACT_FIELDS]
    return columns


def lead_row(lead: Lead, *, contacts: bool) -> list[object]:
    row: list[object] = [
        lead.company,
        lead.project_name,
        lead.industry,
        str(lead.chain_link) if lead.chain_link else "",
        lead.get_source_display(),
        lead.source_detail,
        lead.get_stage_display(),
        lead.stage_since,
        lead.intended_investment,
        lead.owner_unit.name,
        str(lead.owner) if lead.owner else "",
        lead.next_action,
        lead.next_action_on,
        lead.signed_on,
        lead.signed_investment,
        lead.project.code if lead.project else "",
        lead.dropped_on,
        lead.drop_reason,
    ]
    if contacts:
        row += [getattr(lead, name) for name in CONTACT_FIELDS]
    return row


def lead_sheet(leads: QuerySet[Lead], *, government: Region, contacts: bool) -> xlsx.Sheet:
    rows: Iterator[list[object]] = (
        lead_row(lead, contacts=contacts) for lead in leads.iterator(chunk_size=CHUNK)
    )
    title = _("%(government)s investment leads, %(date)s") % {
        "government": government.name,
        "date": timezone.localdate().isoformat(),
    }
    return xlsx.Sheet(
        title=title,
        columns=lead_columns(contacts=contacts),
        # the writer only iterates over the rows, so a generator streams them
        rows=cast("Sequence[Sequence[object]]", rows),
        name=_("Investment leads"),
    )


# --- the funnel ---------------------------------------------------------------------------------


def stage_sheet(result: Funnel, title: str) -> xlsx.Sheet:
    columns = [
        xlsx.Column(_("Stage"), 14),
        xlsx.Column(_("Now at the stage"), 12, decimals=0),
        xlsx.Column(_("Dropped at the stage"), 12, decimals=0),
        xlsx.Column(_("Intended investment (10,000 yuan)"), 16, decimals=2),
        xlsx.Column(_("Signed investment (10,000 yuan)"), 16, decimals=2),
        xlsx.Column(_("Reached the stage"), 12, decimals=0),
        xlsx.Column(_("Went on to the next stage"), 14, decimals=1),
        xlsx.Column(_("Finished stays"), 10, decimals=0),
        xlsx.Column(_("Mean days in stage"), 12, decimals=1),
        xlsx.Column(_("Median days in stage"), 12, decimals=1),
        xlsx.Column(_("Median days so far (still in stage)"), 14, decimals=1),
    ]
    rows = [
        [
            row.label,
            row.active,
            row.dropped,
            row.intended,
            row.signed,
            row.reached,
            row.conversion,
            row.time.stays,
            row.time.mean_days,
            row.time.median_days,
            row.time.median_days_so_far,
        ]
        for row in result.stages
    ]
    return xlsx.Sheet(title=title, columns=columns, rows=rows, name=_("By stage"))


def group_columns(first: str) -> list[xlsx.Column]:
    stage_columns = [xlsx.Column(str(Lead.Stage(stage).label), 10, decimals=0) for stage in STAGES]
    return [
        xlsx.Column(first, 24),
        xlsx.Column(_("Leads"), 10, decimals=0),
        *stage_columns,
        xlsx.Column(_("Dropped"), 10, decimals=0),
        xlsx.Column(_("Share signed"), 10, decimals=1),
        xlsx.Column(_("Intended investment (10,000 yuan)"), 16, decimals=2),
        xlsx.Column(_("Signed investment (10,000 yuan)"), 16, decimals=2),
        xlsx.Column(_("Signed in the year (10,000 yuan)"), 16, decimals=2),
    ]


def group_row(group: Figures) -> list[Any]:
    return [
        group.label,
        group.leads,
        *group.active_by_stage,
        group.total_dropped,
        group.signed_rate,
        group.total_intended,
        group.total_signed,
        group.signed_in_year,
    ]


def funnel_sheets(result: Funnel, government: Region) -> list[xlsx.Sheet]:
    title = _("%(government)s investment funnel, %(year)s") % {
        "government": government.name,
        "year": result.year,
    }
    return [
        stage_sheet(result, title),
        xlsx.Sheet(
            title=title,
            columns=group_columns(_("Source")),
            rows=[group_row(g) for g in [*result.by_source, result.total]],
            name=_("By source"),
        ),
        xlsx.Sheet(
            title=title,
            columns=group_columns(_("Industry chain")),
            rows=[group_row(g) for g in [*result.by_chain, result.total]],
            name=_("By chain"),
        ),
    ]
