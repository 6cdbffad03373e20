"""The receipt (kuittaus): what the municipality submitted, mailed to its contact people.

Written and queued like the invitation's other mails (invitations/mail.py), but carries no link.
The caller queues it in the transaction that records the submission, so a submission always has
its receipt, and a receipt always has its submission.
"""

from arvio.invitations.mail import mail_context, mail_queue_to
from arvio.invitations.models import SentMail
from arvio.responses.models import Response
from arvio.responses.readout import response_readout


def send_receipt(*, response: Response) -> list[SentMail]:
    invitation = response.invitation
    context = {**mail_context(invitation), "response": response, "readout": response_readout(response)}
    return [
        mail_queue_to(
            invitation=invitation,
            kind=SentMail.Kind.RECEIPT,
            template="receipt",
            contact=contact,
            context=context,
            by=None,
        )
        for contact in invitation.contacts.all()
    ]
