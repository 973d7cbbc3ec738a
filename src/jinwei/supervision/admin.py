"""Supervision in Django's admin: notices, notifications and digests are the cycle's records
(read-only); the channel settings are edited on their own page, where the secret stays hidden."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jinwei.supervision.models import ChannelSettings, DigestLog, Notification, SupervisionNotice


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(ReadOnlyAdmin):
    list_display = ["number", "level", "task", "addressed_unit", "days_overdue", "issued_on"]
    list_filter = ["government", "level", "year"]
    search_fields = ["task__code", "task__title"]
    list_select_related = ["task", "addressed_unit"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "kind", "level", "task", "created_at", "read_at", "emailed_at"]
    list_filter = ["government", "kind", "level"]
    search_fields = ["recipient__username", "key", "task__code"]
    list_select_related = ["recipient", "task"]


@admin.register(DigestLog)
class DigestLogAdmin(ReadOnlyAdmin):
    list_display = ["user", "date", "sent_at", "notifications", "tasks"]
    list_filter = ["date"]


@admin.register(ChannelSettings)
class ChannelSettingsAdmin(ReadOnlyAdmin):
    list_display = ["government", "email_enabled", "webhook_active", "webhook_url"]
    exclude = ["webhook_secret"]
