import html
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from arvio.records.models import AuditEntry
from arvio.responses.models import Answer, Comment, PendingImport, Response
from tests.invitations.helpers import DURING_ROUND, submit

URL = "/staff/rounds/testikierros/responses/upload/"
HEADER = ["kunta", "yhteistyo-1", "yhteistyo-2", "osallisuus", "kehittaminen", "muuta", "submitted_at", "submitted_by"]
ROWS = [
    ["235", "3", "EOS", "4", "Yhteiset kokoukset.", "", "3.12.2024", "Kaisa Kunnanjohtaja"],
    ["Raseborg", "2", "", "5", "", "", "2024-12-01 14:05", ""],
]


def _csv(rows=ROWS, name="vastaukset.csv") -> SimpleUploadedFile:
    text = "\n".join(";".join(row) for row in [HEADER, *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _xlsx(rows=ROWS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("vastaukset.xlsx", buffer.getvalue())


def _confirm_url(content: str) -> str:
    return re.search(r'action="(/staff/rounds/testikierros/responses/upload/[0-9a-f-]+/confirm/)"', content).group(1)


def test_it_sends_anonymous_to_login(client, round):
    assert client.get(URL).url.startswith("/staff/login/?next=")


def test_it_forbids_an_outsider_and_a_viewer(client, outsider, viewer, round):
    for user in (outsider, viewer):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"file": _csv()}).status_code == 403
    assert not PendingImport.objects.exists()
    assert not Response.objects.exists()


def test_it_previews_a_csv_file_and_stores_nothing_yet(client, staff, round, during_round):
    client.force_login(staff)
    response = client.post(URL, {"file": _csv()})
    assert response.status_code == 200
    content = response.content.decode()
    assert "vastaukset.csv has no problems. Confirm to store 2 submitted responses:" in content
    assert '<th scope="row">Kauniainen (235)</th>' in content
    assert "<td>Kaisa Kunnanjohtaja</td><td>3.12.2024 12.00</td>" in content
    assert "<td>2</td><td>1</td><td>1</td>" in content  # Kauniainen: 2 ratings, 1 can't say, 1 open answer
    assert '<th scope="row">Raasepori (710)</th>' in content
    assert not Response.objects.exists()
    pending = PendingImport.objects.get()
    assert (pending.uploaded_by, pending.filename, pending.replace) == (staff, "vastaukset.csv", False)


def test_it_stores_exactly_the_preview_on_confirming(client, staff, round, during_round):
    client.force_login(staff)
    confirm = _confirm_url(client.post(URL, {"file": _xlsx()}).content.decode())
    response = client.post(confirm, follow=True)
    assert response.redirect_chain == [("/staff/rounds/testikierros/", 302)]
    assert "Imported from vastaukset.xlsx. New responses: 2, replaced: 0." in response.content.decode()
    kauniainen = Response.objects.get(invitation__municipality__code="235")
    assert kauniainen.source == Response.Source.IMPORT
    assert kauniainen.submitted_by == "Kaisa Kunnanjohtaja"
    assert dict(Answer.objects.filter(response=kauniainen).values_list("node__code", "value")) == {
        "yhteistyo-1": 3,
        "yhteistyo-2": None,
        "osallisuus": 4,
    }
    assert list(Comment.objects.filter(response=kauniainen).values_list("text", flat=True)) == ["Yhteiset kokoukset."]
    assert Response.objects.filter(submitted_at__isnull=False).count() == 2
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.RESPONSES_IMPORT, username="staff")
    assert sorted(entries.values_list("municipality_code", flat=True)) == ["235", "710"]
    assert not PendingImport.objects.exists()
    # A confirmation is used once.
    response = client.post(confirm, follow=True)
    assert "no longer waiting to be imported" in response.content.decode()
    assert Response.objects.count() == 2


def test_it_lists_every_problem_by_row_and_column_and_stores_nothing(client, staff, round, during_round):
    rows = [
        ["235", "7", "", "x", "", "", "", ""],
        ["049", "3", "", "", "", "", "", ""],
        ["235", "1", "", "", "", "", "", ""],
    ]
    client.force_login(staff)
    response = client.post(URL, {"file": _csv(rows)})
    assert response.status_code == 400
    content = html.unescape(response.content.decode())
    assert "vastaukset.csv was not imported: 4 problems. Nothing was stored." in content
    assert 'row 2, column "yhteistyo-1": 7 is not on the scale 1–5' in content
    assert 'row 2, column "osallisuus": "x" is not a number on the scale 1–5 or EOS' in content
    assert 'row 3, column "kunta": "049" is not invited to the round testikierros' in content
    assert 'row 4, column "kunta": Kauniainen (235) appears twice (also on row 2)' in content
    assert not PendingImport.objects.exists()
    assert not Response.objects.exists()


def test_it_refuses_a_municipality_that_has_submitted_unless_asked_to_replace(client, staff, round, during_round):
    submit(round.invitations.get(municipality__code="235"), at=DURING_ROUND, values={"yhteistyo-1": 1})
    client.force_login(staff)
    response = client.post(URL, {"file": _csv()})
    assert response.status_code == 400
    assert "has already submitted a response" in response.content.decode()
    content = client.post(URL, {"file": _csv(), "replace": "on"}).content.decode()
    assert "1 municipality has already submitted: its answer is replaced by the file" in content
    client.post(_confirm_url(content))
    answers = Answer.objects.filter(response__invitation__municipality__code="235")
    assert dict(answers.values_list("node__code", "value"))["yhteistyo-1"] == 3


def test_it_stores_nothing_when_the_round_changed_after_the_preview(client, staff, round, during_round):
    client.force_login(staff)
    confirm = _confirm_url(client.post(URL, {"file": _csv()}).content.decode())
    submit(round.invitations.get(municipality__code="710"), at=DURING_ROUND, values={"yhteistyo-1": 1})
    response = client.post(confirm)
    assert response.status_code == 400
    assert "Raasepori (710) has already submitted a response" in response.content.decode()
    assert not Response.objects.filter(invitation__municipality__code="235").exists()
    assert not PendingImport.objects.exists()


def test_it_lets_only_the_uploader_confirm(client, staff, viewer, round, during_round):
    """An upload named by its id is no use to anybody but the one who uploaded it."""
    client.force_login(staff)
    client.post(URL, {"file": _csv()})
    PendingImport.objects.update(uploaded_by=viewer)
    pending = PendingImport.objects.get()
    response = client.post(f"{URL}{pending.pk}/confirm/", follow=True)
    assert "no longer waiting to be imported" in response.content.decode()
    assert not Response.objects.exists()
    assert PendingImport.objects.count() == 1


def test_it_forgets_an_upload_once_it_expires(client, staff, round, during_round, time_machine, settings):
    client.force_login(staff)
    confirm = _confirm_url(client.post(URL, {"file": _csv()}).content.decode())
    time_machine.shift(settings.ARVIO_UPLOAD_KEEP_MINUTES * 60 + 1)
    response = client.post(confirm, follow=True)
    assert "no longer waiting to be imported" in response.content.decode()
    assert not Response.objects.exists()


def test_it_refuses_a_file_that_is_not_csv_or_xlsx(client, staff, round):
    client.force_login(staff)
    response = client.post(URL, {"file": SimpleUploadedFile("answers.ods", b"x")})
    assert response.status_code == 400
    assert "The file must be a .csv or .xlsx file." in response.content.decode()
    response = client.post(URL, {})
    assert response.status_code == 400
    assert not PendingImport.objects.exists()


def test_it_refuses_a_file_over_the_limit(client, staff, round, settings):
    settings.ARVIO_IMPORT_MAX_BYTES = 10
    client.force_login(staff)
    response = client.post(URL, {"file": _csv()})
    assert response.status_code == 400
    assert "the most that can be imported" in response.content.decode()
    assert not PendingImport.objects.exists()


def test_it_reports_a_broken_xlsx(client, staff, round):
    client.force_login(staff)
    response = client.post(URL, {"file": SimpleUploadedFile("broken.xlsx", b"PK\x03\x04 not a zip")})
    assert response.status_code == 400
    assert "broken.xlsx was not imported" in response.content.decode()
    assert not PendingImport.objects.exists()
