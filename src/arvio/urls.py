from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from arvio.lib.views import set_language
from arvio.public.api import api

urlpatterns = [
    path("", include("arvio.responses.urls")),
    path("", include("arvio.public.feedback_urls")),
    path("reports/", include("arvio.public.report_urls")),
    path("api/reports/v1/", api.urls),
    path("staff/", include("arvio.staff.urls")),
    path("staff/rounds/<slug:code>/results/", include("arvio.staff.results_urls")),
    path("staff/rounds/<slug:code>/curation/", include("arvio.staff.curation_urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path(
        "accessibility/",
        TemplateView.as_view(
            template_name="accessibility.html", extra_context={"feedback_email": settings.ARVIO_FEEDBACK_EMAIL}
        ),
        name="accessibility",
    ),
]
