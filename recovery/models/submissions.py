"""One-time tokens of create forms (recovery/once.py): a double-submitted form creates one record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from recovery.db import CreatedAtModel


class FormSubmission(CreatedAtModel):
    """A create form's hidden token, claimed in the transaction that creates the record.

    The token is the primary key, so a second submit of the same form (or two at once) cannot claim it
    again; it is sent to where the first submit went instead.
    """

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    redirect_to = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("form submission")

    def __str__(self) -> str:
        return str(self.token)
