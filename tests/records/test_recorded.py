"""Every staff action and every read of a municipality's answers leaves one audit entry: who, when, what, which
round and municipality, from which address — through the web and through the commands alike."""

import getpass
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from arvio.invitations.mail import send_invitation
from arvio.records.models import AuditEntry
from arvio.results.services import excerpt_create
from tests.invitations.helpers import DURING_ROUND, submit

pytestmark = pytest.mark.django_db

A = AuditEntry.Action
ROUND = "/staff/rounds/testikierros/"
HEADER = "municipality,yhteistyo-1,yhteistyo-2,osallisuus,kehittaminen,muuta,submitted_at,submitted_by"
FORWARDED = {"REMOTE_ADDR": "198.51.100.23"}


def only(action) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, entries
    return entries[0]


def assert_by_staff(entry: AuditEntry, staff, *, round="testikierros", municipality="") -> None:
    assert (entry.username, entry.user_id, entry.os_user) == ("staff", staff.pk, "")
    assert (entry.round_code, entry.municipality_code) == (round, municipality)
    assert entry.address == "198.51.100.23"


def test_it_records_sending_invitations_once_per_municipality(client, staff, round, during_round):
    client.force_login(staff)
    client.post(ROUND + "send-invitations/", **FORWARDED)
    entries = AuditEntry.objects.filter(action=A.INVITATION_SEND)
    assert sorted(entries.values_list("municipality_code", flat=True)) == ["235", "710", "927"]
    assert_by_staff(entries.get(municipality_code="235"), staff, municipality="235")


def test_it_records_reminders(client, staff, round, during_round, time_machine):
    for invitation in round.invitations.all():
        send_invitation(invitation=invitation)
    time_machine.shift(86400 * 2)
    client.force_login(staff)
    client.post(ROUND + "send-reminders/", **FORWARDED)
    assert AuditEntry.objects.filter(action=A.REMINDER_SEND).count() == 3
    assert_by_staff(
        AuditEntry.objects.filter(action=A.REMINDER_SEND).first(),
        staff,
        municipality=AuditEntry.objects.filter(action=A.REMINDER_SEND).first().municipality_code,
    )


def test_it_records_the_reminders_of_the_cron_command_with_the_system_account(round, during_round, time_machine):
    for invitation in round.invitations.all():
        send_invitation(invitation=invitation)
    time_machine.shift(86400 * 8)
    call_command("send_reminders", "testikierros", stdout=StringIO())
    entry = AuditEntry.objects.filter(action=A.REMINDER_SEND).first()
    assert (entry.username, entry.user_id, entry.os_user, entry.address) == ("", None, getpass.getuser(), None)


def test_it_records_a_new_link(client, staff, round, during_round):
    client.force_login(staff)
    client.post(ROUND + "235/new-link/", **FORWARDED)
    assert_by_staff(only(A.LINK_REISSUE), staff, municipality="235")


def test_it_records_an_extension(client, staff, round, during_round):
    client.force_login(staff)
    client.post(ROUND + "235/extend/", {"until": "2024-12-12"}, **FORWARDED)
    entry = only(A.DEADLINE_EXTEND)
    assert_by_staff(entry, staff, municipality="235")
    assert entry.detail == {"until": "2024-12-12"}


def test_it_records_no_extension_that_was_refused(client, staff, round, during_round):
    client.force_login(staff)
    client.post(ROUND + "235/extend/", {"until": "2020-01-01"})
    assert not AuditEntry.objects.filter(action=A.DEADLINE_EXTEND).exists()


def test_it_records_closing_the_round_once(client, staff, round, during_round):
    client.force_login(staff)
    client.post(ROUND + "close/", **FORWARDED)
    client.post(ROUND + "close/", **FORWARDED)
    assert_by_staff(only(A.ROUND_CLOSE), staff)


def test_it_records_viewing_a_submitted_response_but_not_an_empty_page(client, staff, viewer, round, during_round):
    client.force_login(staff)
    client.get(ROUND + "235/", **FORWARDED)
    assert not AuditEntry.objects.filter(action=A.RESPONSE_VIEW).exists()
    submit(round.invitations.get(municipality__code="235"), at=DURING_ROUND, values={"osallisuus": 4})
    client.get(ROUND + "235/", **FORWARDED)
    entry = only(A.RESPONSE_VIEW)
    assert_by_staff(entry, staff, municipality="235")
    assert entry.detail == {"page": "invitation"}
    # A viewer is shown no response, so nothing of theirs is recorded.
    client.force_login(viewer)
    client.get(ROUND + "235/")
    assert AuditEntry.objects.filter(action=A.RESPONSE_VIEW).count() == 1


def test_it_records_viewing_the_answers_on_the_results_page(client, staff, viewer, round, during_round):
    submit(round.invitations.get(municipality__code="235"), at=DURING_ROUND, values={"osallisuus": 4})
    client.force_login(viewer)
    client.get(ROUND + "results/")
    assert not AuditEntry.objects.filter(action=A.RESPONSE_VIEW).exists()
    client.force_login(staff)
    client.get(ROUND + "results/", **FORWARDED)
    assert_by_staff(only(A.RESPONSE_VIEW), staff)


def test_it_records_each_download_with_its_format_and_language(client, staff, viewer, round, during_round):
    submit(round.invitations.get(municipality__code="235"), at=DURING_ROUND, values={"osallisuus": 4})
    client.force_login(staff)
    assert client.get(ROUND + "results/download/?format=csv&lang=sv&table=answers", **FORWARDED).status_code == 200
    entry = only(A.REPORT_EXPORT)
    assert_by_staff(entry, staff)
    assert entry.detail == {"format": "csv", "language": "sv", "answers": True, "via": "web", "table": "answers"}
    client.force_login(viewer)
    assert client.get(ROUND + "results/download/?format=xlsx&lang=fi").status_code == 403
    assert client.get(ROUND + "results/download/?format=nope&lang=fi").status_code == 400
    assert AuditEntry.objects.filter(action=A.REPORT_EXPORT).count() == 1


def test_it_records_the_export_command(round, tmp_path):
    call_command(
        "export", "testikierros", "--format", "json", "--lang", "fi", "-o", str(tmp_path / "r.json"), stderr=StringIO()
    )
    entry = only(A.REPORT_EXPORT)
    assert (entry.round_code, entry.username, entry.os_user) == ("testikierros", "", getpass.getuser())
    assert entry.detail == {"format": "json", "language": "fi", "answers": False, "via": "command", "file": "r.json"}


def test_it_records_the_survey_file_commands(tmp_path, round):
    path = tmp_path / "kierros.yaml"
    call_command("export_survey", "testikierros", "-o", str(path), stderr=StringIO())
    assert only(A.SURVEY_EXPORT).round_code == "testikierros"
    call_command("import_survey", str(path), stdout=StringIO())
    entry = only(A.SURVEY_IMPORT)
    assert (entry.round_code, entry.detail, entry.os_user) == (
        "testikierros",
        {"file": "kierros.yaml"},
        getpass.getuser(),
    )


def test_it_records_each_imported_response_by_municipality(round, tmp_path):
    path = tmp_path / "vastaukset.csv"
    path.write_text(
        f"{HEADER}\n235,4,3,EOS,Enemmän.,,3.12.2024,Kaisa\n927,2,,1,,Kiitos,2024-12-01,\n", encoding="utf-8"
    )
    call_command("import_responses", "testikierros", str(path), stdout=StringIO())
    entries = AuditEntry.objects.filter(action=A.RESPONSES_IMPORT).order_by("municipality_code")
    assert [(e.round_code, e.municipality_code, e.detail) for e in entries] == [
        ("testikierros", "235", {"row": 2}),
        ("testikierros", "927", {"row": 3}),
    ]


def test_it_records_no_import_of_a_file_that_was_refused(round, tmp_path):
    path = tmp_path / "vastaukset.csv"
    path.write_text(f"{HEADER}\n235,9,3,EOS,Enemmän.,,3.12.2024,Kaisa\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_responses", "testikierros", str(path), stdout=StringIO(), stderr=StringIO())
    assert not AuditEntry.objects.filter(action=A.RESPONSES_IMPORT).exists()


def test_it_records_editing_and_resetting_the_narrative(client, staff, round, during_round):
    client.force_login(staff)
    url = ROUND + "curation/narrative/fi/"
    client.post(url, {"text": "Kunnat arvioivat yhteistyön hyväksi."}, **FORWARDED)
    client.post(url, {"action": "reset"}, **FORWARDED)
    assert_by_staff(only(A.NARRATIVE_EDIT), staff)
    assert only(A.NARRATIVE_RESET).detail == {"language": "fi"}


def test_it_records_each_change_to_the_excerpts(client, staff, round, during_round):
    kauniainen = round.invitations.get(municipality__code="235")
    response = submit(kauniainen, at=DURING_ROUND, comments={"kehittaminen": "Yhteiset kokoukset kerran kuussa."})
    comment = response.comments.get()
    client.force_login(staff)
    client.post(
        ROUND + "curation/excerpts/",
        {"comment": comment.pk, f"answer-{comment.pk}-text": "Yhteiset kokoukset - - kuussa."},
        **FORWARDED,
    )
    excerpt = round.excerpts.get()
    assert_by_staff(only(A.EXCERPT_ADD), staff, municipality="235")
    client.post(ROUND + f"curation/excerpts/{excerpt.pk}/", {"text": "Yhteiset kokoukset"}, **FORWARDED)
    client.post(ROUND + f"curation/excerpts/{excerpt.pk}/move/", {"direction": "up"}, **FORWARDED)
    client.post(ROUND + f"curation/excerpts/{excerpt.pk}/delete/", **FORWARDED)
    for action in (A.EXCERPT_EDIT, A.EXCERPT_MOVE, A.EXCERPT_DELETE):
        assert_by_staff(only(action), staff, municipality="235")
        assert only(action).detail["excerpt"] == excerpt.pk


def test_it_records_reading_the_open_answers_while_curating(client, staff, round, during_round):
    kauniainen = round.invitations.get(municipality__code="235")
    response = submit(kauniainen, at=DURING_ROUND, comments={"kehittaminen": "Yhteiset kokoukset kerran kuussa."})
    excerpt = excerpt_create(
        round=round, response=response, question=round.questions.get(code="kehittaminen"), text="Yhteiset", by=staff
    )
    client.force_login(staff)
    client.get(ROUND + "curation/excerpts/", **FORWARDED)
    client.get(ROUND + f"curation/excerpts/{excerpt.pk}/", **FORWARDED)
    pages = AuditEntry.objects.filter(action=A.RESPONSE_VIEW).order_by("pk")
    assert [(e.municipality_code, e.detail["page"]) for e in pages] == [("", "excerpts"), ("235", "excerpt")]


def test_it_records_managing_accounts_and_groups_in_the_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.fi", "correct horse battery")
    client.force_login(admin)
    added = client.post(
        "/admin/auth/user/add/",
        {
            "username": "uusi",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
        **FORWARDED,
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    user = django_user_model.objects.get(username="uusi")
    entry = only(A.ACCOUNT_ADD)
    assert (entry.username, entry.address, entry.detail["object"]) == ("admin", "198.51.100.23", f"{user.pk} uusi")

    group = Group.objects.create(name="Raportoijat")
    changed = client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {
            "username": "uusi",
            "email": "uusi@example.fi",
            "is_active": "on",
            "groups": [group.pk],
            "date_joined_0": "2024-11-01",
            "date_joined_1": "10:00:00",
            # The memberships' inline, left empty.
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert changed.status_code == 302, changed.content.decode()[:2000]
    # Django's admin names the fields changed by their labels, untranslated, as in its own history.
    assert only(A.ACCOUNT_CHANGE).detail["changes"] == ["changed: Email address, Groups, Date joined"]

    client.post(f"/admin/auth/group/{group.pk}/change/", {"name": "Raportoijat", "permissions": []})
    assert only(A.GROUP_CHANGE).detail["object"] == f"{group.pk} Raportoijat"

    client.post(f"/admin/auth/user/{user.pk}/delete/", {"post": "yes"})
    assert not django_user_model.objects.filter(pk=user.pk).exists()
    assert only(A.ACCOUNT_DELETE).detail["object"] == f"{user.pk} uusi"
