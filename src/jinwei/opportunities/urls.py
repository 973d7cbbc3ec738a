"""URLs of the opportunities app: each views module lists its own patterns, included here."""

from __future__ import annotations

from django.urls import include, path

app_name = "opportunities"
urlpatterns = [
    path("", include("jinwei.opportunities.views.opportunities")),
    path("", include("jinwei.opportunities.views.items")),
]
