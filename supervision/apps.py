from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Supervision sessions, note reviews and the supervisors' dashboard: the top of the apps' order
    (ARCHITECTURE.md: recovery ← peers ← clients ← supervision); nothing below imports it."""

    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        # The apps below supervision publish to these registries; supervision subscribes here.
        from clients import note_events
        from peers.querysets import SUPERVISED_HOURS, SUPERVISED_SESSIONS
        from recovery.registries import register
        from supervision import demo, my_day, oversight, reminders, reviews, trainee_hours

        register(sweeps=[reminders.supervision_overdue, reminders.weekly_digest], seeders=[demo.seed],
                 my_day=[(oversight.section, "supervision/includes/my_day_oversight.html"),
                         (my_day.section, "supervision/includes/my_day.html")])
        _reference_lists()
        note_events.NOTE_SIGNED.append(reviews.note_review_enqueue)
        note_events.ADDENDUM_ADDED.append(reviews.note_review_addendum_added)
        SUPERVISED_HOURS.append(trainee_hours.supervision_hours_attended)
        SUPERVISED_SESSIONS.append(trainee_hours.supervision_sessions_attended)


def _reference_lists() -> None:
    """Supervision topics: copied into each new program, edited by its admins."""
    from recovery.reference import PROGRAM_DEFAULTS, ReferenceList, in_use_by, reference_list_add
    from supervision import topics
    from supervision.forms import TopicForm
    from supervision.models import SessionTopic, Topic

    PROGRAM_DEFAULTS.append(topics.program_defaults)
    reference_list_add(ReferenceList(
        slug="supervision-topics", title=_("Supervision topics"), model=Topic, form=TopicForm,
        help=_("What a supervision session can cover."), columns=("code", "name"),
        in_use=in_use_by((SessionTopic, "topic"))))
