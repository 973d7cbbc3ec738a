from __future__ import annotations

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from jinwei.audit.models import AuditEntry


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("User"), required=False)
    content_type = forms.ModelChoiceField(
        label=_("Object type"), queryset=ContentType.objects.none(), required=False
    )
    action = forms.ChoiceField(
        label=_("Action"), choices=[("", "—"), *AuditEntry.Action.choices], required=False
    )
    object_id = forms.CharField(label=_("Object ID"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
