"""URLs of the enterprises app: each views module lists its own patterns, included here."""

from __future__ import annotations

from django.urls import include, path

app_name = "enterprises"
urlpatterns = [
    path("", include("jinwei.enterprises.views.registry")),
    path("", include("jinwei.enterprises.views.requests")),
]
