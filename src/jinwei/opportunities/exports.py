"""The opportunities as an Excel workbook: one sheet of opportunities with their counts, one of
items with the actions linked to each and a column that flags the items nobody acts on."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Sequence
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jinwei.accounts.models import Region
from jinwei.lib import xlsx
from jinwei.opportunities import selectors
from jinwei.opportunities.models import Opportunity
from jinwei.opportunities.selectors import ActionRow, OpportunityRows


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def action_text(row: ActionRow) -> str:
    """ "Task RW-008 … (In progress)": what acts on the item and how it stands."""
    if not row.state:
        return _("%(kind)s: %(title)s") % {"kind": row.kind_label, "title": row.title}
    return _("%(kind)s: %(title)s (%(state)s)") % {
        "kind": row.kind_label,
        "title": row.title,
        "state": row.state,
    }


def opportunity_sheet(opportunities: QuerySet[Opportunity], government: Region) -> xlsx.Sheet:
    """`opportunities` must carry the counts of `selectors.with_counts`."""
    columns = [
        xlsx.Column(_("Opportunity"), 36),
        xlsx.Column(_("Kind"), 14),
        xlsx.Column(_("Level"), 10),
        xlsx.Column(_("Issued by"), 24),
        xlsx.Column(_("Source document"), 36),
        xlsx.Column(_("Date"), 12),
        xlsx.Column(_("Responsible unit"), 18),
        xlsx.Column(_("Items"), 8, decimals=0),
        xlsx.Column(_("Items without action"), 12, decimals=0),
        xlsx.Column(_("Illustrative"), 10),
    ]

    def row(o: Any) -> list[Any]:
        return [
            o.title,
            o.get_kind_display(),
            o.get_level_display(),
            o.issuer,
            o.source_document,
            o.issued_on,
            o.unit.name if o.unit else "",
            o.item_count,
            o.flagged_count,
            _yes_no(o.is_illustrative),
        ]

    return xlsx.Sheet(
        title=_("Opportunities and policies of %(government)s") % {"government": government.name},
        name=_("Opportunities"),
        columns=columns,
        rows=(row(o) for o in opportunities),
    )


def item_sheet(rows: Sequence[OpportunityRows], government: Region) -> xlsx.Sheet:
    columns = [
        xlsx.Column(_("Opportunity"), 30),
        xlsx.Column(_("No."), 6, decimals=0),
        xlsx.Column(_("Item"), 40),
        xlsx.Column(_("Area"), 14),
        xlsx.Column(_("Linked actions"), 60),
        xlsx.Column(_("Number of actions"), 10, decimals=0),
        xlsx.Column(_("No action linked"), 12),
    ]

    def lines() -> Iterator[list[Any]]:
        for opportunity in rows:
            for item in opportunity.items:
                yield [
                    opportunity.opportunity.title,
                    item.item.number,
                    item.item.title,
                    item.item.get_area_display(),
                    "\n".join(action_text(a) for a in item.actions),
                    len(item.actions),
                    _yes_no(item.is_flagged),
                ]

    return xlsx.Sheet(
        title=_("Items of the opportunities of %(government)s and their actions")
        % {"government": government.name},
        name=_("Items"),
        columns=columns,
        rows=lines(),
    )


def workbook_sheets(
    opportunities: QuerySet[Opportunity], government: Region, today: datetime.date
) -> list[xlsx.Sheet]:
    """Both sheets for the opportunities of the list (with its counts and filter)."""
    rows = selectors.rows_for_export(opportunities, government.pk, today)
    return [opportunity_sheet(opportunities, government), item_sheet(rows, government)]
