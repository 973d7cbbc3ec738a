"""The task list's filters: a GET form whose valid fields become `selectors.TaskFilters`.

The same query string drives the page, its htmx refresh, the pages of the table, the saved views
and the ledger export, so a filter means the same thing everywhere. An invalid value is reported
next to its field and ignored; the other filters still apply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import OrgUnit, Region, User
from jinwei.tasks import selectors
from jinwei.tasks.models import Task
from jinwei.tasks.selectors import ACTIVE, CO, LEAD, GoalNode, TaskFilters
from jinwei.tasks.timing import Colour, TimeStatus

MINE = "mine"
# Every key the list understands, in the order a saved query keeps them ("page" is not one).
FILTER_KEYS = (
    "government",
    "q",
    "unit",
    "role",
    "goal",
    "colour",
    "state",
    "status",
    "leader",
    "deadline_from",
    "deadline_to",
    "report_due",
    "returned",
    "pending",
    "sort",
)
QUERY_MAX_LENGTH = 500


def canonical_query(data: Mapping[str, Any], **changes: str) -> str:
    """The filters of `data` as a query string: known keys only, empty values dropped.

    `changes` sets (or, with "", removes) keys, e.g. for the links of the colour counts.
    """
    values = {key: str(data.get(key, "")).strip() for key in FILTER_KEYS}
    values.update(changes)
    return urlencode([(key, value) for key, value in values.items() if value])


def clean_saved_query(raw: str) -> str:
    """A saved view's query string, reduced to the list's filters (raises on an overlong one)."""
    query = canonical_query(QueryDict(raw.lstrip("?")))
    if len(query) > QUERY_MAX_LENGTH:
        raise forms.ValidationError(_("These filters are too long to save as a view."))
    return query


def chosen_government(data: Mapping[str, Any], governments: Sequence[Region]) -> Region:
    """The government asked for, if the viewer reads it; else the first of theirs."""
    wanted = str(data.get("government", ""))
    return next((g for g in governments if str(g.pk) == wanted), governments[0])


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TaskFilterForm(forms.Form):
    q = forms.CharField(label=_("Code or title contains"), max_length=100, required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    role = forms.ChoiceField(
        label=_("Unit's part"),
        required=False,
        choices=[("", _("Lead or co-unit")), (LEAD, _("As lead unit")), (CO, _("As co-unit"))],
    )
    goal = forms.ChoiceField(label=_("Goal (with the goals under it)"), required=False)
    colour = forms.ChoiceField(
        label=_("Colour"),
        required=False,
        choices=[("", _("Any colour")), *((c.value, c.label) for c in selectors.COLOURS)],
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("Any state")),
            (ACTIVE, _("Ongoing (assigned, not yet closed)")),
            *Task.State.choices,
        ],
    )
    status = forms.ChoiceField(
        label=_("Time status"),
        required=False,
        choices=[("", _("Any time status")), *((s.value, s.label) for s in TimeStatus)],
    )
    leader = forms.ChoiceField(label=_("Responsible leader"), required=False)
    deadline_from = _date_field(_("Deadline from"))
    deadline_to = _date_field(_("Deadline to"))
    report_due = _date_field(_("Report due by"))
    returned = forms.BooleanField(label=_("Returned for more work"), required=False)
    pending = forms.BooleanField(label=_("With a request waiting for a decision"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"), required=False, choices=list(selectors.SORT_LABELS.items())
    )
    government = forms.ChoiceField(label=_("Government"), required=False)

    MAIN = ("q", "unit", "role", "colour", "state", "leader", "sort")

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        governments: Sequence[Region],
        government: Region,
        units: Sequence[OrgUnit],
        goals: Sequence[GoalNode],
        leaders: Sequence[User],
        my_units: Sequence[int],
    ) -> None:
        super().__init__(data)
        self.region = government
        self.my_units = tuple(my_units)
        self.goals = {str(node.id): node for node in goals}
        self._set_choices(governments, units, goals, leaders)

    def _set_choices(
        self,
        governments: Sequence[Region],
        units: Sequence[OrgUnit],
        goals: Sequence[GoalNode],
        leaders: Sequence[User],
    ) -> None:
        fields: Any = self.fields
        mine = [(MINE, _("My units"))] if self.my_units else []
        by_kind: dict[str, list[tuple[str, str]]] = {}
        for unit in units:
            by_kind.setdefault(unit.get_kind_display(), []).append((str(unit.pk), unit.name))
        fields["unit"].choices = [("", _("All units")), *mine, *by_kind.items()]
        fields["goal"].choices = [("", _("All goals"))] + [
            (str(node.id), "\u3000" * node.depth + node.title) for node in goals
        ]
        fields["leader"].choices = [("", _("Any leader"))] + [(str(u.pk), str(u)) for u in leaders]
        fields["government"].choices = [(str(g.pk), g.name) for g in governments]
        if len(governments) < 2:
            fields["government"].widget = forms.HiddenInput()

    @property
    def more_fields(self) -> list[forms.BoundField]:
        """The filters behind "More filters" (the others show at once)."""
        return [self[name] for name in self.fields if name not in (*self.MAIN, "government")]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MAIN]

    @property
    def opens_more(self) -> bool:
        return any(self.data.get(f.name) for f in self.more_fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("deadline_from"), data.get("deadline_to")
        if start and end and start > end:
            self.add_error("deadline_to", _("The end of the deadline range is before its start."))
        return data

    def filters(self) -> TaskFilters:
        """The valid filters (after `is_valid()`; an invalid field is left out)."""
        self.is_valid()
        data = self.cleaned_data
        unit = data.get("unit") or ""
        goal = self.goals.get(data.get("goal") or "")
        colour, status = data.get("colour"), data.get("status")
        return TaskFilters(
            government_id=self.region.pk,
            text=(data.get("q") or "").strip(),
            unit_ids=self.my_units if unit == MINE else (int(unit),) if unit else (),
            unit_role=data.get("role") or "",
            goal_ids=goal.descendants if goal else (),
            colour=Colour(colour) if colour else None,
            state=data.get("state") or "",
            status=TimeStatus(status) if status else None,
            leader_id=int(data["leader"]) if data.get("leader") else None,
            deadline_from=data.get("deadline_from"),
            deadline_to=data.get("deadline_to"),
            report_due_by=data.get("report_due"),
            returned=bool(data.get("returned")),
            pending_request=bool(data.get("pending")),
            sort=data.get("sort") or "deadline",
        )


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Name of the view"), max_length=60)
    query = forms.CharField(required=False, widget=forms.HiddenInput())

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the view a name."))
        return name

    def clean_query(self) -> str:
        return clean_saved_query(self.cleaned_data.get("query") or "")
