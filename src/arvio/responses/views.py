"""The respondent's pages: a personal link opens a session, and the session answers for its municipality.

Every page but the link itself finds its invitation through `respondent_required` (access.py).
"""

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from arvio.invitations.links import link_find, link_is_expired
from arvio.invitations.models import Invitation
from arvio.lib.client import client_address
from arvio.lib.dates import HELSINKI, format_datetime, local_date
from arvio.lib.http import bad_request, wants_json
from arvio.lib.i18n import LANGUAGES
from arvio.lib.text import ascii_int
from arvio.responses.access import (
    SESSION_KEY,
    link_expired,
    link_not_valid,
    link_throttled,
    respondent_required,
)
from arvio.responses.forms import (
    FORM_ACTIONS,
    SubmitForm,
    answer_context,
    answer_sections,
    draft_values,
    scale_choices,
)
from arvio.responses.link_throttle import link_failure_record, link_throttle_until
from arvio.responses.models import DONT_KNOW, Response
from arvio.responses.services import (
    Conflict,
    InvalidAnswers,
    Refused,
    response_save_draft,
    response_submit,
)
from arvio.surveys.window import WindowState


def _set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _clock(moment, now=None) -> str:
    """12.34 for a moment of today, otherwise 20.11.2024 12.34 (Helsinki time)."""
    local = moment.astimezone(HELSINKI)
    if local_date(now or timezone.now()) == local.date():
        return f"{local.hour}.{local.minute:02d}"
    return format_datetime(moment)


def _response_of(invitation: Invitation) -> Response | None:
    """The response as the request found it: `respondent_required` reads it with the session's link."""
    return getattr(invitation, "response", None)


def _submitted_values(response: Response) -> dict[str, str]:
    values = {
        f"g-{code}": DONT_KNOW if value is None else str(value)
        for code, value in response.answers.values_list("node__code", "value")
    }
    values.update({f"q-{code}": text for code, text in response.comments.values_list("question__code", "text")})
    return values


def _status_page(request, invitation: Invitation, response: Response | None, state: WindowState):
    """The answers read-only, with why they cannot be edited."""
    if response is None:
        values = {}
    elif response.submitted_at is not None and state is WindowState.OPEN:
        values = _submitted_values(response)
    else:
        values = draft_values(response.draft)
    context = answer_context(invitation, values=values)
    context.update(state=state, response=response)
    return render(request, "responses/status.html", context)


def _form_page(request, invitation, *, values, version, response=None, errors=(), conflict=None, status=200):
    field_errors = {error.field: error.message for error in errors if error.field}
    context = answer_context(invitation, values=values, errors=field_errors)
    # Each entry links to its field: a goal's first radio button, or a question's text area.
    first_choice = context["choices"][0][0]
    error_summary = [
        (f"{goal.name}-{first_choice}", goal.error)
        for section in context["sections"]
        for goal in section.goals
        if goal.error
    ]
    error_summary += [(question.name, question.error) for question in context["questions"] if question.error]
    error_summary += [(None, message) for message in dict.fromkeys(str(e.message) for e in errors if not e.field)]
    context.update(
        version=version,
        response=response,
        error_summary=error_summary,
        conflict=conflict and _conflict_context(invitation, conflict, values),
    )
    return render(request, "responses/answer.html", context, status=status)


def _conflict_context(invitation, conflict: Conflict, your_values: dict) -> dict:
    saved_values = draft_values(conflict.response.draft)
    not_answered = _("Not answered")
    labels = dict(scale_choices(invitation.round))
    rows = []
    for goal in invitation.round.rated_goals():
        name = f"g-{goal.code}"
        saved, yours = saved_values.get(name, ""), your_values.get(name, "")
        rows.append(
            {
                "text": goal.tr("text"),
                "saved": labels.get(saved, not_answered),
                "yours": labels.get(yours, not_answered),
                "differs": saved != yours,
            }
        )
    for question in invitation.round.questions.all():
        name = f"q-{question.code}"
        saved, yours = saved_values.get(name, "").strip(), your_values.get(name, "").strip()
        rows.append(
            {
                "text": question.tr("text"),
                "saved": saved or not_answered,
                "yours": yours or not_answered,
                "differs": saved != yours,
                "long": True,
            }
        )
    return {"saved_at": _clock(conflict.response.draft_saved_at), "rows": rows}


@never_cache
@require_safe
@sensitive_variables("token")
def open_link(request, token):
    """Opens a session for the link's invitation (and goes to the answer form, or once the answering time is
    over to the feedback), unless the address is throttled for too many wrong
    tokens (429), the token is wrong (404, and counted) or revoked (404), or the link has expired (410)."""
    now = timezone.now()
    address = client_address(request)
    until = link_throttle_until(address=address, now=now)
    if until is not None:
        return link_throttled(request, until)
    link = link_find(token)
    if link is None:
        link_failure_record(address=address, now=now)
        return link_not_valid(request, status=404)
    # A revoked link is not counted: it came in a real email, and guessing cannot find one.
    if link.revoked_at is not None:
        return link_not_valid(request, status=404)
    if link_is_expired(link, now):
        return link_expired(request, link)
    # A session that holds anything gets a new key (no fixation); an empty one gets its first key when
    # saved, so that opening a link writes the session once.
    if not request.session.is_empty():
        request.session.cycle_key()
    request.session[SESSION_KEY] = link.pk
    Invitation.objects.filter(pk=link.invitation_id, opened_at__isnull=True).update(opened_at=timezone.now())
    # Once the answering time is over, the link opens the municipality's feedback (arvio.public, above
    # this layer, named here by its address only); the feedback page links back to the answers.
    closed = link.invitation.window_state(now) is WindowState.CLOSED
    response = redirect("feedback:page" if closed else "responses:answer")
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        _set_language_cookie(response, link.invitation.municipality.primary_language)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@respondent_required
def answer(request, invitation: Invitation):
    if request.method == "POST":
        return _save(request, invitation)

    response = _response_of(invitation)
    state = invitation.window_state(timezone.now())
    submitted = response is not None and response.submitted_at is not None
    if state is not WindowState.OPEN or (submitted and not invitation.round.allow_changes_after_submit):
        return _status_page(request, invitation, response, state)
    values = draft_values(response.draft) if response else {}
    version = response.version if response else 0
    return _form_page(request, invitation, values=values, version=version, response=response)


def _version(request) -> int | None:
    """The draft version the page was built from: one field of ASCII digits, as the form sends it."""
    versions = request.POST.getlist("version")
    return ascii_int(versions[0]) if len(versions) == 1 else None


def _unreadable(request):
    """A request the answer form never sends (no version, or not form data at all): nothing is saved."""
    return bad_request(
        request,
        _("The answers could not be read from what was sent. Nothing was saved. Reload the page and try again."),
    )


def _save(request, invitation: Invitation):
    """Saves the draft from the form; the button pressed says where to go next."""
    based_on_version = _version(request)
    if based_on_version is None:
        return _unreadable(request)
    as_json = wants_json(request)
    languages = request.POST.getlist("switch_language")
    language = languages[0] if languages else None
    if len(languages) > 1 or (language is not None and language not in LANGUAGES):
        return _unreadable(request)
    sent = {name: values for name, values in request.POST.lists() if name.startswith(("g-", "q-"))}
    # What is shown back in the form: the last value of each field, as sent, so that nothing typed is lost.
    data = {name: values[-1] for name, values in sent.items()}

    try:
        response = response_save_draft(invitation=invitation, data=sent, based_on_version=based_on_version)
    except InvalidAnswers as error:
        if as_json:
            errors = [{"field": e.field, "code": e.code, "message": str(e.message)} for e in error.errors]
            return JsonResponse({"errors": errors, "message": str(error.message)}, status=400)
        return _form_page(
            request,
            invitation,
            values=data,
            version=based_on_version,
            response=_response_of(invitation),
            errors=error.errors,
            status=400,
        )
    except Conflict as conflict:
        if as_json:
            message = _(
                "Somebody else saved these answers meanwhile. "
                "Autosave has stopped: press “Save draft” to compare the versions."
            )
            return JsonResponse({"conflict": True, "message": message, "version": conflict.current_version}, status=409)
        return _form_page(
            request,
            invitation,
            values=data,
            version=conflict.current_version,
            response=conflict.response,
            conflict=conflict,
            status=409,
        )
    except Refused as refusal:
        if as_json:
            return JsonResponse({"refused": True, "message": str(refusal.message)}, status=403)
        messages.error(request, refusal.message)
        redirect_to = redirect("responses:answer")
        if language:
            _set_language_cookie(redirect_to, language)
        return redirect_to

    if as_json:
        return JsonResponse(
            {
                "version": response.version,
                "saved_at": response.draft_saved_at.isoformat(),
                "saved_at_text": _clock(response.draft_saved_at),
            }
        )
    if language:
        redirect_to = redirect("responses:answer")
        _set_language_cookie(redirect_to, language)
        return redirect_to
    if request.POST.get("action") == "review":
        return redirect("responses:review")
    messages.success(request, _("Draft saved at %(time)s.") % {"time": _clock(response.draft_saved_at)})
    return redirect(reverse("responses:answer") + "#" + _return_anchor(request, invitation))


def _return_anchor(request, invitation: Invitation) -> str:
    """Where the official was: the section whose "Save draft" was pressed, else the form's own buttons.

    Only an anchor of the form is taken, so that what a request sends cannot choose where the page goes."""
    sent = request.POST.getlist("save_at")
    if len(sent) == 1:
        anchors = {
            section.anchor for section in answer_sections(invitation.round.tree(), values={}, errors={}, choices=[])
        }
        if sent[0] in anchors:
            return sent[0]
    return FORM_ACTIONS


def _review_page(request, invitation, response, *, form, status=200):
    context = answer_context(invitation, values=draft_values(response.draft))
    context.update(
        response=response,
        form=form,
        # The first field with an error takes the focus (autofocus), so that it works without JavaScript too.
        first_error=next((name for name in form.fields if form.is_bound and form[name].errors), None),
        unanswered=[goal for section in context["sections"] for goal in section.goals if not goal.value],
    )
    return render(request, "responses/review.html", context, status=status)


def _can_submit(invitation: Invitation, response: Response | None) -> bool:
    return (
        response is not None
        and invitation.window_state(timezone.now()) is WindowState.OPEN
        and (response.submitted_at is None or invitation.round.allow_changes_after_submit)
    )


@never_cache
@require_safe
@respondent_required
def review(request, invitation: Invitation):
    response = _response_of(invitation)
    if not _can_submit(invitation, response):
        return redirect("responses:answer")
    return _review_page(request, invitation, response, form=SubmitForm())


@never_cache
@require_POST
@respondent_required
def submit(request, invitation: Invitation):
    based_on_version = _version(request)
    if based_on_version is None:
        return _unreadable(request)
    form = SubmitForm(request.POST)
    response = _response_of(invitation)
    if response is None:
        return redirect("responses:answer")
    if not form.is_valid():
        return _review_page(request, invitation, response, form=form, status=400)
    try:
        response_submit(invitation=invitation, based_on_version=based_on_version, submitted_by=form.submitted_by())
    except Conflict as conflict:
        messages.error(
            request,
            _("The answers were changed at %(time)s after you opened this summary. Check them and submit again.")
            % {"time": _clock(conflict.response.draft_saved_at)},
        )
        return _review_page(request, invitation, conflict.response, form=form, status=409)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("responses:answer")
    return redirect("responses:done")


@never_cache
@require_safe
@respondent_required
def done(request, invitation: Invitation):
    response = _response_of(invitation)
    if response is None or response.submitted_at is None:
        return redirect("responses:answer")
    context = answer_context(invitation, values=_submitted_values(response))
    context.update(
        response=response,
        can_change=_can_submit(invitation, response),
    )
    return render(request, "responses/done.html", context)
