"""Admin integration: tracked models save through the audit services; the trail is read-only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from jinwei.audit.models import AuditEntry
from jinwei.audit.services import (
    StaleVersionError,
    changes_since,
    tracked_create,
    tracked_delete,
    tracked_update,
)


class TrackedAdminForm(forms.ModelForm):
    """Carries the loaded version; a stale save is refused with what changed meanwhile."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        loaded = data.get("loaded_version")
        if self.instance.pk and loaded is not None:
            current = type(self.instance)._default_manager.get(pk=self.instance.pk)
            if current.version != loaded:
                raise forms.ValidationError(
                    StaleVersionError(current, loaded, changes_since(current, loaded)).message
                )
        return data


class TrackedAdmin(admin.ModelAdmin):
    form = TrackedAdminForm

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        return [*fields, "loaded_version"] if "loaded_version" not in fields else fields

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            tracked_create(actor=request.user, obj=obj, note="admin")
            return
        changes = {
            name: getattr(obj, name) for name in form.changed_data if name != "loaded_version"
        }
        model_fields = {f.name for f in obj._meta.concrete_fields}
        changes = {k: v for k, v in changes.items() if k in model_fields}
        tracked_update(
            actor=request.user,
            obj=obj,
            changes=changes,
            expected_version=form.cleaned_data.get("loaded_version"),
            note="admin",
        )
        obj.refresh_from_db()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        tracked_delete(actor=request.user, obj=obj, expected_version=None, note="admin")

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "action", "content_type", "object_repr", "object_version"]
    list_filter = ["action", "content_type", "at"]
    search_fields = ["actor_name", "object_repr", "object_id", "note"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
