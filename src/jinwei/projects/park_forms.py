"""Forms of the park and chain pages. The services decide what is allowed (who; a parent link in
the same chain and not below the link itself); the forms offer only sensible choices and put each
error next to its field."""

from __future__ import annotations

from typing import Any

from django import forms

from jinwei.accounts.forms import VersionedFormMixin
from jinwei.accounts.models import OrgUnit, Region
from jinwei.projects.models import ChainLink, IndustryChain, Park
from jinwei.projects.parks import subtree_ids


class ChangedValuesMixin(forms.ModelForm):
    """What the user changed, for the update services (many-to-many values as lists)."""

    def changed_values(self) -> dict[str, Any]:
        editable = set(self._meta.fields or ())
        values: dict[str, Any] = {}
        for name in self.changed_data:
            if name not in editable:
                continue
            value = self.cleaned_data.get(name)
            if isinstance(self.fields[name], forms.ModelMultipleChoiceField):
                value = list(value or [])
            values[name] = value
        return values


class ParkForm(ChangedValuesMixin):
    class Meta:
        model = Park
        fields = [
            "name",
            "area_mu",
            "focus_industries",
            "chains",
            "managing_unit",
            "location",
            "description",
            "is_illustrative",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "chains": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, government: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.government = government  # validation needs it (unique name)
        fields: Any = self.fields
        fields["managing_unit"].queryset = OrgUnit.objects.filter(
            government=government, is_active=True
        ).order_by("kind", "order", "name")
        fields["chains"].queryset = IndustryChain.objects.filter(government=government).order_by(
            "order", "id"
        )


class VersionedParkForm(VersionedFormMixin, ParkForm):
    """The edit form: carries the version the user loaded."""


class ChainForm(ChangedValuesMixin):
    class Meta:
        model = IndustryChain
        fields = ["name", "description", "order", "is_illustrative"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, government: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.government = government


class VersionedChainForm(VersionedFormMixin, ChainForm):
    """The edit form: carries the version the user loaded."""


class ChainLinkForm(ChangedValuesMixin):
    class Meta:
        model = ChainLink
        fields = ["parent", "segment", "name", "description", "min_enterprises", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, chain: IndustryChain, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.chain = chain
        parents = ChainLink.objects.filter(chain=chain).order_by("order", "id")
        if self.instance.pk:
            parents = parents.exclude(pk__in=subtree_ids(self.instance))
        fields: Any = self.fields
        fields["parent"].queryset = parents


class VersionedChainLinkForm(VersionedFormMixin, ChainLinkForm):
    """The edit form: carries the version the user loaded."""


class VersionForm(VersionedFormMixin):
    """Only the version: the delete buttons send it, so a stale delete is refused."""
