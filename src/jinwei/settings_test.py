"""Test settings: production settings with faster hashing and plain static files."""

from __future__ import annotations

from jinwei.settings import *  # noqa: F403
from jinwei.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_AUTOREFRESH = True  # serve from the finders; no collectstatic before tests
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
