"""plotly.js is served from the plotly package: found in development, collected for production."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from jinwei.core.middleware import (
    CHART_CONTENT_SECURITY_POLICY,
    CONTENT_SECURITY_POLICY,
    ContentSecurityPolicyMiddleware,
    allows_inline_styles,
)
from jinwei.core.staticfinders import PLOTLY_FILE, PLOTLY_PATH, PlotlyFinder


def test_the_finder_finds_plotly_in_the_package():
    assert PLOTLY_FILE.is_file()
    assert finders.find(PLOTLY_PATH) == str(PLOTLY_FILE)
    assert PlotlyFinder().find(PLOTLY_PATH, find_all=True) == [str(PLOTLY_FILE)]
    assert PlotlyFinder().find("vendor/other.js") is None
    assert PlotlyFinder().check() == []


def test_the_finder_lists_plotly_for_collectstatic():
    [(path, storage)] = list(PlotlyFinder().list(None))
    assert path == PLOTLY_PATH
    assert storage.path(path) == str(PLOTLY_FILE)
    with storage.open(path) as handle:
        assert b"plotly.js" in handle.read(200)


def test_collectstatic_with_the_manifest_storage_hashes_plotly(tmp_path: Path):
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed = manifest["paths"][PLOTLY_PATH]
    assert hashed.startswith("vendor/plotly.min.") and hashed != PLOTLY_PATH
    assert (tmp_path / hashed).stat().st_size == PLOTLY_FILE.stat().st_size
    assert "jinwei/charts.js" in manifest["paths"]


def _policy(view) -> str:
    middleware = ContentSecurityPolicyMiddleware(view)
    return middleware(RequestFactory().get("/"))["Content-Security-Policy"]


def test_only_chart_views_allow_inline_styles():
    def page(request):
        return HttpResponse("ok")

    assert _policy(page) == CONTENT_SECURITY_POLICY
    assert _policy(allows_inline_styles(page)) == CHART_CONTENT_SECURITY_POLICY
    assert "style-src 'self' 'unsafe-inline'" in CHART_CONTENT_SECURITY_POLICY
    assert "script-src 'self';" in CHART_CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CHART_CONTENT_SECURITY_POLICY
