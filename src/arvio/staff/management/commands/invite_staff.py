from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email, validate_slug
from django.utils.translation import gettext as _

from arvio.lib.i18n import LANGUAGES
from arvio.staff.account_services import AccountRefused, account_invite
from arvio.staff.models import Membership
from arvio.surveys.models import Organizer


class Command(BaseCommand):
    help = (
        "Invites the first evaluation staff member of an organizer (a new installation's first account), without "
        "the Django admin: the organizer is made when it does not exist yet (give its names), and the person gets "
        "the same one-time set-password mail as a colleague invited on the staff's pages. From then on the staff "
        "invite their colleagues themselves."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the staff member's email address; it is also their username")
        parser.add_argument("--organizer", required=True, help="the organizer's code, e.g. luvn")
        parser.add_argument("--organizer-name-fi", default="", help="a new organizer's name in Finnish")
        parser.add_argument("--organizer-name-sv", default="", help="a new organizer's name in Swedish")
        parser.add_argument("--organizer-name-en", default="", help="a new organizer's name in English")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--language", choices=LANGUAGES, default="fi", help="the invitation mail's language")

    def handle(self, *args, email, organizer, language, first_name, last_name, **options):
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(_("{email} is not an email address.").format(email=email)) from None
        try:
            validate_slug(organizer)
        except ValidationError:
            raise CommandError(
                _("{code} is not an organizer's code: use letters, digits, hyphens and underscores.").format(
                    code=organizer
                )
            ) from None
        target = Organizer.objects.filter(code=organizer).first()
        if target is None:
            names = {f"name_{lang}": options[f"organizer_name_{lang}"].strip() for lang in LANGUAGES}
            if not names["name_fi"] or not names["name_sv"]:
                raise CommandError(
                    _(
                        "There is no organizer {code}. To make it, give its names: --organizer-name-fi and "
                        "--organizer-name-sv."
                    ).format(code=organizer)
                )
            names["name_en"] = names["name_en"] or names["name_fi"]
            target = Organizer.objects.create(code=organizer, **names)
            self.stdout.write(_("Made the organizer {code}: {name}.").format(code=organizer, name=names["name_fi"]))
        try:
            invited = account_invite(
                organizer=target,
                email=email,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                role=Membership.Role.STAFF,
                language=language,
                by=None,
            )
        except AccountRefused as refused:
            raise CommandError(str(refused)) from None
        if invited.mail is None:
            self.stdout.write(
                _("{email} already had an account: it is now evaluation staff of {organizer}.").format(
                    email=email, organizer=target.tr("name")
                )
            )
        else:
            self.stdout.write(
                _(
                    "{email} is evaluation staff of {organizer}. The invitation with a link to set a password is in "
                    "the outbox; the mail worker (arvio db_worker) sends it."
                ).format(email=email, organizer=target.tr("name"))
            )
