"""Forms of the supervision pages: the notice filters and the channel settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import OrgUnit
from jinwei.supervision.models import NOTICE_LEVELS, ChannelSettings


class NoticeFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Notice level"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Addressed unit"), queryset=OrgUnit.objects.none(), required=False
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)

    def __init__(
        self, *args: Any, units: QuerySet[OrgUnit], years: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["level"].choices = [("", _("All")), *((lv.value, lv.label) for lv in NOTICE_LEVELS)]
        fields["unit"].queryset = units
        fields["unit"].empty_label = _("All")
        fields["year"].choices = [("", _("All")), *((str(y), str(y)) for y in years)]


class ChannelSettingsForm(forms.ModelForm):
    """The secret is write-only: the page never shows it, an empty field keeps the saved one."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    webhook_url = forms.URLField(
        label=_("Webhook URL"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("The messaging platform's address that receives a JSON POST per reminder."),
    )
    new_secret = forms.CharField(
        label=_("Webhook secret"),
        required=False,
        max_length=200,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Signs each POST: header X-Jinwei-Signature is the HMAC-SHA256 (hex) of the body. "
            "Leave empty to keep the saved secret."
        ),
    )

    class Meta:
        model = ChannelSettings
        fields = ["email_enabled", "webhook_active", "webhook_url"]

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
