from arvio.invitations.models import Contact
from arvio.records.models import AuditEntry

PAGE = "/staff/rounds/testikierros/235/"
ADD = PAGE + "contacts/add/"


def _contact(round):
    return round.invitations.get(municipality__code="235").contacts.get()


def test_it_sends_anonymous_to_login(client, round):
    contact = _contact(round)
    for url in (ADD, f"{PAGE}contacts/{contact.pk}/", f"{PAGE}contacts/{contact.pk}/remove/"):
        assert client.get(url).url.startswith("/staff/login/?next=")


def test_it_forbids_an_outsider_and_a_viewer(client, outsider, viewer, round):
    contact = _contact(round)
    for user in (outsider, viewer):
        client.force_login(user)
        for url in (ADD, f"{PAGE}contacts/{contact.pk}/", f"{PAGE}contacts/{contact.pk}/remove/"):
            assert client.get(url).status_code == 403
            assert client.post(url, {"name": "X", "email": "x@example.fi", "role": ""}).status_code == 403
    contact.refresh_from_db()
    assert contact.name == "Johtaja Kauniainen"
    assert Contact.objects.count() == 3


def test_it_says_404_for_another_invitation_s_contact(client, staff, round):
    other = round.invitations.get(municipality__code="710").contacts.get()
    client.force_login(staff)
    assert client.get(f"{PAGE}contacts/{other.pk}/").status_code == 404
    assert client.post(f"{PAGE}contacts/{other.pk}/remove/").status_code == 404
    assert client.get(f"{PAGE}contacts/999999999/").status_code == 404


def test_it_links_to_the_contact_pages_for_staff_only(client, staff, viewer, round):
    contact = _contact(round)
    client.force_login(staff)
    content = client.get(PAGE).content.decode()
    assert f'href="{ADD}"' in content
    assert f'href="{PAGE}contacts/{contact.pk}/"' in content
    client.force_login(viewer)
    assert f'href="{ADD}"' not in client.get(PAGE).content.decode()


def test_it_adds_a_contact(client, staff, round):
    client.force_login(staff)
    response = client.post(
        ADD,
        {"name": " Sanna Sivistysjohtaja ", "email": "sanna@235.example.fi ", "role": "sivistysjohtaja"},
        follow=True,
    )
    assert response.redirect_chain == [(PAGE, 302)]
    assert "Sanna Sivistysjohtaja, sivistysjohtaja &lt;sanna@235.example.fi&gt;" in response.content.decode()
    contact = Contact.objects.get(name="Sanna Sivistysjohtaja")
    assert (contact.email, contact.role, contact.order) == ("sanna@235.example.fi", "sivistysjohtaja", 1)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CONTACT_ADD)
    assert (entry.username, entry.municipality_code, entry.detail) == ("staff", "235", {"contact": contact.pk})


def test_it_refuses_what_the_survey_file_refuses_and_keeps_what_was_typed(client, staff, round):
    client.force_login(staff)
    response = client.post(ADD, {"name": "  ", "email": "not an address", "role": "r" * 201})
    assert response.status_code == 400
    content = response.content.decode()
    assert "The contact person was not saved" in content
    assert "Name: must not be empty" in content
    assert "must be an email address, not" in content
    assert "Role: must be at most 200 characters" in content
    assert 'value="not an address"' in content
    assert 'aria-invalid="true"' in content
    assert Contact.objects.count() == 3


def test_it_refuses_a_control_character(client, staff, round):
    client.force_login(staff)
    response = client.post(ADD, {"name": "Sanna\x0b", "email": "sanna@235.example.fi", "role": ""})
    assert response.status_code == 400
    assert "cannot be saved" in response.content.decode()
    assert Contact.objects.count() == 3


def test_it_refuses_a_field_sent_twice(client, staff, round):
    client.force_login(staff)
    response = client.post(ADD, {"name": ["A", "B"], "email": "a@235.example.fi", "role": ""})
    assert response.status_code == 400
    assert Contact.objects.count() == 3


def test_it_edits_a_contact(client, staff, round):
    contact = _contact(round)
    client.force_login(staff)
    url = f"{PAGE}contacts/{contact.pk}/"
    assert 'value="johtaja@235.example.fi"' in client.get(url).content.decode()
    response = client.post(url, {"name": "Uusi Johtaja", "email": "uusi@235.example.fi", "role": "kaupunginjohtaja"})
    assert response.url == PAGE
    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.role) == ("Uusi Johtaja", "uusi@235.example.fi", "kaupunginjohtaja")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CONTACT_EDIT, municipality_code="235").count() == 1


def test_it_keeps_the_contact_as_it_was_when_an_edit_is_refused(client, staff, round):
    contact = _contact(round)
    client.force_login(staff)
    response = client.post(f"{PAGE}contacts/{contact.pk}/", {"name": "Uusi", "email": "@", "role": ""})
    assert response.status_code == 400
    assert 'value="Uusi"' in response.content.decode()
    contact.refresh_from_db()
    assert (contact.name, contact.email) == ("Johtaja Kauniainen", "johtaja@235.example.fi")


def test_it_asks_before_removing_a_contact_and_names_them(client, staff, round):
    contact = _contact(round)
    client.force_login(staff)
    url = f"{PAGE}contacts/{contact.pk}/remove/"
    assert "Remove Johtaja Kauniainen as a contact person of Kauniainen?" in client.get(url).content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert "Johtaja Kauniainen is no longer a contact person." in response.content.decode()
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.CONTACT_REMOVE, municipality_code="235").count() == 1
