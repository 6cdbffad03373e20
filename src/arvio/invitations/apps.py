from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvitationsConfig(AppConfig):
    name = "arvio.invitations"
    verbose_name = _("Invitations")
