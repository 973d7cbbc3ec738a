"""URLs of the honors app: each views module lists its own patterns, included here."""

from __future__ import annotations

from django.urls import include, path

app_name = "honors"
urlpatterns = [
    path("", include("jinwei.honors.views.honours")),
    path("practices/", include("jinwei.honors.views.practices")),
]
