"""Password reset, throttled: every request is a security event, and the answer never tells whether the
email belongs to an account or was throttled (recovery/signin.py)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from recovery.audit import serves
from recovery.signin import password_reset_request


@serves("GET", "POST")
class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        if password_reset_request(request=self.request, email=form.cleaned_data["email"]):
            return super().form_valid(form)  # sends the email when the address belongs to an active account
        return HttpResponseRedirect(self.get_success_url())
