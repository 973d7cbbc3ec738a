"""Forms of the enterprise registry: an enterprise, the list's filters and the chain of service
managers. Choices are limited to the enterprise's government; the services have the last word."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.forms import VersionedFormMixin
from jinwei.accounts.models import OrgUnit, Region, User
from jinwei.enterprises import registry
from jinwei.enterprises.models import Enterprise
from jinwei.lib import credit_code
from jinwei.projects.models import ChainLink, IndustryChain, Park

ENTERPRISE_FIELDS = [
    "name",
    "credit_code",
    "chain_link",
    "park",
    "town",
    "size",
    "is_above_scale",
    "industry",
    "address",
    "contact_name",
    "contact_phone",
    "is_illustrative",
]


def _links(government: Region) -> QuerySet[ChainLink]:
    return (
        ChainLink.objects.filter(chain__government=government)
        .select_related("chain")  # the option labels name the chain
        .order_by("chain__order", "chain_id", "order", "id")
    )


def _towns(government: Region) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(government=government, kind=OrgUnit.Kind.TOWN).order_by(
        "order", "name"
    )


def _parks(government: Region) -> QuerySet[Park]:
    return Park.objects.filter(government=government).order_by("name")


class EnterpriseForm(forms.ModelForm):
    # longer than the 18 stored characters: codes are often pasted with spaces
    credit_code = forms.CharField(
        label=_("unified social credit code"),
        max_length=40,
        help_text=_("18 characters; spaces are removed and letters made capital."),
    )

    class Meta:
        model = Enterprise
        fields = ENTERPRISE_FIELDS

    def __init__(self, *args: Any, government: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.government = government
        fields: Any = self.fields
        fields["chain_link"].queryset = _links(government)
        fields["park"].queryset = _parks(government)
        fields["town"].queryset = _towns(government)

    def clean_credit_code(self) -> str:
        code = credit_code.normalise(self.cleaned_data.get("credit_code") or "")
        message = registry.credit_code_message(code)
        if message:
            raise forms.ValidationError(message)
        return code

    def changed_values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data.get(name)
            for name in self.changed_data
            if name in ENTERPRISE_FIELDS
        }


class VersionedEnterpriseForm(VersionedFormMixin, EnterpriseForm):
    """The edit form: carries the version the user loaded."""


class EnterpriseFilterForm(forms.Form):
    """The list's filters; an invalid one is reported at its field and left out."""

    q = forms.CharField(label=_("Name or credit code"), required=False, max_length=100)
    chain = forms.ModelChoiceField(
        label=_("Industry chain"), queryset=IndustryChain.objects.none(), required=False
    )
    link = forms.ModelChoiceField(
        label=_("Chain link"), queryset=ChainLink.objects.none(), required=False
    )
    park = forms.ModelChoiceField(label=_("Park"), queryset=Park.objects.none(), required=False)
    town = forms.ModelChoiceField(label=_("Town"), queryset=OrgUnit.objects.none(), required=False)
    size = forms.ChoiceField(label=_("Size"), required=False)
    above_scale = forms.NullBooleanField(
        label=_("Above designated size (规上)"),
        required=False,
        widget=forms.Select(choices=[("", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )

    def __init__(self, *args: Any, government: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["chain"].queryset = IndustryChain.objects.filter(government=government).order_by(
            "order", "id"
        )
        fields["link"].queryset = _links(government)
        fields["park"].queryset = _parks(government)
        fields["town"].queryset = _towns(government)
        fields["size"].choices = [("", "—"), *Enterprise.Size.choices]

    def filters(self) -> registry.EnterpriseFilters:
        """The valid filters (the form is validated here; invalid fields are left out)."""
        self.is_valid()
        data = self.cleaned_data

        def pk(name: str) -> int | None:
            value = data.get(name)
            return value.pk if value is not None else None

        return registry.EnterpriseFilters(
            search=data.get("q") or "",
            chain_id=pk("chain"),
            link_id=pk("link"),
            park_id=pk("park"),
            town_id=pk("town"),
            size=data.get("size") or "",
            above_scale=data.get("above_scale"),
        )


class ManagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        user: User = obj
        return f"{user.name} ({user.username})" if user.name else user.username


class ManagerRowForm(forms.Form):
    """One position of the chain; leave the person empty to take them off."""

    user = ManagerChoiceField(
        label=_("Service manager"), queryset=User.objects.none(), required=False
    )
    duty = forms.CharField(label=_("Duty"), max_length=100, required=False)

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["user"].queryset = candidates


class BaseManagerFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        self.candidates = candidates
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "candidates": self.candidates}

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        order: Any = form.fields[forms.formsets.ORDERING_FIELD_NAME]
        order.label = _("Order")
        order.widget.attrs.update({"class": "order-input", "min": 1})

    def chain(self) -> tuple[list[int], list[str]]:
        """The people in the order asked for (the order numbers, then the rows) and their
        duties; call after `is_valid()`."""
        rows = [form.cleaned_data for form in self.ordered_forms]
        rows = [row for row in rows if row.get("user") is not None]
        return [row["user"].pk for row in rows], [row.get("duty") or "" for row in rows]


ManagerFormSet = cast(
    "type[BaseManagerFormSet]",
    forms.formset_factory(
        ManagerRowForm, formset=BaseManagerFormSet, extra=3, can_order=True, max_num=30
    ),
)
