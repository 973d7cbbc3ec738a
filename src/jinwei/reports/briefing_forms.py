"""The form on the briefings page: which period to write the briefing for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jinwei.lib.periods import Period, PeriodError, parse_period


class BriefingForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=20,
        help_text=gettext_lazy("A month (2024-09), a quarter (2024Q3) or a year (2024)."),
    )

    def clean_period(self) -> Period:
        text = self.cleaned_data["period"].strip()
        try:
            return parse_period(text)
        except PeriodError:
            raise forms.ValidationError(
                _("“%(text)s” is not a period (write 2024-09, 2024Q3 or 2024).") % {"text": text}
            ) from None
