"""Who may answer: the session opened by a personal link answers for that link's invitation.

No account is involved: the session remembers which personal link opened it, and every request
checks that link again, so re-issuing the links ends the sessions opened with the old ones, and a
link's expiry (ARVIO_LINK_DAYS_AFTER_CLOSE after the round closed) ends them too.
"""

from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from arvio.invitations.links import link_expires_at, link_is_expired
from arvio.invitations.models import AccessLink, Invitation
from arvio.lib.dates import format_date, format_datetime, local_date
from arvio.lib.http import wants_json
from arvio.lib.i18n import LANGUAGES

SESSION_KEY = "arvio_access_link"


def _session_link(request) -> AccessLink | None:
    """The unrevoked link that opened this session, expired or not."""
    link_id = request.session.get(SESSION_KEY)
    if link_id is None:
        return None
    link = (
        # The response too: every page of the form shows it, and it costs no query of its own.
        AccessLink.objects.select_related(
            "invitation__round__organizer", "invitation__municipality", "invitation__response"
        )
        .filter(pk=link_id, revoked_at__isnull=True)
        .first()
    )
    if link is None:
        del request.session[SESSION_KEY]
    return link


def get_invitation_for_respondent(request) -> Invitation | None:
    """The invitation whose personal link opened this session, while that link is still live."""
    link = _session_link(request)
    if link is None or link_is_expired(link):
        return None
    return link.invitation


def respondent_required(view):
    """Calls `view(request, invitation, ...)` with the session's invitation; without one, answers 403
    "link not valid", or 410 "link expired" once the session's link has expired."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        link = _session_link(request)
        if link is None:
            return link_not_valid(request, status=403)
        if link_is_expired(link):
            del request.session[SESSION_KEY]
            return link_expired(request, link)
        return view(request, link.invitation, *args, **kwargs)

    return wrapper


def _contact_email() -> str:
    return settings.ARVIO_FEEDBACK_EMAIL


def link_not_valid(request, status):
    """The page, or for the answer form's script the JSON message, that sends the respondent to the
    link in their latest email."""
    if wants_json(request):
        message = _("This link is no longer valid. Open the link in your latest email.")
        return JsonResponse({"message": message}, status=status)
    context = {"reason": "not_valid", "contact_email": _contact_email()}
    return render(request, "responses/link_not_valid.html", context, status=status)


def link_expired(request, link: AccessLink):
    """410: the link's time is over. In the respondent's language, or without a language cookie the
    municipality's, since the link tells whose it is."""
    invitation = link.invitation
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language not in LANGUAGES:
        language = invitation.municipality.primary_language
    with translation.override(language):
        expired_on = format_date(local_date(link_expires_at(link)))
        if wants_json(request):
            message = _("This link expired on %(date)s. Ask the evaluation staff for a new one: %(email)s") % {
                "date": expired_on,
                "email": _contact_email(),
            }
            return JsonResponse({"message": message}, status=410)
        context = {
            "reason": "expired",
            "contact_email": _contact_email(),
            "expired_on": expired_on,
            "days": settings.ARVIO_LINK_DAYS_AFTER_CLOSE,
            "round": invitation.round,
            "organizer": invitation.round.organizer,
        }
        return render(request, "responses/link_not_valid.html", context, status=410)


def link_throttled(request, until):
    """429: too many wrong links from this address; every link waits until `until`."""
    context = {"reason": "throttled", "contact_email": _contact_email(), "until": format_datetime(until)}
    response = render(request, "responses/link_not_valid.html", context, status=429)
    response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds()) + 1))
    return response
