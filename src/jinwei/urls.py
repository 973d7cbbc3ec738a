from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from jinwei.api import api

admin.site.site_header = "进位 jinwei"
admin.site.site_title = "进位 jinwei"

urlpatterns = [
    path("", include("jinwei.core.urls")),
    path("accounts/", include("jinwei.accounts.urls")),
    path("audit/", include("jinwei.audit.urls")),
    path("indicators/", include("jinwei.indicators.urls")),
    path("rankings/", include("jinwei.rankings.urls")),
    path("tasks/", include("jinwei.tasks.urls")),
    path("supervision/", include("jinwei.supervision.urls")),
    path("projects/", include("jinwei.projects.urls")),
    path("investment/", include("jinwei.investment.urls")),
    path("enterprises/", include("jinwei.enterprises.urls")),
    path("honors/", include("jinwei.honors.urls")),
    path("opportunities/", include("jinwei.opportunities.urls")),
    path("reports/", include("jinwei.reports.urls")),
    path("public/", include("jinwei.reports.public_urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
