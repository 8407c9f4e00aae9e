from django.apps import AppConfig


class ClientsConfig(AppConfig):
    """Participants, their plans and session notes. Depends on recovery and peers, never on supervision
    (ARCHITECTURE.md: recovery ← peers ← clients ← supervision)."""

    name = "clients"
    verbose_name = "Participants"

    def ready(self) -> None:
        # Recovery imports no app: each app adds its parts to recovery's registries here.
        from clients import demo, handover, my_day, note_defaults, reminders
        from peers.services import DEACTIVATION_BLOCKERS
        from recovery.dashboards import MY_DAY_SECTIONS
        from recovery.demo import SEEDERS
        from recovery.invitations import PROGRAM_SETUP
        from recovery.notify import SUBJECT_NAMES
        from recovery.reminders import SWEEPS

        SWEEPS.extend([reminders.consent_expiring, reminders.plan_review, reminders.followup_due,
                       reminders.no_contact, reminders.draft_notes])
        PROGRAM_SETUP.append(note_defaults.program_setup)
        SEEDERS.extend([demo.seed, demo.seed_notes])
        MY_DAY_SECTIONS.append((my_day.section, "clients/my_day/section.html"))
        DEACTIVATION_BLOCKERS.append(handover.still_carries)
        SUBJECT_NAMES.append(reminders.participant_names)
