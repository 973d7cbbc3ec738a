"""Benefit-sharing agreements and the attributed-totals report."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
