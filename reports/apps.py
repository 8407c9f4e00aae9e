from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Reports: the measures of what the work achieved, for a peer, a team, a program and a funder.

    The top of the dependency order: it reads every app below (recovery, peers, clients, supervision,
    outcomes) and nothing imports it. Measures live in ``reports.measures.MEASURES`` (ARCHITECTURE.md);
    the summaries they read (``reports.models.NoteMonth``, ``ProgramMonth``, ``ContactMonth``,
    ``ContactGap``, ``SignatureDelay``) are kept as notes are signed (``clients.note_events.NOTE_SIGNED``)
    and written in bulk after the demo and scale data sets."""

    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from clients import note_events
        from recovery.registries import register
        from reports import summary
        from supervision.scale import SUMMARY_TABLES

        note_events.NOTE_SIGNED.append(summary.note_month_add)
        note_events.RECORDS_MERGED.append(summary.summaries_rebuild_for_merge)
        register(seeders=[summary.demo_seed])
        SUMMARY_TABLES.extend([summary.note_months_rebuild, summary.program_months_rebuild,
                               summary.contact_months_rebuild, summary.contact_gaps_rebuild,
                               summary.signature_delays_rebuild])
