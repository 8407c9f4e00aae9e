"""Every change-history table is indexed on the event time: the audit report's changes tab reads each
table's part of a program's history newest first, cut to the page's end on that index."""

import pghistory.models
from django.apps import apps

from recovery.tracking import EVENT_TIME


def test_every_event_table_has_the_event_time_index():
    events = [m for m in apps.get_models() if issubclass(m, pghistory.models.Event)
              and not m._meta.proxy and m._meta.managed and m._meta.app_label != "pghistory"]
    assert len(events) > 30
    missing = [m._meta.label for m in events if not any(list(i.fields) == EVENT_TIME for i in m._meta.indexes)]
    assert missing == []
