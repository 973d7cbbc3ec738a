"""URLs of the reports app: briefings and the wall dashboard (the public page has its own)."""

from __future__ import annotations

from django.urls import include, path

app_name = "reports"
urlpatterns = [
    path("", include("jinwei.reports.views.briefings")),
    path("wall/", include("jinwei.reports.views.wall")),
]
