"""Forms of the ranking pages: the peer group, and the choosers of group, indicator and period."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import Region
from jinwei.indicators.models import Indicator
from jinwei.indicators.selectors import period_label
from jinwei.lib.periods import Period
from jinwei.rankings.models import PeerGroup


class PeerGroupForm(forms.ModelForm):
    """The children of one parent region, or a custom list of members."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = PeerGroup
        fields = ["government", "name", "parent", "members", "description"]
        widgets = {
            "members": forms.SelectMultiple(attrs={"size": 12}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "members": _("For a custom group, e.g. a province's 进位类 counties."),
        }

    def __init__(self, *args: Any, governments: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["parent"].queryset = (
            Region.objects.filter(children__isnull=False).distinct().order_by("code")
        )
        fields["members"].queryset = Region.objects.order_by("code")
        fields["members"].required = False
        if self.instance.pk:
            del self.fields["government"]  # a group stays with its government
        else:
            del self.fields["version"]
            fields["government"].queryset = governments
            fields["government"].empty_label = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parent, members = data.get("parent"), data.get("members")
        if parent is None and not members and "parent" not in self.errors:
            self.add_error(
                "parent",
                _("Choose a parent region (its children form the group) or list the members."),
            )
        elif parent is not None and members:
            self.add_error("members", _("Leave the members empty when the group has a parent."))
        return data

    def group_fields(self) -> dict[str, Any]:
        """Cleaned values for the create service."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "parent": data.get("parent"),
            "members": list(data.get("members") or []),
            "description": data.get("description", ""),
        }

    def changed_fields(self) -> dict[str, Any]:
        """The changes for the update service (members as a list of regions)."""
        fields = self.group_fields()
        return {name: fields[name] for name in self.changed_data if name in fields}


def period_choices(periods: list[Period]) -> list[tuple[str, str]]:
    """Newest first, labelled as written in the language of the page."""
    return [(str(p), period_label(p)) for p in reversed(periods)]


class LeagueChooser(forms.Form):
    """Which indicator and period a league table shows (a GET form)."""

    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), empty_label=None
    )
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(
        self,
        *args: Any,
        indicators: QuerySet[Indicator],
        periods: list[Period],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["indicator"].queryset = indicators
        fields["period"].choices = period_choices(periods)


class PeriodChooser(forms.Form):
    """One period of a frequency (the heat map, a region's page)."""

    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args: Any, periods: list[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["period"].choices = period_choices(periods)


class FrequencyChooser(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Frequency"), choices=Indicator.Frequency.choices, required=False
    )


class HomeChooser(forms.Form):
    """The entry point: a group, an indicator and a period, sent on to the league table."""

    group = forms.ModelChoiceField(
        label=_("Peer group"), queryset=PeerGroup.objects.none(), empty_label=None
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), required=False
    )
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[PeerGroup],
        indicators: QuerySet[Indicator],
        periods: list[Period],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["group"].queryset = groups
        fields["indicator"].queryset = indicators
        fields["indicator"].empty_label = _("First with data")
        fields["period"].choices = [("", _("Latest")), *period_choices(periods)]
