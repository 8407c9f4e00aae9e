from django.apps import AppConfig


class ClientsConfig(AppConfig):
    """Participants, their plans and session notes. Depends on recovery and peers, never on supervision
    (ARCHITECTURE.md: recovery ← peers ← clients ← supervision)."""

    name = "clients"
    verbose_name = "Participants"

    def ready(self) -> None:
        # Recovery imports no app: each app adds its parts to recovery's registries here.
        from clients import demo, handover, my_day, reminders
        from peers.services import DEACTIVATION_BLOCKERS
        from recovery.registries import register

        register(sweeps=[reminders.consent_expiring, reminders.plan_review, reminders.followup_due,
                         reminders.no_contact, reminders.draft_notes],
                 seeders=[demo.seed, demo.seed_notes], my_day=[(my_day.section, "clients/my_day/section.html")])
        DEACTIVATION_BLOCKERS.append(handover.still_carries)
