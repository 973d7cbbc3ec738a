"""Park and industry-chain pages: the park list (and its Excel export), a park's page, the chain
list, a chain's page whose empty and thin links are the targets for 产业链招商, and the forms
that create and edit parks, chains and links.

Everyone in the government reads them; investment staff and the supervising office change them
(`access.may_manage`); people of another government get a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jinwei.accounts.access import get_for_view
from jinwei.audit.services import StaleVersionError
from jinwei.core.forms import attempt
from jinwei.lib import xlsx
from jinwei.projects import access, parks
from jinwei.projects.models import ChainLink, IndustryChain, Park
from jinwei.projects.park_forms import (
    ChainForm,
    ChainLinkForm,
    ParkForm,
    VersionedChainForm,
    VersionedChainLinkForm,
    VersionedParkForm,
    VersionForm,
)

CHAIN_STYLES = "projects/chains.css"


def _government(request: HttpRequest) -> tuple[Any, list[Any]]:
    return parks.chosen_government(viewer=request.user, code=request.GET.get("government", ""))


def _require_manager(request: HttpRequest, government_id: int) -> None:
    if not access.may_manage(request.user, government_id):
        raise PermissionDenied


def _park_for_view(request: HttpRequest, park_id: int) -> Park:
    return get_for_view(request, parks.park_queryset(viewer=request.user), pk=park_id)


def _park_for_edit(request: HttpRequest, park_id: int) -> Park:
    park = _park_for_view(request, park_id)
    _require_manager(request, park.government_id)
    return park


def _chain_for_view(request: HttpRequest, chain_id: int) -> IndustryChain:
    return get_for_view(request, parks.chain_queryset(viewer=request.user), pk=chain_id)


def _chain_for_edit(request: HttpRequest, chain_id: int) -> IndustryChain:
    chain = _chain_for_view(request, chain_id)
    _require_manager(request, chain.government_id)
    return chain


def _link_for_edit(request: HttpRequest, link_id: int) -> ChainLink:
    link = get_for_view(request, parks.link_queryset(viewer=request.user), pk=link_id)
    _require_manager(request, link.chain.government_id)
    return link


# --- parks ------------------------------------------------------------------------------------


def park_list(request: HttpRequest) -> HttpResponse:
    government, governments = _government(request)
    rows = list(parks.park_list(viewer=request.user, government=government))
    return render(
        request,
        "projects/parks.html",
        {
            "government": government,
            "governments": governments,
            "parks": rows,
            "may_manage": access.may_manage(request.user, government.pk),
        },
    )


def park_export(request: HttpRequest) -> HttpResponse:
    government, _governments = _government(request)
    rows = parks.park_list(viewer=request.user, government=government)
    sheet = xlsx.Sheet(
        title=_("Parks of %(government)s") % {"government": government.name},
        name=_("Parks"),
        columns=[
            xlsx.Column(_("Name"), 28),
            xlsx.Column(_("Area (mu)"), 12, decimals=2),
            xlsx.Column(_("Focus industries"), 30),
            xlsx.Column(_("Focus chains"), 30),
            xlsx.Column(_("Managing unit"), 20),
            xlsx.Column(_("Location"), 24),
            xlsx.Column(_("Projects"), 10, decimals=0),
            xlsx.Column(_("Enterprises"), 10, decimals=0),
        ],
        rows=(
            [
                park.name,
                park.area_mu,
                park.focus_industries,
                ", ".join(chain.name for chain in park.chains.all()),
                park.managing_unit.name if park.managing_unit else "",
                park.location,
                park.project_count,  # type: ignore[attr-defined]
                park.enterprise_count,  # type: ignore[attr-defined]
            ]
            for park in rows
        ),
    )
    filename = _("parks-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    return xlsx.response(filename=filename, sheets=[sheet])


def park_detail(request: HttpRequest, park_id: int) -> HttpResponse:
    park = _park_for_view(request, park_id)
    return render(
        request,
        "projects/park.html",
        {
            "page": parks.park_page(park=park),
            "park": park,
            "may_manage": access.may_manage(request.user, park.government_id),
        },
    )


def park_create(request: HttpRequest) -> HttpResponse:
    government, _governments = _government(request)
    _require_manager(request, government.pk)
    form = ParkForm(request.POST or None, government=government)
    if request.method == "POST" and form.is_valid():
        park = attempt(
            form,
            lambda: parks.park_create(
                actor=request.user, park=form.instance, chains=form.cleaned_data["chains"]
            ),
        )
        if park is not None:
            messages.success(request, _("The park was added."))
            return redirect("projects:park", park_id=park.pk)
    return render(
        request, "projects/park_form.html", {"form": form, "park": None, "government": government}
    )


def park_edit(request: HttpRequest, park_id: int) -> HttpResponse:
    park = _park_for_edit(request, park_id)
    form = VersionedParkForm(
        request.POST or None,
        instance=park,
        government=park.government,
        initial={"version": park.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: parks.park_update(
                actor=request.user,
                park=park,
                changes=form.changed_values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("projects:park", park_id=park.pk)
    return render(
        request,
        "projects/park_form.html",
        {"form": form, "park": park, "government": park.government},
    )


# --- chains -----------------------------------------------------------------------------------


def chain_list(request: HttpRequest) -> HttpResponse:
    government, governments = _government(request)
    return render(
        request,
        "projects/chains.html",
        {
            "government": government,
            "governments": governments,
            "summaries": parks.chain_list(viewer=request.user, government=government),
            "statuses": parks.LinkStatus.choices,
            "may_manage": access.may_manage(request.user, government.pk),
            "styles": CHAIN_STYLES,
        },
    )


def chain_detail(request: HttpRequest, chain_id: int) -> HttpResponse:
    chain = _chain_for_view(request, chain_id)
    tree = parks.chain_tree(chain, with_enterprises=True)
    return render(
        request,
        "projects/chain.html",
        {
            "chain": chain,
            "tree": tree,
            "segments": tree.segments(),
            "gaps": tree.gaps(),
            "status_rows": tree.status_rows(),
            "may_manage": access.may_manage(request.user, chain.government_id),
            "styles": CHAIN_STYLES,
        },
    )


def chain_create(request: HttpRequest) -> HttpResponse:
    government, _governments = _government(request)
    _require_manager(request, government.pk)
    form = ChainForm(request.POST or None, government=government)
    if request.method == "POST" and form.is_valid():
        chain = attempt(form, lambda: parks.chain_create(actor=request.user, chain=form.instance))
        if chain is not None:
            messages.success(request, _("The chain was added. Now add its links."))
            return redirect("projects:chain", chain_id=chain.pk)
    return render(
        request,
        "projects/chain_form.html",
        {"form": form, "chain": None, "government": government},
    )


def chain_edit(request: HttpRequest, chain_id: int) -> HttpResponse:
    chain = _chain_for_edit(request, chain_id)
    form = VersionedChainForm(
        request.POST or None,
        instance=chain,
        government=chain.government,
        initial={"version": chain.version},
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: parks.chain_update(
                actor=request.user,
                chain=chain,
                changes=form.changed_values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("projects:chain", chain_id=chain.pk)
    return render(
        request,
        "projects/chain_form.html",
        {"form": form, "chain": chain, "government": chain.government},
    )


# --- links ------------------------------------------------------------------------------------


def _link_initial(request: HttpRequest, chain: IndustryChain) -> dict[str, Any]:
    """A sub-link asked for with `?parent=` starts under that parent, in its segment."""
    parent_id = request.GET.get("parent", "")
    parent = chain.links.filter(pk=parent_id).first() if parent_id.isdigit() else None
    if parent is None:
        return {"segment": request.GET.get("segment", "")}
    return {"parent": parent.pk, "segment": parent.segment}


def link_create(request: HttpRequest, chain_id: int) -> HttpResponse:
    chain = _chain_for_edit(request, chain_id)
    form = ChainLinkForm(request.POST or None, chain=chain, initial=_link_initial(request, chain))
    if request.method == "POST" and form.is_valid():
        link = attempt(form, lambda: parks.link_create(actor=request.user, link=form.instance))
        if link is not None:
            messages.success(request, _("The link “%(name)s” was added.") % {"name": link.name})
            return redirect("projects:chain", chain_id=chain.pk)
    return render(
        request, "projects/chain_link_form.html", {"form": form, "chain": chain, "link": None}
    )


def link_edit(request: HttpRequest, link_id: int) -> HttpResponse:
    link = _link_for_edit(request, link_id)
    form = VersionedChainLinkForm(
        request.POST or None, instance=link, chain=link.chain, initial={"version": link.version}
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            form,
            lambda: parks.link_update(
                actor=request.user,
                link=link,
                changes=form.changed_values(),
                expected_version=form.cleaned_data["version"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect("projects:chain", chain_id=link.chain_id)
    return render(
        request, "projects/chain_link_form.html", {"form": form, "chain": link.chain, "link": link}
    )


@require_POST
def link_delete(request: HttpRequest, link_id: int) -> HttpResponse:
    link = _link_for_edit(request, link_id)
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        parks.link_delete(actor=request.user, link=link, expected_version=version)
    except StaleVersionError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The link “%(name)s” was deleted.") % {"name": link.name})
    return redirect("projects:chain", chain_id=link.chain_id)


urlpatterns = [
    path("parks/", park_list, name="parks"),
    path("parks/export.xlsx", park_export, name="parks_export"),
    path("parks/new/", park_create, name="park_create"),
    path("parks/<int:park_id>/", park_detail, name="park"),
    path("parks/<int:park_id>/edit/", park_edit, name="park_edit"),
    path("chains/", chain_list, name="chains"),
    path("chains/new/", chain_create, name="chain_create"),
    path("chains/<int:chain_id>/", chain_detail, name="chain"),
    path("chains/<int:chain_id>/edit/", chain_edit, name="chain_edit"),
    path("chains/<int:chain_id>/links/new/", link_create, name="link_create"),
    path("chain-links/<int:link_id>/edit/", link_edit, name="link_edit"),
    path("chain-links/<int:link_id>/delete/", link_delete, name="link_delete"),
]
