from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports: the measures of what the work achieved, for a peer, a team, a program and a funder.

    The top of the dependency order: it reads every app below (recovery, peers, clients, supervision,
    outcomes) and nothing imports it. Measures live in ``reports.measures.MEASURES`` (ARCHITECTURE.md)."""

    name = "reports"
    verbose_name = "Reports"
