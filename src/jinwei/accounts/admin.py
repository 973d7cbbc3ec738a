from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from jinwei.accounts.models import ApiToken, Membership, OrgUnit, Region, User
from jinwei.audit.admin import TrackedAdmin, TrackedAdminForm


@admin.register(Region)
class RegionAdmin(TrackedAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "title"]

    def has_add_permission(self, request, obj=None):
        return False  # memberships are added on their own page so each is audited

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OrgUnit)
class OrgUnitAdmin(TrackedAdmin):
    list_display = ["name", "government", "kind", "order", "head", "is_active"]
    list_filter = ["government", "kind", "is_active"]
    search_fields = ["name", "short_name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(TrackedAdmin):
    list_display = ["user", "unit", "role", "title"]
    list_filter = ["role", "unit__government", "unit"]
    search_fields = ["user__username", "user__name", "unit__name"]
    autocomplete_fields = ["user", "unit"]


class UserAdminForm(TrackedAdminForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(TrackedAdmin, DjangoUserAdmin):
    form = UserAdminForm
    list_display = ["username", "name", "email", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password", "loaded_version")}),
        (_("Personal info"), {"fields": ("name", "email", "phone")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_filter = ["is_active", "is_staff", "is_superuser"]

    def get_fields(self, request, obj=None):
        return DjangoUserAdmin.get_fields(self, request, obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "digest",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False
