"""The accounts' pages: evaluation staff list their organizers' accounts, invite a colleague, change a role,
deactivate an account and send an invitation again; the invited colleague sets a password; anybody may ask
for a password reset. Each organizer's accounts are found through access.get_organizer_for_user and
get_account_for_user: another organizer's account answers 404. The workflows are in account_services.py.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from arvio.staff.access import get_account_for_user, managed_organizers_for_user
from arvio.staff.account_forms import InviteForm, LanguageForm, PasswordResetForm, RoleForm, SetPasswordForm
from arvio.staff.account_services import (
    AccountRefused,
    account_deactivate,
    account_invitation_pending,
    account_invite,
    account_invite_resend,
    account_password_set,
    membership_role_change,
)
from arvio.staff.models import Membership
from arvio.staff.roles import can_manage
from arvio.staff.tokens import invitation_token_generator


def _require_manager(request):
    """The pages about all of the user's organizers: evaluation staff of at least one (roles.can_manage)."""
    if not can_manage(request.user):
        raise PermissionDenied


@login_required
def accounts(request):
    _require_manager(request)
    organizers = list(managed_organizers_for_user(request.user))
    memberships = (
        Membership.objects.filter(organizer__in=organizers)
        .select_related("user", "organizer")
        .order_by("organizer__code", "user__last_name", "user__first_name", "user__username")
    )
    sections = {organizer.pk: (organizer, []) for organizer in organizers}
    for membership in memberships:
        sections[membership.organizer_id][1].append((membership, account_invitation_pending(membership.user)))
    return render(request, "staff/accounts/list.html", {"sections": list(sections.values())})


@login_required
def account_invite_view(request):
    _require_manager(request)
    organizers = list(managed_organizers_for_user(request.user))
    form = InviteForm(request.POST or None, organizers=organizers)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                invited = account_invite(
                    organizer=data["organizer"],
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    role=data["role"],
                    language=data["language"],
                    by=request.user,
                )
            except AccountRefused as refused:
                form.add_error("email", str(refused))
            else:
                _invited_message(request, invited)
                return redirect("staff:accounts")
        return render(request, "staff/accounts/invite.html", {"form": form}, status=400)
    return render(request, "staff/accounts/invite.html", {"form": form})


def _invited_message(request, invited) -> None:
    user, organizer = invited.membership.user, invited.membership.organizer.tr("name")
    if invited.mail is not None:
        messages.success(
            request,
            _("An invitation is on its way to %(email)s. Its link works for %(days)d days.")
            % {"email": user.email, "days": settings.ARVIO_ACCOUNT_INVITE_DAYS},
        )
    else:
        messages.success(
            request,
            _("%(email)s already had an account: it now belongs to %(organizer)s too, and logs in as before.")
            % {"email": user.email, "organizer": organizer},
        )


def _account_page(request, membership, *, role_form=None, language_form=None, status=200):
    user = membership.user
    return render(
        request,
        "staff/accounts/account.html",
        {
            "membership": membership,
            "account": user,
            "organizer": membership.organizer,
            "pending": account_invitation_pending(user),
            "role_form": role_form or RoleForm(initial={"role": membership.role}),
            "language_form": language_form
            or LanguageForm(initial={"language": (translation.get_language() or "fi")[:2]}),
            "other_organizers": [
                m.organizer for m in user.memberships.exclude(pk=membership.pk).select_related("organizer")
            ],
            "mails": list(user.account_mails.order_by("-queued_at", "-pk")[:10]),
            "is_self": user.pk == request.user.pk,
        },
        status=status,
    )


@login_required
def account_detail(request, organizer, account_id):
    membership = get_account_for_user(request, organizer, account_id)
    return _account_page(request, membership)


@login_required
@require_POST
def account_role(request, organizer, account_id):
    membership = get_account_for_user(request, organizer, account_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _account_page(request, membership, role_form=form, status=400)
    try:
        membership_role_change(membership=membership, role=form.cleaned_data["role"], by=request.user)
    except AccountRefused as refused:
        form.add_error("role", str(refused))
        return _account_page(request, membership, role_form=form, status=400)
    names = {
        "name": membership.user.get_full_name() or membership.user.get_username(),
        "organizer": membership.organizer.tr("name"),
    }
    if form.cleaned_data["role"] == Membership.Role.STAFF:
        messages.success(request, _("%(name)s is now evaluation staff in %(organizer)s.") % names)
    else:
        messages.success(request, _("%(name)s is now a viewer in %(organizer)s.") % names)
    return redirect("staff:account", membership.organizer.code, membership.user_id)


@login_required
def account_deactivate_view(request, organizer, account_id):
    """GET asks to confirm, naming what will happen; POST does it."""
    membership = get_account_for_user(request, organizer, account_id)
    user = membership.user
    others = [m.organizer for m in user.memberships.exclude(pk=membership.pk).select_related("organizer")]
    problem = None
    if request.method == "POST":
        try:
            deactivated = account_deactivate(membership=membership, by=request.user)
        except AccountRefused as refused:
            problem = str(refused)
        else:
            name = user.get_full_name() or user.get_username()
            if deactivated:
                messages.success(
                    request, _("%(name)s's account is deactivated: it can no longer log in.") % {"name": name}
                )
            else:
                messages.success(
                    request,
                    _("%(name)s no longer belongs to %(organizer)s.")
                    % {"name": name, "organizer": membership.organizer.tr("name")},
                )
            return redirect("staff:accounts")
    return render(
        request,
        "staff/accounts/deactivate.html",
        {"membership": membership, "account": user, "others": others, "problem": problem},
        status=400 if problem else 200,
    )


@login_required
@require_POST
def account_resend(request, organizer, account_id):
    membership = get_account_for_user(request, organizer, account_id)
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _account_page(request, membership, language_form=form, status=400)
    try:
        account_invite_resend(membership=membership, language=form.cleaned_data["language"], by=request.user)
    except AccountRefused as refused:
        messages.info(request, str(refused))
    else:
        messages.success(
            request,
            _("A new invitation is on its way to %(email)s. The links sent earlier no longer work.")
            % {"email": membership.user.email},
        )
    return redirect("staff:account", membership.organizer.code, membership.user_id)


class _SetPassword(auth_views.PasswordResetConfirmView):
    """Django's view for a one-time link: the token leaves the address at once (it redirects to a URL
    without it, keeping the token in the session), the password is checked by AUTH_PASSWORD_VALIDATORS."""

    form_class = SetPasswordForm
    template_name = "staff/accounts/set_password.html"
    success_url = reverse_lazy("staff:login")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # A deactivated account's link never brings it back.
        return user if user is not None and user.is_active else None

    def form_valid(self, form):
        response = super().form_valid(form)
        account_password_set(user=form.user)
        messages.success(self.request, str(self.done_message))
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class AccountSetPasswordView(_SetPassword):
    token_generator = invitation_token_generator
    extra_context = {"invitation": True}
    done_message = gettext_lazy("Your password is set. Log in with your email address and the new password.")


class PasswordResetConfirmView(_SetPassword):
    extra_context = {"invitation": False}
    done_message = gettext_lazy("Your password has been changed. Log in with the new password.")


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "staff/accounts/password_reset.html"
    success_url = reverse_lazy("staff:password_reset_done")

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "staff/accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
