from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Supervision sessions, note reviews and the supervisors' dashboard: the top of the apps' order
    (ARCHITECTURE.md: recovery ← peers ← clients ← supervision); nothing below imports it."""

    name = "supervision"
    verbose_name = "Supervision"

    def ready(self) -> None:
        # The apps below supervision publish to these registries; supervision subscribes here.
        from clients import note_events
        from peers.querysets import SUPERVISED_HOURS
        from recovery.registries import register
        from supervision import demo, my_day, reminders, reviews, trainee_hours

        register(sweeps=[reminders.supervision_overdue, reminders.weekly_digest], seeders=[demo.seed],
                 my_day=[(my_day.section, "supervision/includes/my_day.html")])
        note_events.NOTE_SIGNED.append(reviews.note_review_enqueue)
        note_events.ADDENDUM_ADDED.append(reviews.note_review_addendum_added)
        SUPERVISED_HOURS.append(trainee_hours.supervision_hours_attended)
