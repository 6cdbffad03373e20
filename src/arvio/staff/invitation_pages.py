"""A round's municipalities and their contact people, on the staff's own pages.

Municipalities are chosen from Finland's list (surveys/municipality_list.py), found by name in Finnish or Swedish or
by code, with a plain GET form. Contact people are checked by the survey file's own rules. Only evaluation staff
edit; a confirmation names what is removed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from arvio.invitations.invitation_editing import (
    NotEditable,
    contact_add,
    contact_edit,
    contact_remove,
    invitation_add,
    invitation_removable,
    invitation_remove,
)
from arvio.invitations.models import Contact
from arvio.lib.http import bad_request
from arvio.staff.access import get_invitation_for_user, get_round_for_user, may_see_contacts
from arvio.staff.invitation_forms import ContactForm, MunicipalityAddForm, MunicipalitySearchForm
from arvio.surveys.municipality_list import municipality_search

# A search for one letter would list half the country; the page shows this many and says so.
MAX_MATCHES = 30


@login_required
def round_municipalities(request, code):
    round = get_round_for_user(request, code, manage=True)
    form = MunicipalitySearchForm(request.GET)
    status = 200
    matches, more = [], 0
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        found = municipality_search(query)
        matches, more = found[:MAX_MATCHES], max(0, len(found) - MAX_MATCHES)
    else:
        status = 400
    invitations = list(round.invitations.select_related("municipality", "response"))
    invited = {invitation.municipality.code for invitation in invitations}
    return render(
        request,
        "staff/round_municipalities.html",
        {
            "round": round,
            "form": form,
            "query": query,
            "matches": [(municipality, municipality.code in invited) for municipality in matches],
            "more": more,
            "rows": [(invitation, invitation_removable(invitation)) for invitation in invitations],
        },
        status=status,
    )


@login_required
@require_POST
def municipality_add(request, code):
    round = get_round_for_user(request, code, manage=True)
    form = MunicipalityAddForm(request.POST)
    if not form.is_valid():
        return bad_request(request, _("That municipality is not on the list. Nothing was added. Search again."))
    if round.closed_at is not None:
        messages.error(request, _("The round has been closed: no municipality can be added to it."))
        return redirect("staff:round_municipalities", round.code)
    try:
        invitation, created = invitation_add(round=round, code=form.cleaned_data["code"], by=request.user)
    except ValueError:
        return bad_request(request, _("That municipality is not on the list. Nothing was added. Search again."))
    name = invitation.municipality.tr("name")
    if created:
        messages.success(
            request, _("%(name)s was added to the round. Add its contact people on its page.") % {"name": name}
        )
    else:
        messages.info(request, _("%(name)s is already in the round.") % {"name": name})
    return redirect("staff:round_municipalities", round.code)


@login_required
def invitation_remove_page(request, code, municipality_code):
    """GET asks to confirm, naming the municipality; POST removes it."""
    invitation = get_invitation_for_user(request, code, municipality_code, manage=True)
    round = invitation.round
    name = invitation.municipality.tr("name")
    if request.method == "POST":
        try:
            invitation_remove(invitation=invitation, by=request.user)
        except NotEditable:
            messages.error(
                request,
                _("%(name)s has already saved or submitted an answer, so it stays in the round.") % {"name": name},
            )
        else:
            messages.success(request, _("%(name)s was removed from the round.") % {"name": name})
        return redirect("staff:round_municipalities", round.code)
    return render(
        request,
        "staff/invitation_remove.html",
        {
            "round": round,
            "invitation": invitation,
            "removable": invitation_removable(invitation),
            "contacts": invitation.contacts.count(),
        },
    )


def _contact_invitation(request, code, municipality_code):
    invitation = get_invitation_for_user(request, code, municipality_code, manage=True)
    if not may_see_contacts(request.user, invitation.round):
        raise PermissionDenied
    return invitation


def _contact_page(request, invitation, form, contact=None, status=200):
    return render(
        request,
        "staff/contact_form.html",
        {"round": invitation.round, "invitation": invitation, "form": form, "contact": contact},
        status=status,
    )


@login_required
def contact_add_page(request, code, municipality_code):
    invitation = _contact_invitation(request, code, municipality_code)
    if request.method != "POST":
        return _contact_page(request, invitation, ContactForm())
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _contact_page(request, invitation, form, status=400)
    contact = contact_add(invitation=invitation, by=request.user, **form.cleaned_data)
    messages.success(request, _("%(name)s was added as a contact person.") % {"name": contact.name})
    return redirect("staff:invitation", invitation.round.code, invitation.municipality.code)


@login_required
def contact_edit_page(request, code, municipality_code, contact_id):
    invitation = _contact_invitation(request, code, municipality_code)
    contact = get_object_or_404(Contact, pk=contact_id, invitation=invitation)
    if request.method != "POST":
        initial = {"name": contact.name, "email": contact.email, "role": contact.role}
        return _contact_page(request, invitation, ContactForm(initial=initial), contact)
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _contact_page(request, invitation, form, contact, status=400)
    contact_edit(contact=contact, by=request.user, **form.cleaned_data)
    messages.success(request, _("The contact person %(name)s was saved.") % {"name": contact.name})
    return redirect("staff:invitation", invitation.round.code, invitation.municipality.code)


@login_required
def contact_delete_page(request, code, municipality_code, contact_id):
    """GET asks to confirm, naming the person; POST removes them."""
    invitation = _contact_invitation(request, code, municipality_code)
    contact = get_object_or_404(Contact, pk=contact_id, invitation=invitation)
    if request.method == "POST":
        contact_remove(contact=contact, by=request.user)
        messages.success(request, _("%(name)s is no longer a contact person.") % {"name": contact.name})
        return redirect("staff:invitation", invitation.round.code, invitation.municipality.code)
    return render(
        request, "staff/contact_delete.html", {"round": invitation.round, "invitation": invitation, "contact": contact}
    )
