"""The demo: the county's real 2024 round with its answers, and an open round to try the answer form.

Two constructed earlier rounds, `kuntakysely-2022` and `kuntakysely-2020`, invented on the same goal tree
(2022 with a goal renamed and one split since, answered by seven municipalities, two of which did not answer
in 2024), give the 2024 round its baseline and a trend across three rounds.

`kuntakysely-2024` is the round behind the council deck of Länsi-Uudenmaan
hyvinvointialue: its answers are built so that every number of the deck comes
out exactly, and its excerpts are the deck's. Its report is published (through
`public.services.publication_publish`, as staff publish it), and one municipality's link opens its
feedback. `kuntakysely-demo` asks the same goals of the same municipalities, open around today, with
nobody's answers yet.

Loading again imports both files again (an unchanged file changes nothing),
keeps every answer, excerpt and published version (publishing again is the staff's choice), and gives
the demo users new passwords and three new links.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from arvio.invitations.links import link_create, link_url
from arvio.invitations.services import round_close
from arvio.lib.dates import end_of_day, local_date
from arvio.public.models import Publication
from arvio.public.services import publication_publish
from arvio.responses.imports import responses_import
from arvio.responses.models import Response
from arvio.results.services import excerpt_create
from arvio.staff.models import Membership
from arvio.surveys.models import Municipality, Round
from arvio.surveys.survey_import import survey_import

HERE = Path(__file__).resolve().parent
SURVEY_FILE = HERE / "kuntakysely-2024.yaml"
RESPONSES_FILE = HERE / "kuntakysely-2024-responses.csv"

# The earlier rounds, oldest first: each file names the one before it as its baseline.
EARLIER_ROUNDS = [
    ("kuntakysely-2020", HERE / "kuntakysely-2020.yaml", HERE / "kuntakysely-2020-responses.csv"),
    ("kuntakysely-2022", HERE / "kuntakysely-2022.yaml", HERE / "kuntakysely-2022-responses.csv"),
]

PAST_ROUND = "kuntakysely-2024"
OPEN_ROUND = "kuntakysely-demo"
OPEN_ROUND_TITLE = {"fi": "Kuntakysely (kokeilu)", "sv": "Kommunenkät (test)", "en": "Municipal survey (trial)"}
# The open round has been open for a week and stays open for a month from the day of loading.
OPEN_DAYS_BEFORE = 7
OPEN_DAYS_AFTER = 30

USERS = [("arvioija", Membership.Role.STAFF), ("katselija", Membership.Role.VIEWER)]
# One bilingual municipality with a Finnish majority and one with a Swedish majority, to try both forms.
LINK_MUNICIPALITIES = ["235", "710"]  # Kauniainen, Raasepori
# A municipality that answered both 2022 and 2024: its feedback shows its own change since 2022.
FEEDBACK_MUNICIPALITY = "235"  # Kauniainen

# The deck's last page, in its order: (municipality, question, passage). The lines the PDF broke are
# joined; Kauniainen's list keeps its paragraphs, and its "- -" where the deck left words out.
EXCERPTS = [
    (
        "444",  # Lohja
        "muuta-palautetta",
        "Hyvinvointialueen sisäinen työ sekä hyvinvointialueen ja alueen kuntien välinen yhteistyö on meidän "
        "näkemyksemme mukaan osin vielä käynnistymisvaiheessa. Kuntakohtaisten erityispiirteiden huomioiminen ja "
        "kuntien osallistaminen hyvinvointialueen toiminnan suunnitteluun ei mielestämme tällä hetkellä toteudu "
        "riittävällä tasolla. Strateginen yhteistyö edellyttäisi parempia yhteistyörakenteita ja "
        "yhteiskehittämistä.",
    ),
    (
        "224",  # Karkkila
        "muuta-palautetta",
        "Hyvinvointialueen ja kuntien yhteistyössä on kyse kahden tasavertaisen toimijan yhteistoiminnasta. Liian "
        "usein hyvinvointialue päättää asioista ilman, että huomioidaan päätösten vaikutuksia kuntien elinvoimaan "
        "tai niiden asukkaisiin. Hyvinvointialueen puolelta on tapahtunut monesti karkkilalaisten asukkaiden "
        "palveluiden heikentämistä, jotka toteutetaan sisäisinä muutoksina, toimipisteiden profilointina tai "
        "kriteerien tarkistamisina, eikä niistä tiedoteta ollenkaan kunnille. Tärkeistä asioista pitää käydä "
        "keskustelua ja kuntia täytyy kuulla.",
    ),
    (
        "235",  # Kauniainen
        "kehittamiskohteet",
        "Kuntien eri väestöryhmien erityistarpeet huomioiva lähestymistapa.\n\n"
        "Ennaltaehkäisevä työ ja varhainen tuki - yhteistyön tiivistäminen erilaisissa teemakohtaisissa "
        "kokonaisuuksissa.\n\n"
        "Palveluiden saavutettavuus ja lähestyttävyys, hyvinvointialueen palvelut ovat edelleen hyvin piilossa "
        "tavalliselle kuntalaiselle. Yhteydenottotapoja tulee kehittää avoimemmaksi ja saavutettavammaksi.\n\n"
        "Resurssien jakaminen, varsinkin senioreihin liittyvässä toiminnassa. - -\n\n"
        "Asukkaiden osallistaminen ja vaikuttamismahdollisuudet [toiveena asukasilta oman kunnan alueella] "
        "- -\n\n"
        "Viestintä ja tiedon jakaminen.\n\n"
        "Konkreettisia toimia ja selkeitä vastuita kaivataan edelleen.\n\n"
        "Kuntakohtaiset erityispiirteet olisi hyvä ottaa huomioon.",
    ),
]


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    role: str


@dataclass(frozen=True)
class AnswerLink:
    municipality: Municipality
    url: str


@dataclass(frozen=True)
class Demo:
    past_round: Round
    open_round: Round
    login_url: str
    logins: list[Login]
    links: list[AnswerLink]
    feedback_link: AnswerLink  # a link of the closed 2024 round: it opens the municipality's feedback
    published_url: str  # the 2024 report's public page


@transaction.atomic
def demo_load(*, reset: bool = False, publish: bool = True, now: datetime | None = None) -> Demo:
    """Loads (or refreshes) both demo rounds and the demo users; `reset` first deletes the demo rounds.
    `publish=False` leaves the 2024 report unpublished (rendering every language and format takes seconds:
    the tests that do not read the published page skip it)."""
    now = now or timezone.now()
    if reset:
        Round.objects.filter(code__in=[PAST_ROUND, OPEN_ROUND]).delete()
        Round.objects.filter(code__in=[code for code, _file, _answers in EARLIER_ROUNDS]).delete()

    for _code, survey_file, responses_file in EARLIER_ROUNDS:
        earlier = survey_import(source=survey_file)
        if not Response.objects.filter(invitation__round=earlier).exists():
            responses_import(round=earlier, path=responses_file)
        round_close(round=earlier, by=None, now=end_of_day(earlier.closes_on))

    past_round = survey_import(source=SURVEY_FILE)
    if not Response.objects.filter(invitation__round=past_round).exists():
        responses_import(round=past_round, path=RESPONSES_FILE)
    # Closed at the end of its last day, as the county closed it: the four who did not answer by then
    # show as "no answer within the deadline".
    round_close(round=past_round, by=None, now=end_of_day(past_round.closes_on))
    _deck_excerpts(past_round)
    if publish:
        _published(past_round, now)

    open_round = survey_import(source=_open_round_definition(now))

    return Demo(
        past_round=past_round,
        open_round=open_round,
        login_url=settings.ARVIO_BASE_URL + reverse("staff:login"),
        logins=[_user_with_new_password(username, role, past_round.organizer) for username, role in USERS],
        links=[_answer_link(open_round, code) for code in LINK_MUNICIPALITIES],
        feedback_link=_answer_link(past_round, FEEDBACK_MUNICIPALITY),
        published_url=settings.ARVIO_BASE_URL
        + reverse("reports:report", args=[past_round.organizer.code, past_round.code]),
    )


def _deck_excerpts(round: Round):
    """The deck's excerpts, unless the round has excerpts already: those may be staff's own choice."""
    if round.excerpts.exists():
        return
    for municipality_code, question_code, text in EXCERPTS:
        excerpt_create(
            round=round,
            response=Response.objects.select_related("invitation").get(
                invitation__round=round, invitation__municipality__code=municipality_code
            ),
            question=round.questions.get(code=question_code),
            text=text,
            by=None,
        )


def _published(round: Round, now: datetime):
    """The round's report published as staff publish it, unless a version is public already: a version
    staff published (or withdrew) is theirs to keep."""
    if Publication.objects.filter(round=round).exists():
        return
    publication_publish(round=round, by=None, now=now)


def _open_round_definition(now: datetime) -> dict:
    """The 2024 file with another code, title and window: today in Helsinki falls inside the window."""
    definition = yaml.safe_load(SURVEY_FILE.read_text(encoding="utf-8"))
    today = local_date(now)
    # It is compared with nothing: it has no answers to compare.
    definition["comparison"] = {"baseline": "none"}
    definition["round"].update(
        code=OPEN_ROUND,
        title=OPEN_ROUND_TITLE,
        opens_on=today - timedelta(days=OPEN_DAYS_BEFORE),
        closes_on=today + timedelta(days=OPEN_DAYS_AFTER),
    )
    return definition


def _user_with_new_password(username: str, role: str, organizer) -> Login:
    """The demo user, with a new password, a member of the demo's organizer ("luvn") in `role`."""
    user, _ = get_user_model().objects.get_or_create(username=username)
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.is_active = True
    user.save()
    Membership.objects.update_or_create(user=user, organizer=organizer, defaults={"role": role})
    # A developer locked out by earlier attempts can use the new password at once.
    axes_reset(username=username)
    return Login(username=username, password=password, role=str(Membership.Role(role).label))


def _answer_link(round: Round, municipality_code: str) -> AnswerLink:
    invitation = round.invitations.select_related("municipality").get(municipality__code=municipality_code)
    return AnswerLink(municipality=invitation.municipality, url=link_url(link_create(invitation=invitation)))
