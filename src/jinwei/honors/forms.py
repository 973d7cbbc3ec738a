"""Forms of honours and practices: the record, and the lists' filters. Choices are limited to the
record's government; the services have the last word on rights and validity."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.forms import VersionedFormMixin
from jinwei.accounts.models import OrgUnit, Region
from jinwei.accounts.selectors import unit_list
from jinwei.honors import selectors, services
from jinwei.honors.models import Category, Honour, Level, Practice

HONOUR_FIELDS = [
    "title",
    "level",
    "year",
    "awarded_on",
    "issuer",
    "category",
    "unit",
    "description",
    "source",
    "is_illustrative",
]
PRACTICE_FIELDS = [
    "title",
    "description",
    "recognised_by",
    "level",
    "recognised_on",
    "promotion",
    "unit",
    "source",
    "is_illustrative",
]


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _units(viewer: Any, government: Region) -> QuerySet[OrgUnit]:
    return unit_list(viewer=viewer, government=government).filter(is_active=True)


class _RecordForm(forms.ModelForm):
    """The fields both records share: the unit of the government, the changed values."""

    def __init__(self, *args: Any, viewer: Any, government: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.government = government
        fields: Any = self.fields
        fields["unit"].queryset = _units(viewer, government)
        # the unit's own staff keep their records; only the supervising office hands them on
        fields["unit"].disabled = not services.may_manage(viewer, government.pk)
        fields["description"].widget.attrs["rows"] = 4

    def changed_values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name)
            for name in self.changed_data
            if name in self.Meta.fields  # type: ignore[attr-defined]
        }


class HonourForm(_RecordForm):
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)

    class Meta:
        model = Honour
        fields = HONOUR_FIELDS
        widgets = {"awarded_on": _date_input()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = services.max_evidence_bytes() / 1024 / 1024
        self.fields["evidence_file"].help_text = _(
            "The certificate or the notice: PDF, JPG, PNG, OFD or DOCX, at most %(limit)s MB."
        ) % {"limit": f"{limit:g}"}

    def clean_evidence_file(self) -> Any:
        upload = self.cleaned_data.get("evidence_file")
        problem = services.evidence_problem(upload) if upload else None
        if problem:
            raise forms.ValidationError(problem)
        return upload


class VersionedHonourForm(VersionedFormMixin, HonourForm):
    """The edit form: carries the loaded version and can drop the evidence file."""

    remove_evidence = forms.BooleanField(label=_("Remove the evidence file"), required=False)


class PracticeForm(_RecordForm):
    class Meta:
        model = Practice
        fields = PRACTICE_FIELDS
        widgets = {"recognised_on": _date_input()}


class VersionedPracticeForm(VersionedFormMixin, PracticeForm):
    """The edit form: carries the version the user loaded."""


class VersionForm(VersionedFormMixin):
    """Only the version: the delete buttons send it, so a stale delete is refused."""


class FilterForm(forms.Form):
    """A list's filters; an invalid one is reported at its field and left out."""

    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", "—"), *Level.choices])
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", "—"), *Category.choices]
    )

    def __init__(self, *args: Any, years: list[int], with_category: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["year"].choices = [("", "—"), *((y, str(y)) for y in years)]
        if not with_category:
            del self.fields["category"]

    def filters(self) -> selectors.Filters:
        """The valid filters (the form is validated here; invalid fields are left out)."""
        self.is_valid()
        data = self.cleaned_data
        return selectors.Filters(
            year=data.get("year"),
            level=data.get("level") or "",
            category=data.get("category") or "",
        )
