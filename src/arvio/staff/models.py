"""Who belongs to which organizer, and in which role there (jäsenyys).

A staff account belongs to one or more organizers (wellbeing services counties) and has one role in each:
evaluation staff run the organizer's rounds, viewers read them. One person may be evaluation staff in one
county and a viewer in another. The rules that read these rows live in access.py and roles.py.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from arvio.surveys.models import Organizer


class Membership(models.Model):
    class Role(models.TextChoices):
        STAFF = "staff", _("Evaluation staff")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("account")
    )
    organizer = models.ForeignKey(Organizer, models.CASCADE, related_name="memberships", verbose_name=_("organizer"))
    role = models.CharField(pgettext_lazy("membership", "role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(_("member since"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organizer__code", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "organizer"], name="membership_once_per_organizer")]

    def __str__(self):
        return f"{self.user} / {self.organizer.code} / {self.role}"
