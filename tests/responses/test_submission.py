"""One submission, two ways in: the answer form and the importer record it alike (services.submission_record)."""

import re

from django.test import Client

from arvio.invitations.links import link_create
from arvio.responses.imports import responses_import
from arvio.responses.models import Response
from tests.responses.conftest import answers, open_link
from tests.responses.test_import_responses import HEADER, write_csv


def _filled(html: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The answer form's chosen radio buttons and its text areas' contents."""
    checked = re.findall(r'id="([^"]+)" value="[^"]+" checked>', html)
    texts = re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S)
    return checked, texts


def test_it_stores_and_reads_back_an_imported_and_a_form_submitted_response_alike(kaisa, round, tmp_path):
    round.allow_changes_after_submit = True
    round.save()
    # Kauniainen answers on the form…
    kaisa.post("/answer/", answers(0, g_yhteistyo_1="4", g_osallisuus="eos", q_muuta="Kiitos"))
    assert kaisa.post("/answer/submit/", {"version": "1", "name": "Kaisa Kuusela"}).status_code == 302
    # …and Vihti's answer, the same, is imported from another form tool.
    responses_import(round=round, path=write_csv(tmp_path, HEADER, "927,4,,eos,,Kiitos,,"))
    vihti = open_link(Client(), link_create(invitation=round.invitations.get(municipality__code="927")))

    submitted = Response.objects.get(invitation__municipality__code="235")
    imported = Response.objects.get(invitation__municipality__code="927")
    expected = {"ratings": {"yhteistyo-1": 4, "osallisuus": "eos"}, "comments": {"muuta": "Kiitos"}}
    assert submitted.draft == imported.draft == expected
    assert type(submitted.draft["ratings"]["yhteistyo-1"]) is type(imported.draft["ratings"]["yhteistyo-1"]) is int
    assert (
        sorted(submitted.answers.values_list("node__code", "value"))
        == sorted(imported.answers.values_list("node__code", "value"))
        == [("osallisuus", None), ("yhteistyo-1", 4)]
    )
    form, importer = _filled(kaisa.get("/answer/").text), _filled(vihti.get("/answer/").text)
    assert form == importer
    assert form == (
        ["g-yhteistyo-1-4", "g-osallisuus-eos"],
        [("q-kehittaminen", ""), ("q-muuta", "Kiitos")],
    )
