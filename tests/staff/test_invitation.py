from datetime import timedelta

from django.utils import timezone

from arvio.invitations.mail import send_invitation
from arvio.invitations.models import Contact
from arvio.invitations.services import link_reissue
from arvio.responses.models import Response
from tests.invitations.helpers import submit

URL = "/staff/rounds/testikierros/235/"


def test_it_sends_anonymous_to_login(client, round):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/staff/login/?next=")


def test_it_forbids_an_outsider(client, outsider, round):
    client.force_login(outsider)
    assert client.get(URL).status_code == 403


def test_it_says_404_for_a_municipality_not_invited(client, staff, round):
    client.force_login(staff)
    assert client.get("/staff/rounds/testikierros/049/").status_code == 404


def test_it_shows_contacts_and_status(client, staff, round, during_round):
    invitation = round.invitations.get(municipality__code="235")
    Contact.objects.create(
        invitation=invitation, name="Sanna Sivistysjohtaja", email="sanna@235.example.fi", role="sivistysjohtaja"
    )
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert "Johtaja Kauniainen" in content
    assert "Sanna Sivistysjohtaja, sivistysjohtaja &lt;sanna@235.example.fi&gt;" in content
    assert "Not opened" in content
    assert "6.11.–5.12.2024" in content


def test_it_hides_contact_people_and_mail_addresses_from_a_viewer(client, viewer, round, during_round):
    invitation = round.invitations.get(municipality__code="235")
    Contact.objects.create(invitation=invitation, name="Sanna Sivistysjohtaja", email="sanna@235.example.fi")
    send_invitation(invitation=invitation)
    client.force_login(viewer)
    content = client.get(URL).content.decode()
    assert "Not opened" in content and "Invitation" in content  # the page and its mail history are there
    for personal in ("Johtaja Kauniainen", "johtaja@235.example.fi", "Sanna Sivistysjohtaja", "sanna@235.example.fi"):
        assert personal not in content
    assert "Contact people's names and addresses are shown to evaluation staff only." in content


def test_it_hides_the_response_and_actions_from_a_viewer(client, viewer, round, during_round):
    invitation = round.invitations.get(municipality__code="235")
    submit(invitation, at=timezone.now(), values={"osallisuus": 4}, comments={"muuta": "Salainen kommentti"})
    client.force_login(viewer)
    response = client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Submitted" in content
    assert "Salainen kommentti" not in content
    assert "Asukkaat ovat mukana suunnittelussa." not in content
    assert "Individual responses are shown to evaluation staff only." in content
    assert "<form" not in content.split("<main")[1]


def test_it_shows_the_submitted_response_to_staff(client, staff, round, during_round):
    invitation = round.invitations.get(municipality__code="235")
    submit(
        invitation,
        at=timezone.now(),
        values={"yhteistyo-1": 2, "yhteistyo-2": None},
        comments={"kehittaminen": "Yhteiset kokoukset\nkerran kuussa."},
        by="Kaisa Kunnanjohtaja",
        source="import",
    )
    client.force_login(staff)
    content = " ".join(client.get(URL).content.decode().split())
    assert "Palvelustrategia" in content  # the tree's headings give the sub-goals their context
    assert "Luomme selkeän yhdyspintarakenteen.</th> <td>2 = Heikosti</td>" in content
    assert "Kehitämme yhteistä tietopohjaa.</th> <td>En osaa sanoa</td>" in content
    assert "Asukkaat ovat mukana suunnittelussa.</th> <td><em>Not answered</em></td>" in content
    assert "Yhteiset kokoukset<br>kerran kuussa." in content
    assert "<h4>Muuta palautetta</h4> <p><em>Not answered</em></p>" in content
    assert "Kaisa Kunnanjohtaja" in content
    assert "<dd>20.11.2024 10.00</dd>" in content
    assert "<dd>Imported</dd>" in content
    assert "have not been submitted" not in content


def test_it_notes_draft_changes_after_submission(client, staff, round, during_round):
    invitation = round.invitations.get(municipality__code="235")
    response = submit(invitation, at=timezone.now() - timedelta(days=1), values={"osallisuus": 4})
    Response.objects.filter(pk=response.pk).update(version=2, draft_saved_at=timezone.now())
    client.force_login(staff)
    content = " ".join(client.get(URL).content.decode().split())
    assert "changed after it was submitted (last saved 20.11.2024 10.00)" in content
    assert "<td>4 = Hyvin</td>" in content


def test_it_says_when_only_a_draft_exists(client, staff, round, during_round):
    invitation = round.invitations.get(municipality__code="235")
    Response.objects.create(invitation=invitation, draft_saved_at=timezone.now(), version=1)
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert "Not submitted yet. A draft was last saved 20.11.2024 10.00." in content


def test_it_shows_the_mail_history_and_links_without_tokens(client, staff, round, during_round, deliver_mail):
    invitation = round.invitations.get(municipality__code="235")
    send_invitation(invitation=invitation)  # by cron: the system
    link_reissue(invitation=invitation, by=staff)
    deliver_mail()
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert "<td>Invitation</td><td>Johtaja Kauniainen &lt;johtaja@235.example.fi&gt;</td>" in content
    assert "<td>System</td>" in content
    assert "<td>New link</td>" in content
    assert "<td>staff</td>" in content
    history = content.split("<h2>Personal links</h2>")[1]
    assert history.count("<td>20.11.2024 10.00</td>") == 3  # two issued, one revoked
    for link in invitation.links.all():
        assert link.token_hash not in content
    assert "/a/" not in content


def test_it_shows_the_extension_form_to_staff(client, staff, round, during_round):
    client.force_login(staff)
    content = client.get(URL).content.decode()
    assert 'action="/staff/rounds/testikierros/235/extend/"' in content
    assert 'min="2024-12-05"' in content
    assert '<label for="id_until">New deadline</label>' in content
