"""The staff accounts' workflows: inviting a colleague, sending the invitation again, setting a password,
changing a role, deactivating, and asking for a password reset. Each is recorded in the audit log with the
organizer it concerns, in its own transaction with the mail it queues (the outbox, invitations/outbox.py).

An account's username is the email address it was invited with; an address belongs to one account
(case-insensitively): inviting an address that has an account adds a membership to that account.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from arvio.invitations.mail import mail_render
from arvio.invitations.models import SentMail
from arvio.invitations.outbox import mail_queue_to_account
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.staff.models import Membership
from arvio.staff.tokens import invitation_token_generator
from arvio.surveys.models import Organizer

A = AuditEntry.Action
Role = Membership.Role

# One password reset mail per account in this time, however often the form is sent (no mail bombing).
RESET_MAIL_INTERVAL_SECONDS = 300


class AccountRefused(Exception):
    """What was asked cannot be done; the message says why, in the active language."""


@dataclass(frozen=True)
class Invited:
    membership: Membership
    created: bool  # a new account, rather than a membership added to an existing one
    mail: SentMail | None  # None: the account already has a password and is active


def _account_detail(membership: Membership, **extra) -> dict:
    user = membership.user
    return {"organizer": membership.organizer.code, "user": f"{user.pk} {user.get_username()}", **extra}


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _queue_invitation(*, membership: Membership, language: str, by) -> SentMail:
    user = membership.user
    token = invitation_token_generator.make_token(user)
    context = {
        "account": user,
        "email": user.email,
        "organizer": membership.organizer,
        "role": membership.role,
        "inviter": (by.get_full_name() or by.get_username()) if by is not None else membership.organizer.tr("name"),
        "url": settings.ARVIO_BASE_URL + reverse("staff:account_set_password", args=[_uid(user), token]),
        "days": settings.ARVIO_ACCOUNT_INVITE_DAYS,
    }
    subject, body = mail_render("account_invitation", context, [language])
    return mail_queue_to_account(
        account=user,
        kind=SentMail.Kind.ACCOUNT_INVITATION,
        to_address=user.email,
        subject=subject,
        body=body,
        by=by,
    )


def _active_staff(organizer: Organizer):
    return Membership.objects.filter(organizer=organizer, role=Role.STAFF, user__is_active=True)


def account_invite(
    *, organizer: Organizer, email: str, first_name: str, last_name: str, role: str, language: str, by
) -> Invited:
    """Makes `email` a member of `organizer` in `role`. A new address gets an account without a usable password
    and a mail with a one-time link to set one; an address with an account gets the membership added (and the
    mail too, when the account has no password yet or was deactivated)."""
    email = email.strip()
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email__iexact=email).order_by("pk").first()
        created = user is None
        if created:
            user = User(username=email.lower(), email=email, first_name=first_name, last_name=last_name)
            user.set_unusable_password()
            user.save()
        elif Membership.objects.filter(user=user, organizer=organizer).exists():
            raise AccountRefused(
                _("%(email)s already has an account in %(organizer)s.")
                % {"email": email, "organizer": organizer.tr("name")}
            )
        elif not user.is_active:
            # Back after a deactivation: the link sets a new password (deactivating made the old one unusable).
            user.is_active = True
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
        membership = Membership.objects.create(user=user, organizer=organizer, role=role)
        mail = (
            None if user.has_usable_password() else _queue_invitation(membership=membership, language=language, by=by)
        )
        record(action=A.ACCOUNT_INVITE, by=by, detail=_account_detail(membership, role=role, new=created))
    return Invited(membership=membership, created=created, mail=mail)


def account_invitation_pending(user) -> bool:
    """Invited, and has not set a password yet."""
    return user.is_active and not user.has_usable_password()


def account_invite_resend(*, membership: Membership, language: str, by) -> SentMail:
    """A new invitation mail; the links sent earlier stop working (a new unusable password changes the token)."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=membership.user_id)
        if not account_invitation_pending(user):
            raise AccountRefused(_("This account has already set its password: there is no invitation to send."))
        user.set_unusable_password()
        user.save(update_fields=["password"])
        membership.user = user
        mail = _queue_invitation(membership=membership, language=language, by=by)
        record(action=A.ACCOUNT_INVITE_RESEND, by=by, detail=_account_detail(membership))
    return mail


def account_password_set(*, user) -> None:
    """Records that the invited colleague (or a person who asked for a reset) set a password."""
    record(action=A.ACCOUNT_PASSWORD_SET, by=user, detail={"user": f"{user.pk} {user.get_username()}"})


def _guard_last_staff(membership: Membership) -> None:
    if membership.role != Role.STAFF:
        return
    if not _active_staff(membership.organizer).exclude(pk=membership.pk).exists():
        raise AccountRefused(
            _(
                "%(name)s is the last evaluation staff member of %(organizer)s: somebody must remain to run its "
                "rounds and manage its accounts. Invite another evaluation staff member first."
            )
            % {"name": _display_name(membership.user), "organizer": membership.organizer.tr("name")}
        )


def _display_name(user) -> str:
    return user.get_full_name() or user.get_username()


def membership_role_change(*, membership: Membership, role: str, by) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("user", "organizer").get(pk=membership.pk)
        if membership.role == role:
            return membership
        if role != Role.STAFF:
            if membership.user_id == by.pk:
                raise AccountRefused(
                    _("You cannot take away your own role as evaluation staff: ask a colleague to do it.")
                )
            # Locks the organizer's staff rows, so that two changes at once cannot both pass the check.
            list(_active_staff(membership.organizer).select_for_update())
            _guard_last_staff(membership)
        before = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record(action=A.ACCOUNT_ROLE_CHANGE, by=by, detail=_account_detail(membership, role=role, before=before))
    return membership


def _sessions_end(user) -> int:
    """Deletes the user's sessions (a new unusable password has made them invalid already)."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def account_deactivate(*, membership: Membership, by) -> bool:
    """Ends the account's access to the organizer. An account that belongs to this organizer only is deactivated
    (it cannot log in, its sessions end); one that belongs to other organizers too loses only this membership.
    Returns whether the account was deactivated."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("user", "organizer").get(pk=membership.pk)
        user = membership.user
        if user.pk == by.pk:
            raise AccountRefused(_("You cannot deactivate your own account: ask a colleague to do it."))
        list(_active_staff(membership.organizer).select_for_update())
        _guard_last_staff(membership)
        if Membership.objects.filter(user=user).exclude(pk=membership.pk).exists():
            detail = _account_detail(membership)
            membership.delete()
            record(action=A.ACCOUNT_REMOVE, by=by, detail=detail)
            return False
        if not user.is_active:
            return True
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        # Unsent invitations would bring a link that no longer works.
        user.account_mails.filter(state__in=(SentMail.State.QUEUED, SentMail.State.FAILED)).update(
            state=SentMail.State.CANCELLED, to_address="", body="", next_attempt_at=None
        )
        sessions = _sessions_end(user)
        record(action=A.ACCOUNT_DEACTIVATE, by=by, detail=_account_detail(membership, sessions_ended=sessions))
    return True


def password_reset_queue(*, user, language: str, url: str) -> SentMail | None:
    """Queues a password reset mail to the account, unless one was queued a moment ago."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        recent = timezone.now() - timedelta(seconds=RESET_MAIL_INTERVAL_SECONDS)
        if user.account_mails.filter(kind=SentMail.Kind.PASSWORD_RESET, queued_at__gte=recent).exists():
            return None
        subject, body = mail_render("password_reset", {"account": user, "url": url}, [language])
        mail = mail_queue_to_account(
            account=user, kind=SentMail.Kind.PASSWORD_RESET, to_address=user.email, subject=subject, body=body, by=None
        )
        record(action=A.ACCOUNT_PASSWORD_RESET, by=user, detail={"user": f"{user.pk} {user.get_username()}"})
    return mail


def password_reset_url(user) -> str:
    token = default_token_generator.make_token(user)
    return settings.ARVIO_BASE_URL + reverse("staff:password_reset_confirm", args=[_uid(user), token])
