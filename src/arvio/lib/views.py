"""Django's set_language, refusing what its language buttons never send."""

from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from arvio.lib.http import bad_request
from arvio.lib.i18n import LANGUAGES


@require_POST
def set_language(request):
    """Django's view would quietly redirect without changing anything; a person should know why."""
    languages = request.POST.getlist("language")
    if len(languages) != 1 or languages[0] not in LANGUAGES:
        return bad_request(
            request,
            _("Unknown language. Choose one of: %(choices)s.") % {"choices": ", ".join(LANGUAGES.values())},
        )
    next_urls = request.POST.getlist("next")
    # A control character or line break would end up in the Location header.
    if len(next_urls) > 1 or not all(url.isprintable() for url in next_urls):
        return bad_request(request, _("The page to return to is not valid. Reload the page and try again."))
    return django_set_language(request)
