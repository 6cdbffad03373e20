"""The audit log is append-only: nothing in Arvio changes or deletes an entry, save the retention's expiry."""

import getpass
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from arvio.records.models import AppendOnly, AuditEntry
from arvio.records.services import record

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger is PostgreSQL's; SQLite relies on the model's guard"
)


def entry(**kwargs) -> AuditEntry:
    return record(action=AuditEntry.Action.ROUND_CLOSE, round_code="testikierros", **kwargs)


def test_it_records_who_what_which_and_from_where(staff):
    made = record(
        action=AuditEntry.Action.DEADLINE_EXTEND,
        by=staff,
        round_code="testikierros",
        municipality_code="235",
        address="192.0.2.7",
        detail={"until": "2024-12-12"},
    )
    stored = AuditEntry.objects.get(pk=made.pk)
    assert (stored.action, stored.user_id, stored.username, stored.os_user) == (
        "deadline_extend",
        staff.pk,
        "staff",
        "",
    )
    assert (stored.round_code, stored.municipality_code, stored.address) == ("testikierros", "235", "192.0.2.7")
    assert stored.detail == {"until": "2024-12-12"}
    assert timezone.now() - stored.at < timedelta(minutes=1)


def test_it_names_the_system_account_when_no_user_acted():
    assert entry().os_user == getpass.getuser()
    assert entry().username == ""


def test_it_survives_the_account_it_names(staff):
    made = entry(by=staff)
    staff.delete()
    assert AuditEntry.objects.get(pk=made.pk).username == "staff"


def test_it_stores_a_nul_byte_as_a_replacement_character():
    made = entry(detail={"file": "vastaukset\x00.csv"})
    assert AuditEntry.objects.get(pk=made.pk).detail == {"file": "vastaukset\ufffd.csv"}


def test_it_leaves_out_an_address_that_is_not_one():
    assert entry(address="not an address").address is None


def test_it_refuses_to_save_a_changed_entry():
    made = entry()
    made.username = "somebody else"
    with pytest.raises(AppendOnly):
        made.save()
    assert AuditEntry.objects.get(pk=made.pk).username == ""


def test_it_refuses_to_delete_an_entry():
    made = entry()
    with pytest.raises(AppendOnly):
        made.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=made.pk).delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=made.pk).update(username="x")
    assert AuditEntry.objects.filter(pk=made.pk).exists()


def test_it_expires_entries_only_through_expire():
    old, new = entry(), entry()
    assert AuditEntry.objects.filter(pk=old.pk).expire() == 1
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [new.pk]


@postgresql_only
def test_the_database_refuses_an_update_or_delete_made_around_arvio():
    made = entry()
    for sql in ("UPDATE records_auditentry SET username = 'x'", "DELETE FROM records_auditentry"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEntry.objects.get(pk=made.pk).username == ""


@postgresql_only
def test_the_database_lets_expire_through_and_nothing_after_it():
    made, kept = entry(), entry()
    AuditEntry.objects.filter(pk=made.pk).expire()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM records_auditentry")
    assert list(AuditEntry.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_admin_shows_entries_but_cannot_add_change_or_delete_them(client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.fi", "correct horse battery")
    made = entry(by=admin)
    client.force_login(admin)
    assert client.get("/admin/records/auditentry/").status_code == 200
    page = client.get(f"/admin/records/auditentry/{made.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get("/admin/records/auditentry/add/").status_code == 403
    assert client.get(f"/admin/records/auditentry/{made.pk}/delete/").status_code == 403
    assert client.post(f"/admin/records/auditentry/{made.pk}/change/", {"username": "x"}).status_code == 403
    assert AuditEntry.objects.get(pk=made.pk).username == "admin"
