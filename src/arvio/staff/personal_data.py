"""Personal data kept only as long as needed: `arvio purge` and `arvio personal_data` (docs/security.md, "Records").

The municipalities' answers are public documents and stay. What names a person goes: contact people (name,
email, role), the names submitters gave, the addresses in the mail log (the rounds' and the staff accounts'),
expired sessions, uploaded responses files never confirmed, login records, and audit entries past their
retention period. The rules live here; the commands only print.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Max, Q

from arvio.invitations.models import Contact, SentMail
from arvio.lib.dates import end_of_day
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.responses.models import PendingImport, Response
from arvio.surveys.models import Round

LOGIN_RECORDS = (AccessAttempt, AccessFailureLog, AccessLog)

# What a mail row holds of a person: the recipients as logged, and, until it is sent, the address and the
# message itself (a body may carry a personal link). An unsent mail whose address is gone can never go.
MAIL_PERSONAL_DATA = {"recipients": "", "to_address": "", "body": ""}
UNSENT = (SentMail.State.QUEUED, SentMail.State.FAILED)


def round_ended_at(round: Round, last_extension=None) -> datetime:
    """When answering ended for everybody: staff's close, else the end of the last day, extensions included."""
    last_day = max(round.closes_on, last_extension or round.closes_on)
    ended = end_of_day(last_day)
    return min(ended, round.closed_at) if round.closed_at else ended


@dataclass
class RoundPurge:
    round: Round
    ended_at: datetime
    contacts: list[Contact]
    submitters: list[Response]
    mails: list[SentMail]

    @property
    def empty(self) -> bool:
        return not (self.contacts or self.submitters or self.mails)


@dataclass
class PurgePlan:
    now: datetime
    cutoff: datetime  # rounds that ended before this lose their personal data
    rounds: list[RoundPurge] = field(default_factory=list)
    sessions: int = 0
    uploads: int = 0  # uploaded responses files past ARVIO_UPLOAD_KEEP_MINUTES, never confirmed
    login_cutoff: datetime | None = None
    login_records: int = 0
    audit_cutoff: datetime | None = None
    audit_entries: int = 0
    # Mail about staff accounts (invitations, password resets) queued before the cutoff: their addresses go.
    account_mails: list[SentMail] = field(default_factory=list)

    def counts(self) -> dict:
        return {
            "rounds": [purge.round.code for purge in self.rounds if not purge.empty],
            "contacts": sum(len(purge.contacts) for purge in self.rounds),
            "submitters": sum(len(purge.submitters) for purge in self.rounds),
            "mail_addresses": sum(len(purge.mails) for purge in self.rounds),
            "sessions": self.sessions,
            "uploads": self.uploads,
            "login_records": self.login_records,
            "audit_entries": self.audit_entries,
            "account_mails": len(self.account_mails),
        }


def purge_plan(*, now: datetime) -> PurgePlan:
    """What `purge_run` would remove now, read without changing anything."""
    plan = PurgePlan(now=now, cutoff=now - timedelta(days=settings.ARVIO_PERSONAL_DATA_DAYS))
    rounds = Round.objects.annotate(last_extension=Max("invitations__deadline_extended_to")).order_by("closes_on")
    for round in rounds:
        ended_at = round_ended_at(round, round.last_extension)
        if ended_at >= plan.cutoff:
            continue
        plan.rounds.append(
            RoundPurge(
                round=round,
                ended_at=ended_at,
                contacts=list(
                    Contact.objects.filter(invitation__round=round).select_related("invitation__municipality")
                ),
                submitters=list(
                    Response.objects.filter(invitation__round=round)
                    .exclude(submitted_by="")
                    .select_related("invitation__municipality")
                ),
                mails=list(
                    SentMail.objects.filter(invitation__round=round)
                    .exclude(recipients="", to_address="", body="")
                    .select_related("invitation__municipality")
                ),
            )
        )
    plan.account_mails = list(
        SentMail.objects.filter(invitation__isnull=True, queued_at__lt=plan.cutoff).exclude(
            recipients="", to_address="", body=""
        )
    )
    plan.sessions = Session.objects.filter(expire_date__lt=now).count()
    plan.uploads = PendingImport.objects.filter(expires_at__lt=now).count()
    plan.login_cutoff = now - timedelta(days=settings.ARVIO_LOGIN_RECORDS_DAYS)
    plan.login_records = sum(
        model.objects.filter(attempt_time__lt=plan.login_cutoff).count() for model in LOGIN_RECORDS
    )
    plan.audit_cutoff = now - timedelta(days=settings.ARVIO_AUDIT_LOG_DAYS)
    plan.audit_entries = AuditEntry.objects.filter(at__lt=plan.audit_cutoff).count()
    return plan


def purge_run(*, now: datetime) -> PurgePlan:
    """Removes what `purge_plan` lists, in one transaction, and records that it did (one entry, kept)."""
    with transaction.atomic():
        plan = purge_plan(now=now)
        for purge in plan.rounds:
            Contact.objects.filter(pk__in=[contact.pk for contact in purge.contacts]).delete()
            Response.objects.filter(pk__in=[response.pk for response in purge.submitters]).update(submitted_by="")
            SentMail.objects.filter(pk__in=[mail.pk for mail in purge.mails]).update(**MAIL_PERSONAL_DATA)
            SentMail.objects.filter(pk__in=[mail.pk for mail in purge.mails], state__in=UNSENT).update(
                state=SentMail.State.CANCELLED
            )
        account_mails = [mail.pk for mail in plan.account_mails]
        SentMail.objects.filter(pk__in=account_mails).update(**MAIL_PERSONAL_DATA)
        SentMail.objects.filter(pk__in=account_mails, state__in=UNSENT).update(state=SentMail.State.CANCELLED)
        Session.objects.filter(expire_date__lt=now).delete()
        PendingImport.objects.filter(expires_at__lt=now).delete()
        for model in LOGIN_RECORDS:
            model.objects.filter(attempt_time__lt=plan.login_cutoff).delete()
        AuditEntry.objects.filter(at__lt=plan.audit_cutoff).expire()
        record(action=AuditEntry.Action.PURGE, detail=plan.counts())
    return plan


# One person's data, by email address


def email_fingerprint(email: str) -> str:
    """What the audit log keeps of an address it must not hold: its SHA-256, to answer "was X erased?" later."""
    return hashlib.sha256(email.strip().casefold().encode()).hexdigest()


@dataclass
class PersonData:
    email: str
    contacts: list[Contact]
    mails: list[SentMail]
    submitted: list[Response]  # submitted under the name of this person as a contact of the same invitation
    accounts: list  # User
    login_records: int
    audit_entries: int  # entries naming one of the accounts: kept, see `person_erase`

    @property
    def empty(self) -> bool:
        return not (self.contacts or self.mails or self.submitted or self.accounts or self.login_records)

    def counts(self) -> dict:
        return {
            "email_sha256": email_fingerprint(self.email),
            "contacts": len(self.contacts),
            "mail_addresses": len(self.mails),
            "submitters": len(self.submitted),
            "accounts": len(self.accounts),
            "login_records": self.login_records,
        }


def person_find(*, email: str) -> PersonData:
    """Everything Arvio holds that names the person with this email address."""
    email = email.strip()
    contacts = list(
        Contact.objects.filter(email__iexact=email).select_related("invitation__round", "invitation__municipality")
    )
    mails = list(
        SentMail.objects.filter(
            Q(recipients__iendswith=f"<{email}>")
            | Q(recipients__iexact=email)
            | Q(to_address__icontains=f"<{email}>")
            | Q(to_address__iexact=email)
        ).select_related("invitation__round", "invitation__municipality")
    )
    named = Q()
    for contact in contacts:
        named |= Q(invitation_id=contact.invitation_id, submitted_by__iexact=contact.name)
    submitted = (
        list(Response.objects.filter(named).select_related("invitation__round", "invitation__municipality"))
        if contacts
        else []
    )
    accounts = list(get_user_model().objects.filter(email__iexact=email))
    usernames = [account.get_username() for account in accounts]
    login_records = sum(model.objects.filter(username__in=usernames).count() for model in LOGIN_RECORDS)
    audit_entries = AuditEntry.objects.filter(user_id__in=[account.pk for account in accounts]).count()
    return PersonData(email, contacts, mails, submitted, accounts, login_records, audit_entries)


def person_list(*, email: str) -> PersonData:
    """`person_find`, recorded: listing a person's data is itself a use of it."""
    with transaction.atomic():
        found = person_find(email=email)
        record(action=AuditEntry.Action.PERSONAL_DATA_LIST, detail=found.counts())
    return found


def person_erase(*, email: str) -> PersonData:
    """Erases the person's data: contacts deleted, mail addresses and submitter names blanked, login records
    deleted, and each account deleted (its memberships with it) — or, when the audit log names it, deactivated
    with its email and name blanked (and its username, where that is the address), so that the log still says
    who did what (the law requires the log; GDPR art. 17(3)(b))."""
    with transaction.atomic():
        found = person_find(email=email)
        Contact.objects.filter(pk__in=[contact.pk for contact in found.contacts]).delete()
        SentMail.objects.filter(pk__in=[mail.pk for mail in found.mails]).update(**MAIL_PERSONAL_DATA)
        SentMail.objects.filter(pk__in=[mail.pk for mail in found.mails], state__in=UNSENT).update(
            state=SentMail.State.CANCELLED
        )
        Response.objects.filter(pk__in=[response.pk for response in found.submitted]).update(submitted_by="")
        usernames = [account.get_username() for account in found.accounts]
        for model in LOGIN_RECORDS:
            model.objects.filter(username__in=usernames).delete()
        named = set(
            AuditEntry.objects.filter(user_id__in=[a.pk for a in found.accounts]).values_list("user_id", flat=True)
        )
        for account in found.accounts:
            if account.pk in named:
                account.is_active = False
                account.email = account.first_name = account.last_name = ""
                # An invited account's username is its email address (account_services.account_invite).
                if account.username.lower() == email.strip().lower():
                    account.username = f"erased-{account.pk}"
                account.set_unusable_password()
                account.save()
            else:
                account.delete()
        record(action=AuditEntry.Action.PERSONAL_DATA_ERASE, detail=found.counts())
    return found
