"""The upload form and the column-mapping form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinwei.accounts.models import Region
from jinwei.indicators.importing.headers import (
    FIELDS,
    GROWTH_PREFIX,
    INDICATOR_PREFIX,
    PERIOD_PREFIX,
)
from jinwei.indicators.importing.readers import supported_extensions
from jinwei.indicators.models import ImportBatch, Indicator
from jinwei.lib.periods import PeriodError, parse_period

MAX_UPLOAD_MB = 50


def clean_period(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    try:
        return str(parse_period(text))
    except PeriodError:
        raise forms.ValidationError(
            _("“%(text)s” is not a period (write 2023, 2023Q3 or 2023-09).") % {"text": text}
        ) from None


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    layout = forms.ChoiceField(
        label=gettext_lazy("Layout"),
        choices=ImportBatch.Layout.choices,
        initial=ImportBatch.Layout.AUTO,
    )
    period = forms.CharField(
        label=gettext_lazy("Period"),
        required=False,
        max_length=20,
        help_text=gettext_lazy(
            "For a table that holds one period: 2023, 2023Q3 or 2023-09. "
            "Leave empty to take it from the title or the table."
        ),
    )
    government = forms.ModelChoiceField(
        label=gettext_lazy("Government"), queryset=Region.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, governments: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["government"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = Region.objects.filter(pk__in=[g.pk for g in governments])
        field.initial = governments[0].pk if governments else None
        self.only_government = governments[0] if len(governments) == 1 else None
        if self.only_government is not None:
            field.widget, field.required = forms.HiddenInput(), False
        extensions = ",".join(f".{e}" for e in supported_extensions())
        self.fields["file"].widget.attrs["accept"] = extensions
        self.fields["file"].help_text = _("Excel or CSV: %(types)s; at most %(mb)s MB.") % {
            "types": ", ".join(supported_extensions()),
            "mb": MAX_UPLOAD_MB,
        }

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        extension = Path(upload.name or "").suffix.lower().lstrip(".")
        if extension not in supported_extensions():
            raise forms.ValidationError(
                _("Files of type “.%(extension)s” cannot be imported; use %(supported)s.")
                % {"extension": extension, "supported": ", ".join(supported_extensions())}
            )
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_MB}
            )
        return upload

    def clean_period(self) -> str:
        return clean_period(self.cleaned_data["period"])

    def clean_government(self) -> Region | None:
        return self.cleaned_data.get("government") or self.only_government


def role_choices(indicators: list[Indicator]) -> list[tuple[str, Any]]:
    """What a column can be: a field of the long layout, an indicator, or its growth rate."""
    fields = [(role, label) for role, label in FIELDS.items()]
    by_indicator = [(INDICATOR_PREFIX + i.code, str(i)) for i in indicators]
    growth = [
        (GROWTH_PREFIX + i.code, _("%(indicator)s: growth rate (%%)") % {"indicator": i.name})
        for i in indicators
    ]
    return [
        ("", _("(as recognised)")),
        (_("Fields"), fields),
        (_("Values of an indicator"), by_indicator),
        (_("Growth rate of an indicator"), growth),
    ]


class MappingForm(forms.Form):
    """One choice per distinct header the file has; the answer is stored as header -> role."""

    layout = forms.ChoiceField(label=gettext_lazy("Layout"), choices=ImportBatch.Layout.choices)
    period = forms.CharField(label=gettext_lazy("Period"), required=False, max_length=20)

    def __init__(
        self,
        *args: Any,
        headers: list[tuple[str, str]],
        indicators: list[Indicator],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers  # (header text, what was recognised)
        choices = role_choices(indicators)
        for number, (header, recognised) in enumerate(headers):
            self.fields[f"column_{number}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                help_text=recognised,
            )

    def clean_period(self) -> str:
        return clean_period(self.cleaned_data["period"])

    def mapping(self) -> dict[str, str]:
        return {
            header: self.cleaned_data[f"column_{number}"]
            for number, (header, _recognised) in enumerate(self.headers)
            if self.cleaned_data.get(f"column_{number}")
        }


def describe_role(role: str, indicators: dict[str, Indicator]) -> str:
    """A recognised role in words, for the mapping page."""
    if not role:
        return _("not recognised")
    if role.startswith(PERIOD_PREFIX):
        return _("values for %(period)s") % {"period": role.removeprefix(PERIOD_PREFIX)}
    if role.startswith(INDICATOR_PREFIX):
        indicator = indicators.get(role.removeprefix(INDICATOR_PREFIX))
        return str(indicator) if indicator else role
    if role.startswith(GROWTH_PREFIX):
        indicator = indicators.get(role.removeprefix(GROWTH_PREFIX))
        name = indicator.name if indicator else role
        return _("%(indicator)s: growth rate (%%)") % {"indicator": name}
    return str(FIELDS.get(role, role))
