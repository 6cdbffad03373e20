"""The goal tree editor's pages (staff/round_editor.py): the tree, a node's edit, add, delete and move."""

import pytest
from django.urls import reverse

from arvio.records.models import AuditEntry
from arvio.responses.models import Answer
from arvio.surveys.models import Node
from tests.invitations.helpers import DURING_ROUND, submit

pytestmark = pytest.mark.django_db


def node_post(**changes) -> dict:
    data = {
        "code": "osallisuus",
        "text_fi": "Asukkaat ovat mukana suunnittelussa.",
        "text_sv": "Invånarna deltar i planeringen.",
        "text_en": "",
        "label_fi": "osallisuus",
        "label_sv": "delaktighet",
        "label_en": "",
        "label_genitive_fi": "",
        "label_genitive_sv": "",
        "label_genitive_en": "",
        "heading_fi": "",
        "heading_sv": "",
        "heading_en": "",
        "summary_row": "on",
        "detail_page": "on",
    }
    return {**data, **changes}


def children(code: str) -> list[str]:
    return list(Node.objects.filter(parent__code=code).order_by("order").values_list("code", flat=True))


@pytest.fixture
def logged_in(client, staff):
    client.force_login(staff)
    return client


def test_it_lets_only_evaluation_staff_in(client, round, staff, viewer, outsider):
    urls = [
        ("get", reverse("staff:round_tree", args=[round.code])),
        ("get", reverse("staff:node_edit", args=[round.code, "osallisuus"])),
        ("get", reverse("staff:node_add", args=[round.code]) + "?parent=palvelustrategia"),
        ("get", reverse("staff:node_delete", args=[round.code, "osallisuus"])),
        ("post", reverse("staff:node_move", args=[round.code, "osallisuus"])),
    ]
    for person in (viewer, outsider):
        client.force_login(person)
        for method, url in urls:
            assert getattr(client, method)(url, {"direction": "up"}).status_code == 403, (person, url)
    client.force_login(staff)
    for method, url in urls:
        assert getattr(client, method)(url).status_code in (200, 400), url
    assert client.get(reverse("staff:node_edit", args=[round.code, "no-such-node"])).status_code == 404
    assert client.get(reverse("staff:node_add", args=[round.code]) + "?parent=no-such-node").status_code == 404
    assert client.get(reverse("staff:node_add", args=[round.code]) + "?parent=yhteistyo-1").status_code == 404
    assert Node.objects.filter(code="osallisuus").exists()


def test_it_lists_every_node_with_buttons_that_name_it(logged_in, round):
    html = logged_in.get(reverse("staff:round_tree", args=[round.code])).content.decode()
    for code in ("palvelustrategia", "yhteistyo", "yhteistyo-1", "yhteistyo-2", "osallisuus"):
        assert f'id="node-{code}"' in html
    assert (
        'value="up" id="move-osallisuus-up">Move up<span class="visually-hidden">: Asukkaat ovat mukana suunnittelussa.</span>'
        in html
    )
    assert (
        'value="in" id="move-osallisuus-in">Move in<span class="visually-hidden">: Asukkaat ovat mukana suunnittelussa.</span>'
        in html
    )
    assert "Add a sub-goal" in html and "Add a theme" in html


def test_it_moves_a_node_and_returns_to_the_button_that_moved_it(logged_in, round):
    tree = reverse("staff:round_tree", args=[round.code])
    response = logged_in.post(reverse("staff:node_move", args=[round.code, "yhteistyo-1"]), {"direction": "down"})
    assert children("yhteistyo") == ["yhteistyo-2", "yhteistyo-1"]
    # It can move down once more (into the next goal): back to that button, which the fragment focuses.
    assert response.url == f"{tree}#move-yhteistyo-1-down"
    assert 'id="move-yhteistyo-1-down"' in logged_in.get(tree).content.decode()
    entry = AuditEntry.objects.filter(action=AuditEntry.Action.ROUND_EDIT).first()
    assert entry.detail == {"what": "node_move", "node": "yhteistyo-1", "direction": "down"}

    response = logged_in.post(reverse("staff:node_move", args=[round.code, "osallisuus"]), {"direction": "up"})
    assert children("palvelustrategia") == ["osallisuus", "yhteistyo"]
    # First now, it cannot move up again: back to its edit link.
    assert response.url == f"{tree}#edit-osallisuus"
    html = logged_in.get(response.url).content.decode()
    assert "Move up: Asukkaat ovat mukana suunnittelussa." in html  # the message
    edit = reverse("staff:node_edit", args=[round.code, "osallisuus"])
    assert f'<a href="{edit}" id="edit-osallisuus">' in html
    assert 'id="move-osallisuus-up"' not in html


def test_it_moves_a_goal_in_and_out(logged_in, round):
    url = reverse("staff:node_move", args=[round.code, "osallisuus"])
    assert logged_in.post(url, {"direction": "in"}).status_code == 302
    assert children("yhteistyo") == ["yhteistyo-1", "yhteistyo-2", "osallisuus"]
    assert Node.objects.get(code="osallisuus").kind == Node.Kind.SUBGOAL
    assert logged_in.post(url, {"direction": "out"}).status_code == 302
    assert children("palvelustrategia") == ["yhteistyo", "osallisuus"]


@pytest.mark.parametrize("direction", ["", "sideways", "UP"])
def test_it_refuses_a_move_no_button_sends(logged_in, round, direction):
    response = logged_in.post(reverse("staff:node_move", args=[round.code, "osallisuus"]), {"direction": direction})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert children("palvelustrategia") == ["yhteistyo", "osallisuus"]


def test_it_says_why_a_move_cannot_be_made(logged_in, round):
    response = logged_in.post(reverse("staff:node_move", args=[round.code, "palvelustrategia"]), {"direction": "up"})
    assert response.status_code == 400
    assert "It is already the first" in response.content.decode()


def test_it_edits_a_node(logged_in, round):
    url = reverse("staff:node_edit", args=[round.code, "osallisuus"])
    response = logged_in.post(
        url,
        node_post(text_fi="Asukkaat osallistuvat.", label_genitive_fi="osallisuuden", label_genitive_sv="delaktighet"),
    )
    assert response.status_code == 302
    assert response.url == reverse("staff:round_tree", args=[round.code]) + "#node-osallisuus"
    node = Node.objects.get(code="osallisuus")
    assert (node.text_fi, node.label_genitive_fi, node.label_genitive_sv) == (
        "Asukkaat osallistuvat.",
        "osallisuuden",
        "delaktighet",
    )


def test_it_refuses_an_edit_with_the_files_messages_next_to_the_fields(logged_in, round):
    url = reverse("staff:node_edit", args=[round.code, "osallisuus"])
    response = logged_in.post(url, node_post(text_sv="", label_fi="", label_sv="", code="Iso Koodi"))
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#id_text_sv">Text (in Swedish): must not be empty</a>' in html
    assert "must be a slug" in html
    assert Node.objects.get(code="osallisuus").text_sv == "Invånarna deltar i planeringen."


def test_it_needs_a_label_for_a_summary_row(logged_in, round):
    url = reverse("staff:node_edit", args=[round.code, "osallisuus"])
    response = logged_in.post(url, node_post(code="osallisuus", label_fi="", label_sv="", summary_row="on"))
    assert response.status_code == 400
    assert "a summary row needs a label" in response.content.decode()


def test_it_refuses_a_code_another_node_has(logged_in, round):
    url = reverse("staff:node_edit", args=[round.code, "osallisuus"])
    response = logged_in.post(url, node_post(code="yhteistyo"))
    assert response.status_code == 400
    assert "The code “yhteistyo” is already used in this round" in response.content.decode()


def test_it_adds_a_sub_goal_with_a_code_made_from_its_text(logged_in, round):
    url = reverse("staff:node_add", args=[round.code]) + "?parent=osallisuus"
    assert "New: Sub-goal" in logged_in.get(url).content.decode()
    data = node_post(code="", text_fi="Nuoret äänestävät.", text_sv="De unga röstar.", label_fi="", label_sv="")
    data.pop("summary_row")
    response = logged_in.post(url, data)
    assert response.status_code == 302
    assert children("osallisuus") == ["nuoret-aanestavat"]
    assert Node.objects.get(code="nuoret-aanestavat").kind == Node.Kind.SUBGOAL


def test_it_adds_a_theme_with_its_first_goal(logged_in, round):
    url = reverse("staff:node_add", args=[round.code]) + "?parent=palvelustrategia&kind=themes"
    data = node_post(code="teema", text_fi="Teema", text_sv="Tema", label_fi="", label_sv="")
    data.pop("summary_row")
    response = logged_in.post(url, data)
    assert response.status_code == 400
    assert "a theme must hold at least one goal" not in response.content.decode()
    assert '<a href="#id_first_text_fi">Text (in Finnish): must not be empty</a>' in response.content.decode()
    data |= {"first_code": "", "first_text_fi": "Eka tavoite", "first_text_sv": "Första målet"}
    assert logged_in.post(url, data).status_code == 302
    assert Node.objects.get(code="teema").kind == Node.Kind.THEME
    assert children("teema") == ["eka-tavoite"]


def test_it_adds_a_document(logged_in, round):
    url = reverse("staff:node_add", args=[round.code])
    data = node_post(code="uusi", text_fi="Uusi strategia", text_sv="Ny strategi", label_fi="", label_sv="")
    data.pop("summary_row")
    data |= {"first_code": "uusi-1", "first_text_fi": "Tavoite", "first_text_sv": "Mål"}
    assert logged_in.post(url, data).status_code == 302
    assert Node.objects.get(code="uusi").parent is None
    assert children("uusi") == ["uusi-1"]


def test_it_names_the_node_and_everything_under_it_before_deleting(logged_in, round):
    url = reverse("staff:node_delete", args=[round.code, "yhteistyo"])
    html = logged_in.get(url).content.decode()
    assert "Yhteistyö on toimivaa ja tavoitteellista." in html
    assert "Luomme selkeän yhdyspintarakenteen." in html and "Kehitämme yhteistä tietopohjaa." in html
    assert "2 nodes" in html
    assert Node.objects.filter(code="yhteistyo-1").exists()
    assert logged_in.post(url).status_code == 302
    assert not Node.objects.filter(code__startswith="yhteistyo").exists()


def test_it_refuses_to_delete_the_last_goal_of_a_document(logged_in, round):
    logged_in.post(reverse("staff:node_delete", args=[round.code, "yhteistyo"]))
    response = logged_in.post(reverse("staff:node_delete", args=[round.code, "osallisuus"]))
    assert response.status_code == 400
    assert "a document must hold at least one goal" in response.content.decode()
    assert Node.objects.filter(code="osallisuus").exists()


def test_once_anybody_has_answered_it_shows_the_asked_tree_read_only_and_keeps_the_layout_editable(logged_in, round):
    submit(round.invitations.get(municipality__code="235"), at=DURING_ROUND, values={"osallisuus": 4})
    html = logged_in.get(reverse("staff:round_tree", args=[round.code])).content.decode()
    assert "can no longer change" in html
    assert 'name="direction"' not in html and "Add a sub-goal" not in html and "Delete…" not in html
    edit = reverse("staff:node_edit", args=[round.code, "osallisuus"])
    html = logged_in.get(edit).content.decode()
    assert 'name="text_fi"' not in html and 'name="label_fi"' in html
    response = logged_in.post(edit, node_post(text_fi="Muutettu", label_fi="osallisuus ja vaikuttaminen"))
    assert response.status_code == 302
    node = Node.objects.get(code="osallisuus")
    assert (node.text_fi, node.label_fi) == ("Asukkaat ovat mukana suunnittelussa.", "osallisuus ja vaikuttaminen")
    for url, data in (
        (reverse("staff:node_move", args=[round.code, "osallisuus"]), {"direction": "up"}),
        (reverse("staff:node_delete", args=[round.code, "osallisuus"]), {}),
        (reverse("staff:node_add", args=[round.code]) + "?parent=osallisuus", node_post(code="x")),
    ):
        response = logged_in.post(url, data)
        assert response.status_code == 400, url
        assert 'class="error-summary"' in response.content.decode()
    assert children("palvelustrategia") == ["yhteistyo", "osallisuus"]
    assert Answer.objects.get().node == node
