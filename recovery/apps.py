from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "recovery"
    verbose_name = _("Lantern: accounts, programs and audit")

    def ready(self) -> None:
        # Session limits and the two-factor step start at login (``user_logged_in`` receivers).
        from recovery import sessions, twofactor  # noqa: F401
        from recovery.fields import limit_free_text_in_every_form

        limit_free_text_in_every_form()  # every form's free text has a length limit (security issue, point 12)
