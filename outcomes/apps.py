from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    """Outcomes: assessment instruments and check-ins, GPRA follow-up windows, reporting demographics.

    Sits above clients (it may import recovery, peers and clients; nothing below imports it) and reaches
    the pages below through their registries (ARCHITECTURE.md)."""

    name = "outcomes"
    verbose_name = _("Outcomes")

    def ready(self) -> None:
        from clients.sections import section_add
        from outcomes import defaults, demo, my_day, reminders, sections
        from recovery.notify_email import KINDS
        from recovery.registries import register

        register(sweeps=[reminders.checkin_due, reminders.gpra_window], seeders=[demo.seed],
                 my_day=[(my_day.section, "outcomes/my_day.html")], program_defaults=[defaults.program_setup])
        section_add(sections.outcomes, "outcomes/participant/section.html", after="plan")
        KINDS.setdefault("checkin_due", "Recovery check-ins due")
        KINDS.setdefault("gpra_window", "GPRA follow-up windows opening and closing")
