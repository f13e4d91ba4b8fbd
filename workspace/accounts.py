"""Password reset for everyone, through Django's own views and tokens, in Swedish and rate limited.

The answer is the same whether or not the address belongs to an account (Django's
form sends nothing for an unknown one). The limit counts requests per client
address and per e-mail address in the cache: past it the same answer is given and
no mail is sent, so the form can be used neither to flood an inbox nor to probe.
"""

import logging

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from reporting.addresses import absolute_url
from reporting.roles import COORDINATOR, REPORTER, ensure_groups
from reporting.scoping import may_coordinate, role_required
from strategy.models import Membership, Organisation


log = logging.getLogger(__name__)

# At most this many reset requests per window, per client address and per e-mail address.
PER_IP, PER_ADDRESS, WINDOW_SECONDS = 10, 3, 60 * 60


def _over_limit(key, limit):
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    return count > limit


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        address = form.cleaned_data["email"].strip().lower()
        # The client's address as the trusted proxy saw it (the proxy's own would be everyone's).
        over_ip = _over_limit(f"password-reset:ip:{get_client_ip_address(self.request)}", PER_IP)
        over_address = _over_limit(f"password-reset:email:{address}", PER_ADDRESS)
        if over_ip or over_address:
            return super(auth_views.PasswordResetView, self).form_valid(form)  # the same answer, no mail
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")


# --- The coordinator's accounts page: invite, deactivate, move, lift a lockout --------------------------------
#
# Reporters only (coordinators' own accounts stay with IT and the admin). The invitation is
# Django's password-reset token for an account with no usable password: the link opens the
# password-reset confirm view under /konto/, and once used (the password changes) it is spent.


class InviteForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    email = forms.EmailField(label=_("E-postadress"), max_length=150)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), empty_label=_("Välj organisation")
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
            raise forms.ValidationError(gettext("Det finns redan ett konto med den e-postadressen."))
        return email


class MoveForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Ny organisation"), queryset=Organisation.objects.order_by("name"), empty_label=_("Välj organisation")
    )


def _reporters():
    users = get_user_model().objects.filter(groups__name=REPORTER).exclude(groups__name=COORDINATOR)
    return users.exclude(is_superuser=True).distinct()


def _coordinator(request):
    if not may_coordinate(request.user):
        raise PermissionDenied(gettext("Bara samordnare kan hantera konton."))


def locked_usernames(usernames):
    """The usernames django-axes now refuses, in one query."""
    attempts = AccessAttempt.objects.filter(
        username__in=usernames, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    return set(attempts.values_list("username", flat=True))


@transaction.atomic
def reporter_invite(*, first_name, last_name, email, organisation, request):
    """A reporter with no usable password yet, and a mail with a one-time link to choose one."""
    _, reporter_group = ensure_groups()
    user = get_user_model()(
        username=email, email=email, first_name=first_name, last_name=last_name, is_staff=True, is_active=True
    )
    user.set_unusable_password()
    user.save()
    user.groups.add(reporter_group)
    Membership.objects.create(user=user, organisation=organisation)
    _send_invitation(user, organisation, request)
    return user


@transaction.atomic
def reporter_reinvite(*, user, request):
    """A new link for a reporter who never chose a password, say because the first one expired.

    Only for an invitation not yet taken up: an account with a password resets it itself."""
    if user.has_usable_password() or not user.is_active:
        raise PermissionDenied(gettext("Bara en aktiv rapportör som inte har valt lösenord kan bjudas in igen."))
    if not user.email:
        raise PermissionDenied(gettext("Kontot har ingen e-postadress att skicka inbjudan till."))
    membership = Membership.objects.filter(user=user).select_related("organisation").first()
    if membership is None:
        raise PermissionDenied(gettext("Kontot hör inte till någon organisation. Flytta det till en organisation först."))
    _send_invitation(user, membership.organisation, request)
    return user


def _send_invitation(user, organisation, request):
    """The invitation mail: a one-time link to choose a password (a password-reset token, valid
    PASSWORD_RESET_TIMEOUT), sent at once so that a failure reaches the coordinator.

    In Swedish, whatever language the coordinator works in: the new reporter's language is not known."""
    path = reverse(
        "password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    context = {
        "user": user,
        "organisation": organisation,
        "link": absolute_url(path),
        "login": absolute_url(reverse("login")),
        "coordinator": request.user,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = "".join(render_to_string("workspace/accounts_invite_subject.txt", context).splitlines())
        text = render_to_string("workspace/accounts_invite_email.txt", context)
        html = render_to_string("workspace/accounts_invite_email.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    # Sent inside the transaction: a mail that cannot be sent rolls the account back, so no
    # account is left that nobody was told about (the coordinator sees the failure and can retry).
    message.send()


@role_required
@require_http_methods(["GET", "POST"])
def accounts(request):
    _coordinator(request)
    invite = InviteForm(request.POST or None, prefix="invite")
    if request.method == "POST" and invite.is_valid():
        try:
            user = reporter_invite(**invite.cleaned_data, request=request)
        except OSError:  # smtplib's errors and a refused connection
            log.exception("Inbjudan till %s kunde inte skickas", invite.cleaned_data["email"])  # sv-only: the log
            messages.error(
                request,
                gettext("Mejlet kunde inte skickas, så inget konto skapades. Försök igen om en stund eller kontakta IT."),
            )
            return render(request, "workspace/accounts.html", _accounts_context(invite), status=503)
        messages.success(
            request,
            gettext(
                "%(name)s är inbjuden till %(organisation)s. "
                "Ett mejl med en länk för att välja lösenord skickas till %(email)s."
            )
            % {"name": user.get_full_name(), "organisation": user.membership.organisation, "email": user.email},
        )
        return redirect("workspace:accounts")
    return render(request, "workspace/accounts.html", _accounts_context(invite))


def _accounts_context(invite):
    users = _reporters().select_related("membership__organisation")
    users = list(users.order_by("membership__organisation__name", "last_name", "username"))
    locked = locked_usernames([u.username for u in users])
    rows = [{"user": u, "locked": u.username in locked} for u in users]
    # One list of organisations for every row's move menu (a form per row would query it per row).
    organisations = list(Organisation.objects.order_by("name"))
    return {"invite": invite, "rows": rows, "organisations": organisations}


def _account(request, pk):
    _coordinator(request)
    return get_object_or_404(_reporters().select_related("membership__organisation"), pk=pk)


def _name(user):
    return user.get_full_name() or user.username


@role_required
@require_http_methods(["GET", "POST"])
def account_deactivate(request, pk):
    """Deactivating a reporter, a confirmed step: it locks the reporter out at once, and only the admin undoes it."""
    user = _account(request, pk)
    if request.method == "GET":
        return render(request, "workspace/account_deactivate.html", {"account": user, "name": _name(user)})
    if request.POST.get("confirm") != "1":
        messages.error(request, gettext("Bekräfta att kontot ska inaktiveras."))
        return redirect("workspace:account_deactivate", user.pk)
    user.is_active = False
    user.save(update_fields=["is_active"])
    messages.success(request, gettext("%(name)s är inaktiverad och kan inte längre logga in.") % {"name": _name(user)})
    return redirect("workspace:accounts")


@role_required
@require_POST
def account_move(request, pk):
    user = _account(request, pk)
    form = MoveForm(request.POST, prefix=f"move-{user.pk}")
    if not form.is_valid():
        messages.error(request, gettext("%(name)s flyttades inte: välj en organisation i listan.") % {"name": _name(user)})
        return redirect("workspace:accounts")
    organisation = form.cleaned_data["organisation"]
    Membership.objects.update_or_create(user=user, defaults={"organisation": organisation})
    messages.success(
        request, gettext("%(name)s rapporterar nu för %(organisation)s.") % {"name": _name(user), "organisation": organisation}
    )
    return redirect("workspace:accounts")


@role_required
@require_POST
def account_reinvite(request, pk):
    user = _account(request, pk)
    try:
        reporter_reinvite(user=user, request=request)
    except PermissionDenied as exc:
        messages.error(request, gettext("%(name)s: %(reason)s") % {"name": _name(user), "reason": exc})
    except OSError:  # smtplib's errors and a refused connection
        log.exception("Ny inbjudan till %s kunde inte skickas", user.email)  # sv-only: the log
        messages.error(
            request,
            gettext("Mejlet till %(email)s kunde inte skickas. Försök igen om en stund eller kontakta IT.")
            % {"email": user.email},
        )
    else:
        messages.success(request, gettext("En ny inbjudan med en ny länk har skickats till %(email)s.") % {"email": user.email})
    return redirect("workspace:accounts")


@role_required
@require_POST
def account_unlock(request, pk):
    user = _account(request, pk)
    # django-axes' own reset: the failed attempts for the username go, wherever they came from.
    axes_reset(username=user.username)
    messages.success(request, gettext("%(name)s kan logga in igen.") % {"name": _name(user)})
    return redirect("workspace:accounts")
