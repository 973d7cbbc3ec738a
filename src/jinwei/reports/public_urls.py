"""The public page, mounted at /public/ whether or not the deployment turns it on: when it is
off (the default) every URL here answers 404."""

from __future__ import annotations

from django.urls import include, path

app_name = "public"
urlpatterns = [
    path("", include("jinwei.reports.views.public")),
]
