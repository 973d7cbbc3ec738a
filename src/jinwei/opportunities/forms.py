"""Forms of the opportunities pages: an opportunity, an item, the link of an action to an item
and the list's filter. Choices are limited to the government's; the services have the last word."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.forms import VersionedFormMixin
from jinwei.accounts.models import OrgUnit, Region
from jinwei.opportunities import selectors
from jinwei.opportunities.models import Opportunity, OpportunityItem
from jinwei.projects.models import Project
from jinwei.tasks.models import Goal, Task

OPPORTUNITY_FIELDS = [
    "title",
    "kind",
    "level",
    "issuer",
    "source_document",
    "issued_on",
    "summary",
    "unit",
    "order",
    "is_illustrative",
]
ITEM_FIELDS = ["number", "title", "area", "description"]


class ChangedValuesMixin(forms.ModelForm):
    def changed_values(self) -> dict[str, Any]:
        """The fields the user changed, as the update services take them."""
        fields = self._meta.fields or ()
        return {name: self.cleaned_data.get(name) for name in self.changed_data if name in fields}


class OpportunityForm(ChangedValuesMixin):
    class Meta:
        model = Opportunity
        fields = OPPORTUNITY_FIELDS
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, government: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.government = government
        fields: Any = self.fields
        fields["unit"].queryset = OrgUnit.objects.filter(
            government=government, is_active=True
        ).order_by("kind", "order", "name")


class VersionedOpportunityForm(VersionedFormMixin, OpportunityForm):
    """The edit form: carries the version the user loaded."""


class ItemForm(ChangedValuesMixin):
    class Meta:
        model = OpportunityItem
        fields = ITEM_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, opportunity: Opportunity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.opportunity = opportunity
        number: Any = self.fields["number"]
        number.required = False
        number.help_text = _("Left empty: the number after the last item.")


class VersionedItemForm(VersionedFormMixin, ItemForm):
    """The edit form of an item: the number is required there."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        number: Any = self.fields["number"]
        number.required = True
        number.help_text = ""


class LinkForm(forms.Form):
    """Choose a goal, task or project of the government to link to an item."""

    target = forms.ChoiceField(
        label=_("Goal, task or key project"),
        help_text=_("Those already linked to this item are not listed."),
    )

    def __init__(self, *args: Any, item: OpportunityItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        field: Any = self.fields["target"]
        field.choices = [("", "—"), *selectors.link_choices(item=item)]

    def clean_target(self) -> Goal | Task | Project:
        target = selectors.target_for(item=self.item, value=self.cleaned_data["target"])
        if target is None:
            raise forms.ValidationError(
                _("Choose one of the government's goals, tasks or key projects.")
            )
        return target


class FilterForm(forms.Form):
    flagged = forms.BooleanField(label=_("Only with items without action"), required=False)

    def only_flagged(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data["flagged"])
