from arvio.responses.readout import response_readout
from tests.invitations.helpers import DURING_ROUND, submit


def test_it_reads_the_submitted_rows_in_the_order_asked(round):
    response = submit(
        round.invitations.get(municipality__code="235"),
        at=DURING_ROUND,
        values={"yhteistyo-1": 4, "yhteistyo-2": None},
        comments={"muuta": "Kiitos"},
    )
    # The draft is never read: only what was submitted.
    response.draft = {"ratings": {"osallisuus": 1}, "comments": {"kehittaminen": "Luonnos"}}
    response.save()

    readout = response_readout(response)

    assert [(row.node.code, row.rated, row.answered, row.value, row.dont_know) for row in readout.goals] == [
        ("palvelustrategia", False, False, None, False),
        ("yhteistyo", False, False, None, False),
        ("yhteistyo-1", True, True, 4, False),
        ("yhteistyo-2", True, True, None, True),
        ("osallisuus", True, False, None, False),
    ]
    assert readout.goals[2].option.value == 4
    assert [(answer.question.code, answer.text) for answer in readout.open_answers] == [
        ("kehittaminen", ""),
        ("muuta", "Kiitos"),
    ]
