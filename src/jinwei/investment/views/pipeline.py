"""Lead pages: pipeline board, lead page, contact log, signing, funnel analytics."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
