"""The login, the signed-in user's own settings (their language), and the password reset, throttled: every reset
request is a security event, and the answer never tells whether the email belongs to an account or was
throttled (recovery/signin.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from recovery.audit import serves
from recovery.forms import LanguageForm, LoginForm, PasswordResetForm
from recovery.http import next_url
from recovery.signin import password_reset_request


@serves("GET", "POST")
class LoginView(auth_views.LoginView):
    """Django's login; after it, the ``next`` page when it is a page of ours (``recovery.http.next_url``: a form's
    POST-only action bounced to the login page is not one) other than the login page itself (a signed-in user
    sent there would loop: Django raises, a 500), else My day."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        target = next_url(self.request)
        return "" if urlsplit(target).path == self.request.path else target


@serves("GET", "POST")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        if password_reset_request(request=self.request, email=form.cleaned_data["email"]):
            return super().form_valid(form)  # sends the email when the address belongs to an active account
        return HttpResponseRedirect(self.get_success_url())


@login_required
@serves("GET", "POST")
def language(request):
    """Pick the language Lantern speaks to you. Kept on the account (every device, emails, notifications)
    and in the language cookie, so the sign-in page speaks it too after you sign out."""
    form = LanguageForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        chosen = request.user.language or translation.get_language_from_request(request)
        translation.activate(chosen)
        messages.success(request, _("Your language is saved."))
        response = redirect("language")
        if request.user.language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, request.user.language, max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        else:
            response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH,
                                   domain=settings.LANGUAGE_COOKIE_DOMAIN, samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response
    return render(request, "recovery/language.html", {"form": form})
