"""Editing a round's invitations in the browser: municipalities added from Finland's list and removed, and their
contact people added, edited and removed. Each change is one transaction with its audit entry."""

from django.db import transaction
from django.db.models import Max

from arvio.invitations.models import Contact, Invitation
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.surveys.models import Municipality, Round
from arvio.surveys.municipality_list import municipality_listed


class NotEditable(Exception):
    """The change cannot be made; the message says why, in the active language."""


def invitation_removable(invitation: Invitation) -> bool:
    """Only a municipality that has neither a draft nor an answer can be taken off a round: nothing is lost."""
    response = getattr(invitation, "response", None)
    return response is None or (response.draft_saved_at is None and response.submitted_at is None)


def invitation_add(*, round: Round, code: str, by) -> tuple[Invitation, bool]:
    """Invites the municipality of Finland's list with `code` to the round, making its Municipality row from the list
    if Arvio has none yet. Returns (the invitation, whether it is new); inviting twice changes nothing."""
    listed = municipality_listed(code)
    if listed is None:
        raise ValueError(f"{code!r} is not on the list of municipalities")
    with transaction.atomic():
        municipality, _created = Municipality.objects.get_or_create(
            code=listed.code,
            defaults={"name_fi": listed.name_fi, "name_sv": listed.name_sv, "language": listed.language},
        )
        invitation = Invitation.objects.filter(round=round, municipality=municipality).first()
        if invitation is not None:
            return invitation, False
        last = round.invitations.aggregate(last=Max("order"))["last"]
        invitation = Invitation.objects.create(
            round=round, municipality=municipality, order=0 if last is None else last + 1
        )
        record(action=AuditEntry.Action.INVITATION_ADD, by=by, **_codes(invitation))
    return invitation, True


def invitation_remove(*, invitation: Invitation, by) -> None:
    """Takes the municipality off the round with its contact people, links and mail history; refused (NotEditable)
    once the municipality has a draft or an answer."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update().select_related("round", "municipality").get(pk=invitation.pk)
        )
        if not invitation_removable(invitation):
            raise NotEditable
        codes = _codes(invitation)
        invitation.delete()
        record(action=AuditEntry.Action.INVITATION_REMOVE, by=by, **codes)


def contact_add(*, invitation: Invitation, name: str, email: str, role: str, by) -> Contact:
    with transaction.atomic():
        last = invitation.contacts.aggregate(last=Max("order"))["last"]
        contact = Contact.objects.create(
            invitation=invitation, name=name, email=email, role=role, order=0 if last is None else last + 1
        )
        record(action=AuditEntry.Action.CONTACT_ADD, by=by, detail={"contact": contact.pk}, **_codes(invitation))
    return contact


def contact_edit(*, contact: Contact, name: str, email: str, role: str, by) -> Contact:
    with transaction.atomic():
        contact.name, contact.email, contact.role = name, email, role
        contact.save(update_fields=["name", "email", "role"])
        record(
            action=AuditEntry.Action.CONTACT_EDIT, by=by, detail={"contact": contact.pk}, **_codes(contact.invitation)
        )
    return contact


def contact_remove(*, contact: Contact, by) -> None:
    """Removes the contact person. The mails already sent to them stay in the history, with the address blanked once
    sent, as every sent mail's is."""
    with transaction.atomic():
        pk = contact.pk
        contact.delete()
        record(action=AuditEntry.Action.CONTACT_REMOVE, by=by, detail={"contact": pk}, **_codes(contact.invitation))


def _codes(invitation: Invitation) -> dict:
    return {"round_code": invitation.round.code, "municipality_code": invitation.municipality.code}
