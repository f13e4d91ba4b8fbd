"""Password reset for everyone, through Django's own views and tokens, in Swedish and rate limited.

The answer is the same whether or not the address belongs to an account (Django's
form sends nothing for an unknown one). The limit counts requests per client
address and per e-mail address in the cache: past it the same answer is given and
no mail is sent, so the form can be used neither to flood an inbox nor to probe.
"""

from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.urls import reverse_lazy

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
        over_ip = _over_limit(f"password-reset:ip:{self.request.META.get('REMOTE_ADDR', '')}", PER_IP)
        over_address = _over_limit(f"password-reset:email:{address}", PER_ADDRESS)
        if over_ip or over_address:
            return super(auth_views.PasswordResetView, self).form_valid(form)  # the same answer, no mail
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    success_url = reverse_lazy("password_reset_complete")
