"""The Django admin of the goal tree: editable until the round has answers, read-only after."""

import pytest
from django.urls import reverse

from arvio.responses.models import Response
from arvio.surveys.models import Node


@pytest.fixture
def admin_client(admin_client, settings):
    """The admin in English, so that assertions do not depend on the Finnish catalogue."""
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return admin_client


def answer(round):
    Response.objects.create(invitation=round.invitations.first())


def node_form(node, **changes) -> dict:
    data = {
        field: getattr(node, field)
        for field in [
            "kind",
            "code",
            "order",
            "text_fi",
            "text_sv",
            "text_en",
            "label_fi",
            "label_sv",
            "label_en",
            "label_genitive_fi",
            "label_genitive_sv",
            "label_genitive_en",
            "heading_fi",
            "heading_sv",
            "heading_en",
        ]
    }
    data |= {"round": node.round_id, "parent": node.parent_id or ""}
    data |= {"summary_row": "on"} if node.summary_row else {}
    return data | changes


def test_it_lists_the_nodes_of_a_round_depth_first(admin_client, round):
    response = admin_client.get(reverse("admin:surveys_node_changelist"), {"round__id__exact": round.pk})

    content = response.content.decode()
    codes = ["palvelustrategia", "yhteistyo", "yhteistyo-1", "yhteistyo-2", "osallisuus"]
    positions = [content.index(f'<td class="field-code">{code}</td>') for code in codes]
    assert positions == sorted(positions)
    assert "— — Luomme selkeän yhdyspintarakenteen." in content


def test_it_lets_the_nodes_of_a_round_without_answers_change(admin_client, round):
    node = round.nodes.get(code="osallisuus")

    response = admin_client.post(
        reverse("admin:surveys_node_change", args=[node.pk]), node_form(node, text_fi="Asukkaat osallistuvat.")
    )

    assert response.status_code == 302
    node.refresh_from_db()
    assert node.text_fi == "Asukkaat osallistuvat."


def test_it_shows_what_the_nodes_of_a_round_with_answers_asked_read_only_and_says_why(admin_client, round):
    answer(round)
    node = round.nodes.get(code="osallisuus")

    response = admin_client.get(reverse("admin:surveys_node_change", args=[node.pk]))

    content = response.content.decode()
    assert "This round has answers, so what it asked can no longer change" in content
    for asked in ("text_fi", "text_sv", "code", "kind", "parent", "order", "round"):
        assert f'name="{asked}"' not in content, asked
    for layout in ("label_fi", "label_genitive_fi", "heading_sv", "summary_row", "detail_page"):
        assert f'name="{layout}"' in content, layout
    assert 'name="_save"' in content


def test_it_changes_only_the_layout_of_a_node_of_a_round_with_answers(admin_client, round):
    answer(round)
    node = round.nodes.get(code="osallisuus")

    changed = admin_client.post(
        reverse("admin:surveys_node_change", args=[node.pk]),
        node_form(node, text_fi="Muutettu.", code="muutettu", label_genitive_fi="osallisuuden", summary_row=""),
    )

    assert changed.status_code == 302
    node.refresh_from_db()
    assert (node.text_fi, node.code) == ("Asukkaat ovat mukana suunnittelussa.", "osallisuus")
    assert (node.label_genitive_fi, node.summary_row) == ("osallisuuden", False)


def test_it_refuses_to_delete_the_nodes_of_a_round_with_answers(admin_client, round):
    answer(round)
    node = round.nodes.get(code="osallisuus")

    deleted = admin_client.post(reverse("admin:surveys_node_delete", args=[node.pk]), {"post": "yes"})

    assert deleted.status_code == 403
    assert round.nodes.filter(code="osallisuus").exists()


def test_it_refuses_to_add_a_node_to_a_round_with_answers(admin_client, round):
    answer(round)
    document = round.nodes.get(code="palvelustrategia")
    new = Node(round=round, parent=document, kind=Node.Kind.GOAL, code="uusi", order=3, text_fi="Uusi", text_sv="Ny")

    response = admin_client.post(reverse("admin:surveys_node_add"), node_form(new))

    assert response.status_code == 200
    assert not round.nodes.filter(code="uusi").exists()


def test_it_shows_the_scale_and_questions_of_a_round_with_answers_read_only(admin_client, round):
    editable = admin_client.get(reverse("admin:surveys_round_change", args=[round.pk])).content.decode()
    answer(round)

    frozen = admin_client.get(reverse("admin:surveys_round_change", args=[round.pk])).content.decode()

    assert 'name="scale-0-label_fi"' in editable and 'name="questions-0-text_fi"' in editable
    assert 'name="scale-0-label_fi"' not in frozen and 'name="questions-0-text_fi"' not in frozen
    assert 'name="scale-0-value"' not in frozen and 'name="scale-0-level_fi"' in frozen
    assert 'name="dont_know_label_fi"' not in frozen
    assert 'name="closes_on"' in frozen
    assert "This round has answers" in frozen


def test_it_lets_the_window_of_a_round_with_answers_change(admin_client, round):
    answer(round)
    page = admin_client.get(reverse("admin:surveys_round_change", args=[round.pk]))
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if name in form.fields and value is not None}
    data |= {"organizer": round.organizer_id, "closes_on": "2024-12-12", "opens_on": "2024-11-06"}
    data |= {
        f"{prefix}-{key}": value
        for prefix in ("scale", "questions")
        for key, value in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()
    }

    response = admin_client.post(reverse("admin:surveys_round_change", args=[round.pk]), data)

    assert response.status_code == 302
    round.refresh_from_db()
    assert str(round.closes_on) == "2024-12-12"
    assert round.scale.count() == 5


def test_it_lets_the_levels_of_the_scale_of_a_round_with_answers_change(admin_client, round):
    answer(round)
    page = admin_client.get(reverse("admin:surveys_round_change", args=[round.pk]))
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if name in form.fields and value is not None}
    data |= {"organizer": round.organizer_id, "closes_on": "2024-12-05", "opens_on": "2024-11-06"}
    options = list(round.scale.all())
    data |= {"scale-TOTAL_FORMS": len(options), "scale-INITIAL_FORMS": len(options)}
    data |= {"questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0}
    for i, option in enumerate(options):
        data |= {f"scale-{i}-id": option.pk, f"scale-{i}-round": round.pk, f"scale-{i}-value": 9 - i}
        data |= {f"scale-{i}-label_fi": "Muutettu", f"scale-{i}-level_fi": f"taso {option.value}"}

    response = admin_client.post(reverse("admin:surveys_round_change", args=[round.pk]), data)

    assert response.status_code == 302
    assert list(round.scale.values_list("value", "label_fi", "level_fi")) == [
        (5, "Erinomaisesti", "taso 5"),
        (4, "Hyvin", "taso 4"),
        (3, "Kohtalaisesti", "taso 3"),
        (2, "Heikosti", "taso 2"),
        (1, "Ei lainkaan", "taso 1"),
    ]


def test_it_keeps_an_answered_invitation_from_being_deleted(admin_client, round):
    answer(round)
    invitation = round.invitations.first()

    page = admin_client.get(reverse("admin:invitations_invitation_change", args=[invitation.pk]))
    deleted = admin_client.post(reverse("admin:invitations_invitation_delete", args=[invitation.pk]), {"post": "yes"})

    assert page.status_code == 200
    assert invitation.contacts.get().email in page.content.decode()
    assert deleted.status_code == 403


@pytest.mark.parametrize("person", ["staff", "outsider"])
def test_it_keeps_people_without_admin_access_out(client, round, request, person):
    client.force_login(request.getfixturevalue(person))

    response = client.get(reverse("admin:surveys_node_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
