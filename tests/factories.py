"""Small rounds built directly with the ORM, for tests that need one quickly."""

from datetime import date

from arvio.invitations.models import Contact, Invitation
from arvio.surveys.models import Municipality, Node, Organizer, Question, Round, ScaleOption

SCALE = [
    (5, "Erinomaisesti", "Utmärkt"),
    (4, "Hyvin", "Väl"),
    (3, "Kohtalaisesti", "Någorlunda"),
    (2, "Heikosti", "Dåligt"),
    (1, "Ei lainkaan", "Inte alls"),
]

MUNICIPALITIES = [
    ("235", "Kauniainen", "Grankulla", "fi-sv"),
    ("710", "Raasepori", "Raseborg", "sv-fi"),
    ("927", "Vihti", "Vichtis", "fi"),
]


def make_municipality(code="235", fi="Kauniainen", sv="Grankulla", language="fi-sv") -> Municipality:
    municipality, _ = Municipality.objects.get_or_create(
        code=code, defaults={"name_fi": fi, "name_sv": sv, "language": language}
    )
    return municipality


def make_round(
    code="testikierros",
    *,
    opens_on=date(2024, 11, 6),
    closes_on=date(2024, 12, 5),
    allow_changes_after_submit=False,
    municipalities=MUNICIPALITIES,
) -> Round:
    """A round with one document holding a goal with two sub-goals and a plain goal, two questions,
    the five-step scale, and one invitation (with one contact) per municipality."""
    organizer, _ = Organizer.objects.get_or_create(
        code="luvn", defaults={"name_fi": "Länsi-Uudenmaan hyvinvointialue", "name_sv": "Västra Nylands välfärdsområde"}
    )
    round = Round.objects.create(
        organizer=organizer,
        code=code,
        title_fi="Kuntakysely",
        title_sv="Kommunenkät",
        purpose_fi="Kyselyn tarkoituksena on koota kuntien näkemyksiä.",
        purpose_sv="Syftet med enkäten är att samla kommunernas synpunkter.",
        target_group_fi="kunnanjohto",
        target_group_sv="kommunledningen",
        dont_know_label_fi="En osaa sanoa",
        dont_know_label_sv="Kan inte säga",
        opens_on=opens_on,
        closes_on=closes_on,
        allow_changes_after_submit=allow_changes_after_submit,
    )
    for value, fi, sv in SCALE:
        ScaleOption.objects.create(round=round, value=value, label_fi=fi, label_sv=sv)
    document = Node.objects.create(
        round=round,
        kind=Node.Kind.DOCUMENT,
        code="palvelustrategia",
        order=1,
        text_fi="Palvelustrategia",
        text_sv="Servicestrategin",
        detail_page=False,
    )
    main_goal = Node.objects.create(
        round=round,
        parent=document,
        kind=Node.Kind.GOAL,
        code="yhteistyo",
        order=1,
        text_fi="Yhteistyö on toimivaa ja tavoitteellista.",
        text_sv="Samarbetet fungerar och är målinriktat.",
        label_fi="yhteistyön tavoitteellisuus",
        label_sv="samarbetets målinriktning",
        summary_row=True,
        detail_page=True,
    )
    Node.objects.create(
        round=round,
        parent=main_goal,
        kind=Node.Kind.SUBGOAL,
        code="yhteistyo-1",
        order=1,
        text_fi="Luomme selkeän yhdyspintarakenteen.",
        text_sv="Vi skapar en tydlig gränsytestruktur.",
    )
    Node.objects.create(
        round=round,
        parent=main_goal,
        kind=Node.Kind.SUBGOAL,
        code="yhteistyo-2",
        order=2,
        text_fi="Kehitämme yhteistä tietopohjaa.",
        text_sv="Vi utvecklar ett gemensamt kunskapsunderlag.",
    )
    Node.objects.create(
        round=round,
        parent=document,
        kind=Node.Kind.GOAL,
        code="osallisuus",
        order=2,
        text_fi="Asukkaat ovat mukana suunnittelussa.",
        text_sv="Invånarna deltar i planeringen.",
        label_fi="osallisuus",
        label_sv="delaktighet",
        summary_row=True,
        detail_page=True,
    )
    Question.objects.create(
        round=round,
        code="kehittaminen",
        order=1,
        text_fi="Mitä yhteistyössä pitäisi kehittää?",
        text_sv="Vad borde utvecklas i samarbetet?",
    )
    Question.objects.create(
        round=round,
        code="muuta",
        order=2,
        text_fi="Muuta palautetta",
        text_sv="Övrig respons",
    )
    for code, fi, sv, language in municipalities:
        invitation = Invitation.objects.create(round=round, municipality=make_municipality(code, fi, sv, language))
        Contact.objects.create(invitation=invitation, name=f"Johtaja {fi}", email=f"johtaja@{code}.example.fi")
    return round


def make_organizer(code="luvn") -> Organizer:
    """The organizer "luvn" of every round made here (and of the staff and viewer fixtures); another code
    makes another organizer, named after its code."""
    if code == "luvn":
        defaults = {"name_fi": "Länsi-Uudenmaan hyvinvointialue", "name_sv": "Västra Nylands välfärdsområde"}
    else:
        defaults = {"name_fi": f"Järjestäjä {code}", "name_sv": f"Arrangör {code}"}
    organizer, _ = Organizer.objects.get_or_create(code=code, defaults=defaults)
    return organizer
