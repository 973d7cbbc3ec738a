"""URLs of the investment app: each views module lists its own patterns, included here."""

from __future__ import annotations

from django.urls import include, path

app_name = "investment"
urlpatterns = [
    path("", include("jinwei.investment.views.pipeline")),
    path("", include("jinwei.investment.views.benefits")),
]
