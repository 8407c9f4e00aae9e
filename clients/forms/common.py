"""What the clients app's forms share. Checks that need "today" take the program's date (``Program.today()``)."""

from __future__ import annotations

import datetime


class TodayMixin:
    """Forms that compare dates with today in the program's time zone take ``today=``."""

    def __init__(self, *args, today: datetime.date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
