"""Forms of the task pages: the plan (with co-units and milestones), loop actions, progress
reports, postponement and cancellation requests, and the supervisor's decision on them.

The services decide what is allowed; the forms only turn input into values and put each error
next to its field.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.forms import VersionedFormMixin
from jinwei.accounts.models import OrgUnit, Region, Role, User
from jinwei.tasks import services
from jinwei.tasks.models import ChangeRequest, Goal, Task, TaskEvent

_DATE_SEPARATORS = re.compile(r"[,，、;；\s]+")


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked against the attachment limits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(MultipleFileField, self).clean(item, initial) for item in uploads]
        files = [f for f in files if f]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        errors = []
        for upload in files:
            try:
                services.check_upload(upload)
            except services.TaskActionRefused as refused:
                errors.append(forms.ValidationError(refused.message, code="invalid"))
        if errors:
            raise forms.ValidationError(errors)
        return files


# --- the plan ---------------------------------------------------------------------------------


PLAN = services.EDITABLE_FIELDS


class TaskForm(VersionedFormMixin, forms.ModelForm):
    """A task's plan. The parent is named by its code: a government may hold many thousands."""

    parent_code = forms.CharField(
        label=capfirst(_("parent task")),
        required=False,
        max_length=40,
        help_text=_("Code of the task this one is part of; leave empty for a top-level task."),
    )
    report_dates = forms.CharField(
        label=capfirst(_("report dates")),
        required=False,
        help_text=_("For cadence “on given dates”: dates like 2024-03-31, separated by commas."),
    )

    class Meta:
        model = Task
        fields = [
            "code",
            "title",
            "description",
            "source_kind",
            "source_reference",
            "goal",
            "parent_code",
            "lead_unit",
            "leader",
            "supervising_unit",
            "start_date",
            "deadline",
            "priority",
            "expected_results",
            "report_cadence",
            "report_dates",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 3}),
            "start_date": date_input(),
            "deadline": date_input(),
        }

    def __init__(self, *args: Any, government: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.government = government
        self.instance.government = government
        units = OrgUnit.objects.filter(government=government, is_active=True).order_by(
            "kind", "order", "name"
        )
        fields: Any = self.fields
        fields["lead_unit"].queryset = units
        fields["supervising_unit"].queryset = units
        fields["goal"].queryset = Goal.objects.filter(government=government)
        fields["leader"].queryset = leaders_of(government)
        # construct_instance() writes the input onto the instance while validating.
        self.stored = {name: _comparable(getattr(self.instance, name, None)) for name in PLAN}
        if self.instance.pk is None:
            del self.fields["version"]
        elif not self.is_bound:
            self.initial["report_dates"] = ", ".join(self.instance.report_dates or [])
            parent = self.instance.parent
            self.initial["parent_code"] = parent.code if parent else ""

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        taken = Task.objects.filter(government=self.government, code=code)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("The code %(code)s is already used by another task."), params={"code": code}
            )
        return code

    def clean_parent_code(self) -> Task | None:
        code = self.cleaned_data.get("parent_code", "").strip()
        if not code:
            return None
        parent = Task.objects.filter(government=self.government, code=code).first()
        if parent is None:
            raise forms.ValidationError(
                _("There is no task with the code %(code)s."), params={"code": code}
            )
        if self.instance.pk is not None and _is_within(parent, self.instance.pk):
            raise forms.ValidationError(
                _("A task cannot be part of itself or of one of its subtasks.")
            )
        return parent

    def clean_report_dates(self) -> list[str]:
        dates = []
        for item in _DATE_SEPARATORS.split(self.cleaned_data.get("report_dates", "")):
            if not item:
                continue
            try:
                dates.append(datetime.date.fromisoformat(item))
            except ValueError as error:
                raise forms.ValidationError(
                    _("“%(item)s” is not a date like 2024-03-31."), params={"item": item}
                ) from error
        return sorted({d.isoformat() for d in dates})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, deadline = data.get("start_date"), data.get("deadline")
        if start and deadline and start > deadline:
            self.add_error("deadline", _("The deadline must not be before the start."))
        cadence, dates = data.get("report_cadence"), data.get("report_dates")
        if cadence == Task.Cadence.DATES and "report_dates" in data and not dates:
            self.add_error("report_dates", _("Give at least one report date."))
        return data

    def validate_unique(self) -> None:
        """The model's own checks (dates ordered, unique code) are made above with messages
        that name the field; Django's generic "constraint violated" would only repeat them."""

    def plan_fields(self) -> dict[str, Any]:
        """Cleaned values under the model's field names."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"version", "parent_code"}}
        data["parent"] = self.cleaned_data.get("parent_code")
        return data

    def changed_plan_fields(self) -> dict[str, Any]:
        """The fields whose value differs from the stored task (for update_task)."""
        return {
            name: value
            for name, value in self.plan_fields().items()
            if self.stored.get(name) != _comparable(value)
        }


def _comparable(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def _is_within(task: Task, ancestor_id: int) -> bool:
    """Whether `task` is the task `ancestor_id` or lies below it (walks up the parents)."""
    seen: set[int] = set()
    current: Task | None = task
    while current is not None and current.pk not in seen:
        if current.pk == ancestor_id:
            return True
        seen.add(current.pk)
        current = current.parent
    return False


def leaders_of(government: Region) -> QuerySet[User]:
    return (
        User.objects.filter(
            memberships__unit__government=government,
            memberships__role=Role.LEADER,
            is_active=True,
        )
        .distinct()
        .order_by("name", "username")
    )


class CoUnitForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=capfirst(_("co-unit")), queryset=OrgUnit.objects.none(), required=False
    )
    part = forms.CharField(
        label=capfirst(_("its part")), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit: Any = self.fields["unit"]
        unit.queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("unit") and (data.get("part") or "").strip():
            self.add_error("unit", _("Choose the unit that does this part."))
        return data


class BaseCoUnitFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            unit = form.cleaned_data.get("unit")
            if unit is None:
                continue
            if unit.pk in seen:
                form.add_error("unit", _("This unit is listed twice."))
            seen.add(unit.pk)

    def parts(self) -> list[services.CoUnitPart]:
        return [
            services.CoUnitPart(unit=f.cleaned_data["unit"], part=f.cleaned_data["part"].strip())
            for f in self.forms
            if f.cleaned_data.get("unit")
        ]


CoUnitFormSet = forms.formset_factory(CoUnitForm, formset=BaseCoUnitFormSet, extra=2)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=capfirst(_("milestone")), max_length=200, required=False)
    due_date = forms.DateField(
        label=capfirst(_("planned date")), required=False, widget=date_input()
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        title, due = (data.get("title") or "").strip(), data.get("due_date")
        if title and not due and "due_date" not in self.errors:
            self.add_error("due_date", _("Give the planned date."))
        if due and not title:
            self.add_error("title", _("Name the milestone."))
        return data


class BaseMilestoneFormSet(forms.BaseFormSet):
    def milestones(self) -> list[services.PlannedMilestone]:
        return [
            services.PlannedMilestone(
                title=f.cleaned_data["title"].strip(), due_date=f.cleaned_data["due_date"]
            )
            for f in self.forms
            if (f.cleaned_data.get("title") or "").strip()
        ]

    def check_dates(self, start: datetime.date | None, deadline: datetime.date | None) -> bool:
        """Milestones fall between the task's start and deadline; errors go on the dates."""
        ok = True
        for form in self.forms:
            due = form.cleaned_data.get("due_date")
            if due and start and deadline and not start <= due <= deadline:
                form.add_error(
                    "due_date", _("A milestone must fall between the start and the deadline.")
                )
                ok = False
        return ok


MilestoneFormSet = forms.formset_factory(MilestoneForm, formset=BaseMilestoneFormSet, extra=2)


# --- the closed loop ----------------------------------------------------------------------------

Action = TaskEvent.Action


class ActionForm(forms.Form):
    """One loop step: a note always; a reason to return; scores to close; evidence to finish."""

    note = forms.CharField(
        label=capfirst(_("note")), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        if action == Action.RETURN:
            note = self.fields["note"]
            note.label = capfirst(_("reason for returning"))
            note.required = True
            note.error_messages["required"] = _("Say why the task is returned.")
        if action == Action.CLOSE:
            for name, label in (
                ("score_timeliness", capfirst(_("timeliness score"))),
                ("score_quality", capfirst(_("quality score"))),
            ):
                self.fields[name] = forms.IntegerField(
                    label=label, min_value=0, max_value=100, help_text=_("0–100")
                )
        if action == Action.REQUEST_COMPLETION:
            self.fields["evidence"] = MultipleFileField(
                label=capfirst(_("evidence of completion")),
                help_text=_("Documents, photos or tables that show the work is done."),
            )

    def details(self) -> dict[str, Any]:
        """Keyword arguments of services.perform beyond actor, task and action."""
        data = self.cleaned_data
        details: dict[str, Any] = {
            "note": data.get("note", ""),
            "expected_version": data.get("version"),
        }
        if self.action == Action.CLOSE:
            details["score_timeliness"] = data["score_timeliness"]
            details["score_quality"] = data["score_quality"]
        if self.action == Action.REQUEST_COMPLETION:
            details["evidence"] = data.get("evidence") or []
        return details


class ReportForm(forms.Form):
    unit = forms.TypedChoiceField(label=capfirst(_("reporting unit")), coerce=int)
    percent = forms.IntegerField(label=capfirst(_("percent complete")), min_value=0, max_value=100)
    text = forms.CharField(label=capfirst(_("progress")), widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(
        label=capfirst(_("problems needing coordination")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    attachments = MultipleFileField(label=capfirst(_("attachments")))

    def __init__(self, *args: Any, units: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.pk: u for u in units}
        unit: Any = self.fields["unit"]
        unit.choices = [(u.pk, u.name) for u in units]
        if len(units) == 1:
            unit.initial = units[0].pk
            unit.widget = forms.HiddenInput()

    @property
    def single_unit(self) -> OrgUnit | None:
        """The one unit the user reports for, when there is only one (no choice shown)."""
        return next(iter(self.units.values())) if len(self.units) == 1 else None

    def chosen_unit(self) -> OrgUnit:
        return self.units[self.cleaned_data["unit"]]


class ChangeRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=capfirst(_("request")), choices=ChangeRequest.Kind.choices, widget=forms.RadioSelect
    )
    new_deadline = forms.DateField(
        label=capfirst(_("new deadline")),
        required=False,
        widget=date_input(),
        help_text=_("Only for a postponement."),
    )
    reason = forms.CharField(label=capfirst(_("reason")), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.task = task

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new = data.get("new_deadline")
        if data.get("kind") == ChangeRequest.Kind.POSTPONE and "new_deadline" not in self.errors:
            if new is None:
                self.add_error("new_deadline", _("Give the new deadline."))
            elif new <= self.task.deadline:
                self.add_error(
                    "new_deadline", _("The new deadline must come after the current one.")
                )
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=capfirst(_("decision")),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=capfirst(_("note")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when rejecting."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", _("Say why the request is rejected."))
        return data

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"
