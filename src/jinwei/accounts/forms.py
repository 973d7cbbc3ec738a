from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import OrgUnit
from jinwei.accounts.services import UNIT_ADMIN_FIELDS


class VersionedFormMixin(forms.Form):
    """Carries the version the user loaded, so the service can refuse a stale write."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class UnitForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = list(UNIT_ADMIN_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, editable: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in set(UNIT_ADMIN_FIELDS) - set(editable):  # staff edit only the profile
            del self.fields[name]


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
