"""Every page, for every role, in both languages: never a server error, always the right language.

The pages are found by walking the URL configuration, so a page added later is rendered here
without anyone listing it. A page whose URL takes arguments needs sample arguments: the table
below for the foundation's pages, or `sample_url_kwargs(cast)` in `tests/<app>/pages.py` for an
app's own pages, so each app's tests own their samples:

    # tests/indicators/pages.py
    def sample_url_kwargs(cast: Cast) -> dict[str, dict[str, Any]]:
        indicator = IndicatorFactory(government=cast.enping)
        return {"indicators:detail": {"pk": indicator.pk}}

The Chinese catalogue is checked here too: complete, not fuzzy, placeholders intact, and (where
GNU gettext is installed) covering every string marked in the code. To update it, from src/jinwei:
`uv run django-admin makemessages -l zh_Hans --settings=jinwei.settings_test --ignore=migrations`.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from jinwei.accounts import services as account_services
from jinwei.accounts.models import OrgUnit, Role, User
from tests.conftest import Cast, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _optional_pages_on(settings: Any) -> None:
    """Pages a deployment may turn off (the public page, JINWEI_PUBLIC_PAGE) render turned on."""
    settings.JINWEI_PUBLIC_PAGE = True


@pytest.fixture(scope="module", autouse=True)
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One media folder for the module: the samples' files are made once, with the world."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="module")
def world(module_db: None, _media_root: None) -> tuple[Cast, dict[str, dict[str, Any]]]:
    """The cast with some history and every app's samples, made once: the pages only read them
    (each test runs in its own savepoint all the same)."""
    cast = make_cast()
    _seed_history(cast)
    return cast, samples_for(cast)


@pytest.fixture
def cast(world: tuple[Cast, dict[str, dict[str, Any]]]) -> Cast:
    return world[0]


SKIPPED_PREFIXES = ("admin/", "api/")
# GET-able in principle but meaningful only as a form target (Django's set_language redirects).
POST_TARGETS = {"set_language"}
LANGUAGES = {"zh-hans": "zh-CN", "en": "en"}
# Every person of the shared cast, so one added to the cast is covered too.
ROLES = [f.name for f in fields(Cast) if f.type in ("User", User)]
ALLOWED_STATUSES = {200, 302, 403, 404}
PO_PATH = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0]*\d*(?:\.\d+)?[sdif]")


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name", or the route for an unnamed pattern
    route: str
    arguments: dict[str, Any]  # keyword -> converter (None for a regex group)
    named: bool = True

    def url(self, kwargs: dict[str, Any]) -> str:
        if self.named:
            return reverse(self.name, kwargs=kwargs)
        return "/" + re.sub(
            r"<(?:\w+:)?(\w+)>",
            lambda m: str(self.arguments[m.group(1)].to_url(kwargs[m.group(1)])),
            self.route,
        ).strip("^$")


def _walk(patterns: list[Any], route: str = "", namespace: str = "") -> Iterator[Page]:
    for pattern in patterns:
        here = route + str(pattern.pattern)
        converters = getattr(pattern.pattern, "converters", {})
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            for page in _walk(pattern.url_patterns, here, inner):
                yield Page(page.name, page.route, {**converters, **page.arguments}, page.named)
        elif isinstance(pattern, URLPattern):
            if not isinstance(pattern.pattern, RoutePattern):
                converters = dict.fromkeys(pattern.pattern.regex.groupindex, None)
            name = f"{namespace}{pattern.name}" if pattern.name else here
            yield Page(name, here, dict(converters), named=bool(pattern.name))


def discover_pages() -> list[Page]:
    """Every project URL a person could open, outside the admin and the API."""
    pages = [
        p for p in _walk(get_resolver().url_patterns) if not p.route.startswith(SKIPPED_PREFIXES)
    ]
    return [p for p in pages if p.name not in POST_TARGETS]


PAGES = discover_pages()


def _audit_history(cast: Cast) -> dict[str, Any]:
    content_type = ContentType.objects.get_for_model(OrgUnit)
    return {"content_type_id": content_type.pk, "object_id": str(cast.encheng.pk)}


FOUNDATION_SAMPLES: dict[str, Callable[[Cast], dict[str, Any]]] = {
    "accounts:unit_detail": lambda cast: {"pk": cast.encheng.pk},
    "accounts:unit_edit": lambda cast: {"pk": cast.encheng.pk},
    "audit:history": _audit_history,
}


def samples_for(cast: Cast) -> dict[str, dict[str, Any]]:
    """The table above, plus each `tests/<app>/pages.py` hook."""
    samples = {name: make(cast) for name, make in FOUNDATION_SAMPLES.items()}
    for hook in sorted(Path(__file__).resolve().parent.parent.glob("*/pages.py")):
        module = importlib.import_module(f"tests.{hook.parent.name}.pages")
        samples.update(module.sample_url_kwargs(cast))
    return samples


def dummy_kwargs(page: Page) -> dict[str, Any]:
    """Values the converters accept but that name nothing; enough to see a POST-only answer."""
    candidates = ["999999", "x", str(uuid.UUID(int=0)), "2023"]
    kwargs = {}
    for name, converter in page.arguments.items():
        if converter is None:
            kwargs[name] = "999999"
            continue
        for candidate in candidates:
            if re.fullmatch(converter.regex, candidate):
                kwargs[name] = converter.to_python(candidate)
                break
        else:
            pytest.fail(f"{page.name}: no dummy value for <{name}>; add a sample for it")
    return kwargs


def is_post_only(response: HttpResponse) -> bool:
    allowed = {m.strip() for m in response.headers.get("Allow", "").split(",")}
    return response.status_code == 405 and "GET" not in allowed


def _seed_history(cast: Cast) -> None:
    """A change and a deletion, so the audit pages render entries and not only their empty state."""
    unit = account_services.unit_update(
        actor=cast.supervisor,
        unit=cast.encheng,
        expected_version=cast.encheng.version,
        changes={"phone": "0750-7000000"},
    )
    cast.encheng = unit
    membership = account_services.membership_create(
        actor=cast.admin, user=cast.viewer, unit=cast.hengpi, role=Role.VIEWER
    )
    account_services.membership_delete(
        actor=cast.admin, membership=membership, expected_version=membership.version
    )


class _TextOf(HTMLParser):
    """The text inside elements carrying a given class."""

    VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, css_class: str) -> None:
        super().__init__()
        self.css_class = css_class
        self.depth = 0
        self.found = False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        if self.depth or self.css_class in classes:
            self.depth += 1
            self.found = True

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def text_of(html: str, css_class: str) -> str | None:
    parser = _TextOf(css_class)
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split()) if parser.found else None


def problems_in(response: HttpResponse, language: str) -> list[str]:
    """What is wrong with a rendered page in `language`; empty when nothing is."""
    if not response.headers.get("Content-Type", "").startswith("text/html"):
        return []  # downloads (xlsx, docx, pdf) have no language attribute
    html = response.content.decode()
    if "<html" not in html:
        return []  # a fragment, not a page
    problems = []
    lang = re.search(r"<html[^>]*\blang=[\"']([^\"']*)", html)
    if not lang or lang.group(1) != LANGUAGES[language]:
        problems.append(f"lang={lang.group(1) if lang else None}, expected {LANGUAGES[language]}")
    nav = text_of(html, "main-nav")
    if nav is None:
        return problems
    if language == "en":
        if "Home" not in nav:
            problems.append(f"English navigation without 'Home': {nav!r}")
        return problems
    if "首页" not in nav:
        problems.append(f"Chinese navigation without 首页: {nav!r}")
    menu = text_of(html, "user-menu-panel") or ""
    leaks = re.findall(r"[A-Za-z]{2,}", nav + " " + menu)  # e.g. "Home" for 首页
    if leaks:
        problems.append(f"English in the Chinese navigation or user menu: {sorted(set(leaks))}")
    return problems


def clients_for(cast: Cast) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    for role in ROLES:
        user: User = getattr(cast, role)
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def test_discovery_finds_the_foundation_pages():
    names = {page.name for page in PAGES}
    assert {"core:home", "accounts:login", "accounts:unit_detail", "audit:history"} <= names
    assert not any(name.startswith("admin:") or "ninja" in name for name in names)
    assert "set_language" not in names


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_page_renders_for_every_role_in_both_languages(world, page):
    cast, samples = world
    kwargs = samples.get(page.name) or dummy_kwargs(page)
    url = page.url(kwargs)
    clients = clients_for(cast)
    try:
        probe = clients["admin"].get(url)
    except Exception as error:
        raise AssertionError(f"GET {url} as admin raised") from error
    if is_post_only(probe):
        return  # a form target; its own tests cover it
    assert not page.arguments or page.name in samples, (
        f"{page.name} ({page.route}) takes arguments but has no sample: add one to "
        f"sample_url_kwargs in tests/<app>/pages.py (see {Path(__file__).name})"
    )
    problems, ok_roles = [], []
    for role, client in clients.items():
        for language in LANGUAGES:
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            try:
                response = client.get(url)
            except Exception as error:
                raise AssertionError(f"GET {url} as {role} in {language} raised") from error
            if response.status_code not in ALLOWED_STATUSES:
                problems.append(f"{role}/{language}: status {response.status_code}")
            elif response.status_code == 200:
                ok_roles.append(role)
                problems += [f"{role}/{language}: {p}" for p in problems_in(response, language)]
    assert not problems, f"GET {url}:\n" + "\n".join(problems)
    assert ok_roles, f"GET {url} gave no role a page; is the sample right?"


def test_chinese_is_the_default_and_english_is_chosen_by_cookie(cast):
    client = Client()
    client.force_login(cast.encheng_staff)
    chinese = client.get(reverse("core:home"))
    assert problems_in(chinese, "zh-hans") == []
    assert text_of(chinese.content.decode(), "main-nav") is not None
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("core:home"))
    assert problems_in(english, "en") == []
    assert "Home" in (text_of(english.content.decode(), "main-nav") or "")


def test_the_check_catches_an_untranslated_navigation(cast):
    client = Client()
    client.force_login(cast.encheng_staff)
    html = client.get(reverse("core:home")).content.decode().replace("首页", "Home")
    leaked = HttpResponse(html, content_type="text/html; charset=utf-8")
    assert any("首页" in p for p in problems_in(leaked, "zh-hans"))
    assert any("'Home'" in p for p in problems_in(leaked, "zh-hans"))


def _catalogue(path: Path = PO_PATH) -> polib.POFile:
    return polib.pofile(str(path))


def _untranslated(catalogue: polib.POFile) -> list[str]:
    missing = [e.msgid for e in catalogue if not e.obsolete and not e.translated()]
    return missing + [f"(fuzzy) {e.msgid}" for e in catalogue.fuzzy_entries()]


def test_chinese_catalogue_is_complete_and_not_fuzzy():
    catalogue = _catalogue()
    assert len(catalogue.translated_entries()) > 100
    assert _untranslated(catalogue) == []
    assert not catalogue.metadata_is_fuzzy
    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


def test_chinese_catalogue_keeps_every_placeholder():
    broken = []
    for entry in _catalogue().translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid))
        translations = [entry.msgstr] if not entry.msgid_plural else entry.msgstr_plural.values()
        if entry.msgid_plural:
            expected |= set(PLACEHOLDER.findall(entry.msgid_plural))
        broken += [entry.msgid for t in translations if set(PLACEHOLDER.findall(t)) != expected]
    assert broken == []


def test_chinese_catalogue_covers_every_marked_string(tmp_path, monkeypatch):
    """makemessages over a copy of the package: a string marked but never translated fails."""
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        missing = "GNU gettext is not installed (apt-get install gettext)"
        if os.environ.get("CI"):  # CI installs it (.ci/run); only a bare checkout may skip
            pytest.fail(missing)
        pytest.skip(missing)
    copy = tmp_path / "jinwei"
    shutil.copytree(
        Path(settings.PACKAGE_DIR),
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"),
    )
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[]):
        call_command(
            "makemessages", locale=["zh_Hans"], ignore_patterns=["migrations"], verbosity=0
        )
    missing = _untranslated(_catalogue(copy / PO_PATH.relative_to(settings.PACKAGE_DIR)))
    assert missing == [], "Run makemessages (see the module docstring) and translate these"
