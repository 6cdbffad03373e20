import threading
from datetime import datetime

import pytest
from django.core import mail
from django.db import connection

from arvio.invitations.models import Invitation, SentMail
from arvio.lib.dates import HELSINKI
from arvio.responses.models import Answer, Comment, Response
from arvio.responses.services import ChangesNotAllowed, WindowNotOpen, response_save_draft, response_submit
from tests.responses.conftest import DURING_ROUND, answers, open_link
from tests.worker import mail_server_down


@pytest.fixture
def drafted(kaisa):
    """Kaisa has saved a draft (version 1) with one goal left unanswered."""
    kaisa.post(
        "/answer/",
        answers(0, g_yhteistyo_1="4", g_osallisuus="eos", q_kehittaminen="Yhteiset tapaamiset.", q_muuta=" "),
    )
    return kaisa


def _submit(client, version=1, name="Kaisa Kuusela", role="kaupunginjohtaja"):
    return client.post("/answer/submit/", {"version": str(version), "name": name, "role": role})


def test_it_shows_the_answers_for_review(drafted):
    html = drafted.get("/answer/review/").text
    assert "<dt>Luomme selkeän yhdyspintarakenteen.</dt>\n          <dd>4 – Hyvin</dd>" in html
    assert "<dt>Asukkaat ovat mukana suunnittelussa.</dt>\n          <dd>En osaa sanoa</dd>" in html
    assert (
        "<dt>Kehitämme yhteistä tietopohjaa.</dt>\n"
        '          <dd><strong class="not-answered">Not answered</strong></dd>'
    ) in html
    assert "1 goal is not answered:" in html
    assert "<p>Yhteiset tapaamiset.</p>" in html
    assert '<input type="hidden" name="version" value="1">' in html
    assert 'name="name" id="id_name" value="" maxlength="200" required' in html


def test_it_sends_the_review_back_to_the_form_before_anything_is_saved(kaisa):
    response = kaisa.get("/answer/review/")
    assert response["Location"] == "/answer/"


def test_it_submits_the_draft(drafted, kauniainen, deliver_mail):
    response = _submit(drafted)
    assert response.status_code == 302
    assert response["Location"] == "/answer/done/"

    saved = Response.objects.get(invitation=kauniainen)
    assert saved.submitted_at == DURING_ROUND
    assert saved.submitted_by == "Kaisa Kuusela, kaupunginjohtaja"
    assert (saved.submitted_version, saved.submission_count) == (1, 1)
    assert sorted(saved.answers.values_list("node__code", "value")) == [("osallisuus", None), ("yhteistyo-1", 4)]
    assert list(saved.comments.values_list("question__code", "text")) == [("kehittaminen", "Yhteiset tapaamiset.")]
    # The receipt is queued with the submission; the worker sends it.
    assert SentMail.objects.get(invitation=kauniainen, kind=SentMail.Kind.RECEIPT).state == SentMail.State.QUEUED
    deliver_mail()
    assert [m.to for m in mail.outbox] == [["Johtaja Kauniainen <johtaja@235.example.fi>"]]
    assert SentMail.objects.filter(invitation=kauniainen, kind=SentMail.Kind.RECEIPT).count() == 1


def test_it_needs_the_submitters_name(drafted):
    response = drafted.post("/answer/submit/", {"version": "1", "name": " ", "role": "kaupunginjohtaja"})
    assert response.status_code == 400
    assert '<li><a href="#id_name">Write your name</a></li>' in response.text
    assert 'aria-describedby="id_name-error"' in response.text
    assert 'value="kaupunginjohtaja"' in response.text
    assert Response.objects.get().submitted_at is None
    assert not Answer.objects.exists()


def test_it_takes_a_double_submission_once(drafted, deliver_mail):
    first = _submit(drafted)
    second = _submit(drafted)
    deliver_mail()
    assert first["Location"] == second["Location"] == "/answer/done/"
    saved = Response.objects.get()
    assert saved.submission_count == 1
    assert saved.answers.count() == 2
    assert len(mail.outbox) == 1


def test_it_confirms_what_was_sent(drafted):
    _submit(drafted)
    html = drafted.get("/answer/done/").text
    assert "Thank you, the answers have been submitted" in html
    assert "<dd>20.11.2024 12.34</dd>" in html
    assert "<dd>Kaisa Kuusela, kaupunginjohtaja</dd>" in html
    assert "<dd>4 – Hyvin</dd>" in html
    assert "<dd>En osaa sanoa</dd>" in html
    assert "<p>Yhteiset tapaamiset.</p>" in html
    assert "data-print" in html
    assert "Change the answers" not in html


def test_it_confirms_nothing_before_a_submission(drafted):
    assert drafted.get("/answer/done/")["Location"] == "/answer/"


def test_it_refuses_changes_after_submission_by_default(drafted, kauniainen):
    _submit(drafted)
    response = drafted.post("/answer/", answers(1, g_yhteistyo_1="1"), follow=True)
    assert "The answers have already been submitted and can no longer be changed." in response.text
    saved = Response.objects.get()
    assert (saved.version, saved.draft["ratings"]["yhteistyo-1"]) == (1, 4)
    assert drafted.get("/answer/review/")["Location"] == "/answer/"
    with pytest.raises(ChangesNotAllowed):
        response_submit(invitation=kauniainen, based_on_version=2, submitted_by="Kalle")
    assert Response.objects.get().submission_count == 1


def test_it_replaces_the_submission_when_the_round_allows_changes(drafted, round, kalle, during_round):
    round.allow_changes_after_submit = True
    round.save()
    _submit(drafted)

    during_round.shift(600)
    changed = answers(1, g_yhteistyo_1="2", g_yhteistyo_2="3", q_muuta="Lisäys")
    assert kalle.post("/answer/", changed).status_code == 302
    saved = Response.objects.get()
    assert saved.has_unsubmitted_changes
    assert saved.answers.get(node__code="yhteistyo-1").value == 4
    assert "The draft has changes that have not been submitted." in kalle.get("/answer/done/").text

    assert _submit(kalle, version=2, name="Kalle Kallio", role="")["Location"] == "/answer/done/"
    saved.refresh_from_db()
    assert saved.submission_count == 2
    assert saved.submitted_by == "Kalle Kallio"
    assert sorted(saved.answers.values_list("node__code", "value")) == [("yhteistyo-1", 2), ("yhteistyo-2", 3)]
    assert sorted(saved.comments.values_list("question__code", "text")) == [("muuta", "Lisäys")]
    assert Answer.objects.count() == 2 and Comment.objects.count() == 1
    assert "Change the answers" in kalle.get("/answer/done/").text


def test_it_refuses_a_submission_of_a_version_somebody_changed(drafted, kalle):
    kalle.post("/answer/", answers(1, g_yhteistyo_1="5"))
    response = _submit(drafted, version=1)
    assert response.status_code == 409
    assert "The answers were changed at 12.34 after you opened this summary." in response.text
    assert "<dd>5 – Erinomaisesti</dd>" in response.text
    assert '<input type="hidden" name="version" value="2">' in response.text
    assert Response.objects.get().submitted_at is None
    assert not Answer.objects.exists()


def test_it_refuses_a_submission_after_the_close(drafted, token, kauniainen, during_round):
    during_round.move_to(datetime(2024, 12, 6, 0, 0, tzinfo=HELSINKI))
    open_link(drafted, token)
    response = _submit(drafted)
    assert response["Location"] == "/answer/"
    assert "The response time has ended. Nothing was saved." in drafted.get("/answer/").text
    assert Response.objects.get().submitted_at is None
    with pytest.raises(WindowNotOpen):
        response_submit(invitation=kauniainen, based_on_version=1, submitted_by="Kaisa")


def test_it_submits_at_the_last_second_of_the_closing_day(drafted, token, during_round):
    during_round.move_to(datetime(2024, 12, 5, 23, 59, 59, tzinfo=HELSINKI))
    open_link(drafted, token)
    assert _submit(drafted)["Location"] == "/answer/done/"
    assert Response.objects.get().submission_count == 1


def test_it_keeps_the_submission_and_its_receipt_when_the_mail_server_is_down(drafted, settings, deliver_mail):
    mail_server_down(settings)
    assert _submit(drafted)["Location"] == "/answer/done/"
    deliver_mail()
    assert Response.objects.get().submission_count == 1
    receipt = SentMail.objects.get(kind=SentMail.Kind.RECEIPT)
    assert (receipt.state, receipt.attempts) == (SentMail.State.QUEUED, 1)
    assert "ConnectionRefusedError" in receipt.last_error
    assert receipt.next_attempt_at is not None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serializes every write anyway")
@pytest.mark.django_db(transaction=True)
def test_it_takes_two_simultaneous_submissions_once(kauniainen, during_round):
    response_save_draft(invitation=kauniainen, data={"g-osallisuus": "4"}, based_on_version=0)
    both_ready = threading.Barrier(2)
    counts = []

    def submit():
        try:
            both_ready.wait()
            invitation = Invitation.objects.get(pk=kauniainen.pk)
            response = response_submit(invitation=invitation, based_on_version=1, submitted_by="Kaisa")
            counts.append(response.submission_count)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert counts == [1, 1]
    assert Response.objects.get().submission_count == 1
    assert Answer.objects.count() == 1
    assert SentMail.objects.filter(kind=SentMail.Kind.RECEIPT).count() == 1
