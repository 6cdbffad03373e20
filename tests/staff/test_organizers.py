"""Organizers: an account sees and acts only on the rounds of the organizers it belongs to.

Another organizer's round, invitation, mail, excerpt, results, downloads and accounts answer 404, as if they did
not exist; every staff URL is tried, so that a new one is covered as soon as it is added.
"""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from arvio.invitations.mail import send_invitation
from arvio.invitations.models import SentMail
from arvio.records.models import AuditEntry
from arvio.records.services import record
from arvio.responses.models import PendingImport
from arvio.results.services import excerpt_create
from arvio.staff.access import organizers_for_user
from arvio.staff.models import Membership
from arvio.surveys.models import BaselineMapping
from tests.factories import make_organizer, make_round
from tests.invitations.helpers import DURING_ROUND, submit

pytestmark = pytest.mark.django_db

# Namespaces whose pages are for logged-in staff, and those that are not (with why).
STAFF_NAMESPACES = {"staff", "results", "curation"}
OTHER_NAMESPACES = {
    "responses": "the respondents' pages: a personal link's session, no account",
    "admin": "Django's admin, the developer's tool: superusers only",
    "feedback": "a municipality's own feedback: the respondent's link session, no account",
    "reports": "the published reports: public, by their organizer's and round's codes (tests/public)",
    "reports_api": "the published reports' JSON API: public, published versions only (tests/public)",
}
# Staff pages that are about no one round, invitation or account of an organizer: each with why.
NOT_ABOUT_ONE_ORGANIZER = {
    "staff:login": "the login page",
    "staff:logout": "logging out",
    "staff:rounds": "the list, filtered to the user's organizers (test below)",
    "staff:records": "the audit log, filtered to the user's organizers (test below)",
    "staff:records_csv": "the audit log's download, filtered alike",
    "staff:accounts": "the accounts list, filtered to the organizers the user manages (test below)",
    "staff:account_invite": "inviting: the organizer is chosen among the user's own (test_accounts.py)",
    "staff:password_reset": "public: the password reset form",
    "staff:password_reset_done": "public: its confirmation",
    "staff:password_reset_confirm": "public: a one-time link, checked by its token",
    "staff:account_set_password": "public: a one-time link, checked by its token",
    "staff:round_new": "a new round: the copied round and the organizer are chosen among the user's own (test below)",
}


@pytest.fixture
def other():
    """Organizer B's round, with an invitation, a mail, a submitted answer, an excerpt and an account."""
    organizer = make_organizer("toinen")
    round = make_round("toisen-kierros")
    round.organizer = organizer
    round.save()
    invitation = round.invitations.select_related("municipality").first()
    mail = send_invitation(invitation=invitation)[0]
    response = submit(invitation, at=DURING_ROUND, comments={"kehittaminen": "Yhteistyö on sujunut."})
    excerpt = excerpt_create(
        round=round,
        response=response,
        question=round.questions.get(code="kehittaminen"),
        text="Yhteistyö on sujunut.",
        by=None,
    )
    account = apps.get_model("auth", "User").objects.create_user("b-staff", "b-staff@example.fi", "x" * 20)
    Membership.objects.create(user=account, organizer=organizer, role=Membership.Role.STAFF)
    mapping = BaselineMapping.objects.create(round=round, baseline_code="vanha", code="osallisuus")
    upload = PendingImport.objects.create(
        round=round,
        uploaded_by=account,
        filename="vastaukset.csv",
        content=b"municipality\n",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return {
        "code": round.code,
        "municipality_code": invitation.municipality.code,
        "mail_id": mail.pk,
        "pk": excerpt.pk,
        "language": "fi",
        "organizer": organizer.code,
        "account_id": account.pk,
        "lang": "sv",
        "node_code": round.nodes.order_by("pk").first().code,
        "contact_id": invitation.contacts.first().pk,
        "row_id": mapping.pk,
        "upload_id": upload.pk,
    }


# What does not exist at all: a request that answers alike for these reveals nothing about B's objects.
NOWHERE = {
    "code": "ei-ole",
    "municipality_code": "999",
    "mail_id": 999999,
    "pk": 999999,
    "language": "fi",
    "organizer": "ei-ole",
    "account_id": 999999,
    "lang": "sv",
    "node_code": "ei-ole",
    "contact_id": 999999,
    "row_id": 999999,
    "upload_id": "00000000-0000-4000-8000-000000000000",
}


def _patterns():
    """(name, argument names) of every pattern in the staff namespaces; fails on a namespace it does not know."""
    found = []
    for entry in get_resolver().url_patterns:
        if not isinstance(entry, URLResolver) or not entry.namespace:
            continue
        if entry.namespace in OTHER_NAMESPACES:
            continue
        assert entry.namespace in STAFF_NAMESPACES, f"a new namespace {entry.namespace!r}: add it to a list above"
        prefix = list(entry.pattern.regex.groupindex)
        for pattern in entry.url_patterns:
            assert isinstance(pattern, URLPattern), f"a nested include in {entry.namespace}"
            found.append((f"{entry.namespace}:{pattern.name}", prefix + list(pattern.pattern.regex.groupindex)))
    return found


def test_it_knows_every_staff_pattern():
    names = {name for name, _arguments in _patterns()}
    assert {"staff:round", "results:download", "curation:excerpt_edit", "staff:account"} <= names
    for name, arguments in _patterns():
        if name in NOT_ABOUT_ONE_ORGANIZER:
            continue
        unknown = [argument for argument in arguments if argument not in NOWHERE]
        assert not unknown, f"{name} takes {unknown}: add a value of organizer B for it to the fixture `other`"
        assert arguments, f"{name} takes no argument: say in NOT_ABOUT_ONE_ORGANIZER why it is no organizer's"


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_answers_404_for_every_url_of_another_organizer(client, staff, round, other, method):
    client.force_login(staff)
    entries_before = AuditEntry.objects.count()
    tried = 0
    for name, arguments in _patterns():
        if name in NOT_ABOUT_ONE_ORGANIZER:
            continue
        url = reverse(name, kwargs={argument: other[argument] for argument in arguments})
        response = getattr(client, method)(url, {"format": "json", "lang": "fi"} if method == "get" else {})
        if response.status_code == 405:
            # Refused for the method before anything is looked up: alike for what does not exist.
            nowhere = reverse(name, kwargs={argument: NOWHERE[argument] for argument in arguments})
            assert getattr(client, method)(nowhere).status_code == 405, url
        else:
            assert response.status_code == 404, (url, response.status_code)
        tried += 1
    assert tried == len([name for name, _a in _patterns() if name not in NOT_ABOUT_ONE_ORGANIZER]) >= 19
    # Nothing was done: no audit entry at all, B's mail as it was.
    assert AuditEntry.objects.count() == entries_before
    assert SentMail.objects.get(pk=other["mail_id"]).state == SentMail.State.QUEUED


def test_it_lets_the_same_staff_member_reach_its_own_round(client, staff, round):
    client.force_login(staff)
    assert client.get(reverse("staff:round", args=[round.code])).status_code == 200


def test_it_lists_only_the_rounds_of_the_users_organizers(client, staff, round, other):
    client.force_login(staff)
    page = client.get(reverse("staff:rounds")).content.decode()
    assert reverse("staff:round", args=[round.code]) in page
    assert other["code"] not in page


def test_it_lists_the_rounds_of_each_organizer_the_user_belongs_to(client, viewer, round, other):
    Membership.objects.create(user=viewer, organizer=make_organizer("toinen"), role=Membership.Role.VIEWER)
    client.force_login(viewer)
    page = client.get(reverse("staff:rounds")).content.decode()
    assert reverse("staff:round", args=[round.code]) in page
    assert reverse("staff:round", args=[other["code"]]) in page
    assert [o.code for o in organizers_for_user(viewer)] == ["luvn", "toinen"]


def test_it_forbids_a_viewer_to_act_in_its_organizer_but_not_as_staff_elsewhere(client, viewer, round, other):
    """A viewer of "luvn" who is evaluation staff of "toinen" acts on "toinen"'s rounds only."""
    Membership.objects.create(user=viewer, organizer=make_organizer("toinen"), role=Membership.Role.STAFF)
    client.force_login(viewer)
    assert client.get(reverse("staff:close_round", args=[round.code])).status_code == 403
    assert client.get(reverse("staff:close_round", args=[other["code"]])).status_code == 200


def test_it_shows_only_the_audit_entries_of_the_users_organizers(client, staff, round, other):
    record(action=AuditEntry.Action.ROUND_CLOSE, round_code=round.code)
    record(action=AuditEntry.Action.ROUND_CLOSE, round_code=other["code"])
    record(action=AuditEntry.Action.ACCOUNT_INVITE, detail={"organizer": "luvn", "user": "1 uusi@example.fi"})
    record(action=AuditEntry.Action.ACCOUNT_INVITE, detail={"organizer": "toinen", "user": "2 muu@example.fi"})
    record(action=AuditEntry.Action.PURGE, detail={"contacts": 3})
    record(action=AuditEntry.Action.RECORDS_EXPORT, by=staff)
    client.force_login(staff)
    page = client.get(reverse("staff:records")).content.decode()
    csv = client.get(reverse("staff:records_csv")).content.decode()
    for text in (page, csv):
        assert round.code in text
        assert "uusi@example.fi" in text
        assert other["code"] not in text
        assert "muu@example.fi" not in text
    assert "purge" not in csv
    # The round filter offers the user's own rounds only.
    assert f'value="{other["code"]}"' not in page
    # The user's own download is listed, and so is the new one the CSV added.
    assert AuditEntry.objects.filter(action=AuditEntry.Action.RECORDS_EXPORT, user_id=staff.pk).count() == 2


def test_it_forbids_an_account_of_no_organizer_before_looking_anything_up(client, outsider, round):
    client.force_login(outsider)
    assert client.get(reverse("staff:round", args=[round.code])).status_code == 403
    assert client.get(reverse("staff:round", args=["ei-ole"])).status_code == 403


def test_it_gives_a_superuser_no_role_on_the_organizers_pages(client, django_user_model, round):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.fi", "correct horse battery")
    client.force_login(admin)
    assert client.get(reverse("staff:round", args=[round.code])).status_code == 403
    Membership.objects.create(user=admin, organizer=round.organizer, role=Membership.Role.VIEWER)
    assert client.get(reverse("staff:round", args=[round.code])).status_code == 200


def _migration():
    return importlib.import_module("arvio.staff.migrations.0003_memberships_from_groups")


def test_the_migration_makes_every_group_member_a_member_of_every_organizer(django_user_model):
    first, second = make_organizer("luvn"), make_organizer("toinen")
    manager = django_user_model.objects.create_user("arvioija")
    reader = django_user_model.objects.create_user("katselija")
    both = django_user_model.objects.create_user("molemmat")
    nobody = django_user_model.objects.create_user("ei-roolia")
    staff_group = Group.objects.create(name="Evaluation staff")
    viewers_group = Group.objects.create(name="Viewers")
    staff_group.user_set.add(manager, both)
    viewers_group.user_set.add(reader, both)

    _migration().memberships_from_groups(apps, None)

    roles = {
        (m.user.username, m.organizer.code): m.role for m in Membership.objects.select_related("user", "organizer")
    }
    assert roles == {
        ("arvioija", "luvn"): "staff",
        ("arvioija", "toinen"): "staff",
        ("katselija", "luvn"): "viewer",
        ("katselija", "toinen"): "viewer",
        ("molemmat", "luvn"): "staff",
        ("molemmat", "toinen"): "staff",
    }
    assert not Membership.objects.filter(user=nobody).exists()
    assert not Group.objects.filter(name__in=["Evaluation staff", "Viewers"]).exists()
    assert {first.code, second.code} == set(Membership.objects.values_list("organizer__code", flat=True))

    _migration().groups_from_memberships(apps, None)
    assert set(Group.objects.get(name="Evaluation staff").user_set.values_list("username", flat=True)) == {
        "arvioija",
        "molemmat",
    }
    assert set(Group.objects.get(name="Viewers").user_set.values_list("username", flat=True)) == {"katselija"}


# The pages a viewer reads that take a POST without acting (the preview shows a filled form's checks, nothing saved).
VIEWERS_READ = {
    "staff:round",
    "staff:invitation",
    "staff:round_preview",
    "staff:round_comparison",
    "results:page",
    "results:download",
}


def test_it_lets_staff_of_one_organizer_who_views_another_act_on_none_of_its_rounds(client, staff, round, other):
    """Evaluation staff of "luvn" who is only a viewer of "toinen": every POST to "toinen"'s URLs is refused."""
    Membership.objects.create(user=staff, organizer=make_organizer("toinen"), role=Membership.Role.VIEWER)
    client.force_login(staff)
    entries_before = AuditEntry.objects.count()
    refused = {}
    for name, arguments in _patterns():
        if name in NOT_ABOUT_ONE_ORGANIZER:
            continue
        url = reverse(name, kwargs={argument: other[argument] for argument in arguments})
        refused[name] = client.post(url, {}).status_code
    # 403 where a viewer may look, 404 where it may not even look (another organizer's accounts), 405 for a
    # page that takes no POST at all; the pages a viewer reads answer a POST as a GET and change nothing.
    assert {name: status for name, status in refused.items() if status not in (403, 404, 405)} == {
        name: refused[name] for name in VIEWERS_READ
    }
    assert refused["staff:close_round"] == refused["staff:send_invitations"] == refused["staff:node_add"] == 403
    assert AuditEntry.objects.count() == entries_before
    assert SentMail.objects.get(pk=other["mail_id"]).state == SentMail.State.QUEUED
    # The viewer still reads the round.
    assert client.get(reverse("staff:round", args=[other["code"]])).status_code == 200
