from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeersConfig(AppConfig):
    """Staff and credentials. Depends on recovery only (ARCHITECTURE.md: recovery ← peers ← clients ←
    supervision)."""

    name = "peers"
    verbose_name = _("Staff and credentials")

    def ready(self) -> None:
        # Recovery imports no app: each app adds its parts to recovery's registries here.
        from peers import defaults, demo, reminders
        from recovery.registries import register

        register(sweeps=[reminders.credential_expiry, reminders.ce_short], seeders=[demo.seed],
                 program_defaults=[defaults.program_setup])
