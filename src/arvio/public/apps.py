from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "arvio.public"
    verbose_name = _("Feedback and published reports")
