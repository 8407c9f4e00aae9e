from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Billing: payers, coverage, service authorizations, the billing review and claim exports.

    The top of the dependency order (it may import every other app; none imports it). It reaches the
    apps below through their registries: the note form's live units (``clients.units.ESTIMATE_LINES``),
    addenda to billed notes (``clients.note_events.ADDENDUM_ADDED``) and the demo data (``SEEDERS``)."""

    name = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from billing import authorizations, demo, services
        from clients.note_events import ADDENDUM_ADDED
        from clients.units import ESTIMATE_LINES
        from recovery.registries import register

        ESTIMATE_LINES.append(authorizations.estimate_lines)
        ADDENDUM_ADDED.append(services.rereview_on_addendum)
        register(seeders=[demo.seed])
