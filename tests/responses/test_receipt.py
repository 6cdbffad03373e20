import re

from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from arvio.invitations.models import SentMail
from arvio.responses.receipt import send_receipt
from tests.invitations.helpers import DURING_ROUND, submit


def _in(language: str, msgid: str) -> str:
    """The interface text as the mail's language words it."""
    with translation.override(language):
        return gettext(msgid)


def _links(body: str) -> list[str]:
    return re.findall(r"http://testserver/a/([^/\s]+)/", body)


def test_it_sends_a_receipt_of_what_was_submitted(round, time_machine, deliver_mail):
    time_machine.move_to(DURING_ROUND, tick=False)
    invitation = round.invitations.get(municipality__code="710")
    response = submit(
        invitation,
        at=timezone.now(),
        values={"yhteistyo-1": 5, "yhteistyo-2": None},
        comments={"kehittaminen": "Mer samarbete."},
        by="Kaisa Kunnanjohtaja",
    )
    sent = send_receipt(response=response)
    deliver_mail()
    [message] = mail.outbox
    assert message.to == ["Johtaja Raasepori <johtaja@710.example.fi>"]
    assert [(m.kind, m.sent_by) for m in sent] == [(SentMail.Kind.RECEIPT, None)]
    swedish, finnish = message.body.split("-" * 60)
    assert "Vi skapar en tydlig gränsytestruktur.\n  5 = Utmärkt" in swedish
    assert "Vi utvecklar ett gemensamt kunskapsunderlag.\n  Kan inte säga" in swedish
    assert "Invånarna deltar i planeringen.\n  " + _in("sv", "Not answered") in swedish
    assert "Vad borde utvecklas i samarbetet?\nMer samarbete." in swedish
    assert "Luomme selkeän yhdyspintarakenteen.\n  5 = Erinomaisesti" in finnish
    assert "20.11.2024 10.00" in finnish
    assert "Kaisa Kunnanjohtaja" in finnish
    assert _links(message.body) == []
