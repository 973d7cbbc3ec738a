"""Enterprise requests (诉求), their statistics and the holiday calendar."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
