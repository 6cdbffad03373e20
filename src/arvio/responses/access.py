"""Who may answer: the session opened by a personal link answers for that link's invitation.

No account is involved: the session remembers which personal link opened it, and every request
checks that link again, so re-issuing the links ends the sessions opened with the old ones.
"""

from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from arvio.invitations.models import AccessLink, Invitation
from arvio.lib.http import wants_json

SESSION_KEY = "arvio_access_link"


def get_invitation_for_respondent(request) -> Invitation | None:
    """The invitation whose personal link opened this session, while that link is still live."""
    link_id = request.session.get(SESSION_KEY)
    if link_id is None:
        return None
    link = (
        AccessLink.objects.select_related("invitation__round", "invitation__municipality")
        .filter(pk=link_id, revoked_at__isnull=True)
        .first()
    )
    if link is None:
        del request.session[SESSION_KEY]
        return None
    return link.invitation


def respondent_required(view):
    """Calls `view(request, invitation, ...)` with the session's invitation; without one, answers 403
    "link not valid"."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        invitation = get_invitation_for_respondent(request)
        if invitation is None:
            return link_not_valid(request, status=403)
        return view(request, invitation, *args, **kwargs)

    return wrapper


def link_not_valid(request, status):
    """The page, or for the answer form's script the JSON message, that sends the respondent to the
    link in their latest email."""
    if wants_json(request):
        message = _("This link is no longer valid. Open the link in your latest email.")
        return JsonResponse({"message": message}, status=status)
    context = {"contact_email": settings.ARVIO_FEEDBACK_EMAIL}
    return render(request, "responses/link_not_valid.html", context, status=status)
