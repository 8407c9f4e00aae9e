from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    """Supervision sessions, note reviews and the supervisors' dashboard: the top of the apps' order
    (ARCHITECTURE.md: recovery ← peers ← clients ← supervision); nothing below imports it."""

    name = "supervision"
    verbose_name = "Supervision"

    def ready(self) -> None:
        # The apps below supervision publish to these registries; supervision subscribes here.
        from clients import note_events
        from peers.querysets import SUPERVISED_HOURS, SUPERVISED_SESSIONS
        from recovery.dashboards import MY_DAY_SECTIONS
        from recovery.demo import SEEDERS
        from recovery.invitations import PROGRAM_SETUP
        from recovery.reminders import SWEEPS
        from supervision import demo, my_day, reminders, reviews, topics, trainee_hours

        SWEEPS.extend([reminders.supervision_overdue, reminders.weekly_digest])
        PROGRAM_SETUP.append(topics.program_setup)
        SEEDERS.append(demo.seed)
        MY_DAY_SECTIONS.append((my_day.section, "supervision/includes/my_day.html"))
        note_events.NOTE_SIGNED.append(reviews.note_review_enqueue)
        note_events.ADDENDUM_ADDED.append(reviews.note_review_addendum_added)
        SUPERVISED_HOURS.append(trainee_hours.supervision_hours_attended)
        SUPERVISED_SESSIONS.append(trainee_hours.supervision_sessions_attended)
