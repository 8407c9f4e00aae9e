from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """What leaves the program: disclosures and their accounting (42 CFR Part 2), the participant's record
    export, and the documents kept with the record.

    At the top of the dependency order: the record export reads every app below it (ARCHITECTURE.md)."""

    name = "records"
    verbose_name = _("Records and disclosures")

    def ready(self) -> None:
        from clients.sections import section_add
        from records import demo, sections
        from recovery.registries import register

        register(seeders=[demo.seed])
        section_add(sections.participant, "records/participant/section.html", after="consents")
