from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    """Participants, their plans and session notes. Depends on recovery and peers, never on supervision
    (ARCHITECTURE.md: recovery ← peers ← clients ← supervision)."""

    name = "clients"
    verbose_name = _("Participants")

    def ready(self) -> None:
        # Recovery imports no app: each app adds its parts to recovery's registries here.
        from clients import demo, handover, my_day, reminders, selectors
        from peers.services import DEACTIVATION_BLOCKERS
        from recovery.audit_report import PARTICIPANT_SEARCHES
        from recovery.notify import SUBJECT_NAMES
        from recovery.registries import register

        register(sweeps=[reminders.consent_expiring, reminders.plan_review, reminders.followup_due,
                         reminders.no_contact, reminders.draft_notes],
                 seeders=[demo.seed, demo.seed_notes], my_day=[(my_day.section, "clients/my_day/section.html")])
        DEACTIVATION_BLOCKERS.append(handover.still_carries)
        SUBJECT_NAMES.append(reminders.participant_names)
        PARTICIPANT_SEARCHES.append(selectors.participants_named)
        _reference_lists()


def _reference_lists() -> None:
    """The clients app's per-program lists: copied into each new program, edited by its admins."""
    from django.utils.translation import gettext_lazy as _

    from clients import reference
    from clients.forms.reference import DimensionForm, DischargeReasonForm, ServiceCodeForm, SupportServiceForm
    from clients.models import (
        Dimension,
        DischargeReason,
        Episode,
        GoalDimension,
        NoteService,
        ServiceCode,
        SessionNote,
        SupportService,
    )
    from recovery.reference import PROGRAM_DEFAULTS, ReferenceList, in_use_by, reference_list_add

    PROGRAM_DEFAULTS.append(reference.program_defaults)
    reference_list_add(ReferenceList(
        slug="service-codes", title=_("Service codes"), model=ServiceCode, form=ServiceCodeForm,
        help=_("The billing codes a note can carry: how long a unit is and how many units a participant may "
               "have a day and a year."),
        columns=("code", "description", "billable", "unit_minutes", "daily_unit_cap", "yearly_unit_cap"),
        in_use=in_use_by((SessionNote, "service_code"))))
    reference_list_add(ReferenceList(
        slug="services-provided", title=_("Services provided"), model=SupportService, form=SupportServiceForm,
        help=_("The kinds of support a note can record (emotional support, advocacy...)."),
        columns=("code", "name"), in_use=in_use_by((NoteService, "service"))))
    reference_list_add(ReferenceList(
        slug="discharge-reasons", title=_("Discharge reasons"), model=DischargeReason, form=DischargeReasonForm,
        help=_("Why an episode of service ended."), columns=("code", "name"),
        in_use=lambda item: Episode.objects.filter(client__program_id=item.program_id,
                                                   discharge_reason=item.code).exists()))
    reference_list_add(ReferenceList(
        slug="recovery-dimensions", title=_("Recovery dimensions"), model=Dimension, form=DimensionForm,
        help=_("The dimensions a recovery plan's goals are tagged with (SAMHSA's dimensions of recovery and of "
               "wellness)."),
        columns=("code", "name"), in_use=in_use_by((GoalDimension, "dimension"))))
