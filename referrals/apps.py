from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Resource navigation: the program's resource directory and closed-loop referrals.

    Sits above clients (it may import recovery, peers and clients; supervision and outcomes may import it)
    and reaches the pages below through their registries (ARCHITECTURE.md)."""

    name = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from clients.extras import extra_add
        from clients.sections import section_add
        from recovery.notify_email import KINDS
        from recovery.registries import register
        from referrals import demo, my_day, reminders, sections

        register(sweeps=[reminders.referral_no_update], seeders=[demo.seed],
                 my_day=[(my_day.section, "referrals/my_day.html")])
        section_add(sections.participant, "referrals/participant/section.html", after="followups")
        extra_add("note_page", sections.note_page, "referrals/extras/note_page.html")
        extra_add("note_form", sections.note_form, "referrals/extras/note_form.html")
        extra_add("plan_page", sections.plan_page, "referrals/extras/plan_page.html")
        extra_add("followup_done", sections.followup_done, "referrals/extras/followup_done.html")
        KINDS.setdefault("referral_no_update", _("Referrals with no update"))
