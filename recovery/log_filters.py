"""Logging filters that keep participant data out of the logs (PRODUCT.md: logs carry no participant names).

Django logs each failed variable lookup in a template at DEBUG, with the exception attached; that
exception's message is the repr of the whole template context, form values included (a participant's
name and date of birth on the intake form). ``TemplateContextRedactor`` keeps the record (which
variable, in which template) and drops the exception, so turning on DEBUG logging to chase a problem
never writes participant data. Installed on the ``django.template`` logger in settings.LOGGING.
"""

from __future__ import annotations

import logging


class TemplateContextRedactor(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            kind = record.exc_info[0].__name__ if record.exc_info[0] else "exception"
            record.msg = f"{record.msg} [{kind}; template context not logged]"
            record.exc_info = None
            record.exc_text = None
        return True
