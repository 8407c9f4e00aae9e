from django.apps import AppConfig


class PeersConfig(AppConfig):
    """Staff and credentials. Depends on recovery only (ARCHITECTURE.md: recovery ← peers ← clients ←
    supervision)."""

    name = "peers"
    verbose_name = "Staff and credentials"

    def ready(self) -> None:
        # Recovery imports no app: each app adds its parts to recovery's registries here.
        from peers import defaults, demo, reminders
        from recovery.demo import SEEDERS
        from recovery.reference import PROGRAM_DEFAULTS
        from recovery.reminders import SWEEPS

        SWEEPS.extend([reminders.credential_expiry, reminders.ce_short])
        PROGRAM_DEFAULTS.append(defaults.program_setup)
        SEEDERS.append(demo.seed)
