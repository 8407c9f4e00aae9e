"""The caseload page's search and filters."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from recovery import widgets

UNASSIGNED = 0  # the peer filter's value for "needs assignment"
SET_ASIDE = "error"  # the status filter's value for the records set aside as entered in error (admins)


class CaseloadFilterForm(forms.Form):
    """The caseload page's search and filters. Unknown values are ignored, never an error page.

    Posted, never sent in a URL: the results page carries the filters and a token for the searched name
    (clients.views.caseload), so no name reaches a server or access log.
    """

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    status = forms.ChoiceField(required=False, choices=[("active", _("Enrolled")), ("discharged", _("Discharged")),
                                                        ("all", _("All"))])
    consent = forms.ChoiceField(label=_("Consent"), required=False,
                                choices=[("", _("Any")), *Client.ConsentStatus.choices])
    review = forms.ChoiceField(label=_("Plan review"), required=False,
                               choices=[("", _("Any")), ("due", _("Due soon, overdue or no plan"))])
    # A program admin's list names every peer specialist: rendered without a template per option.
    peer = forms.TypedChoiceField(label=_("Peer specialist"), required=False, coerce=int, empty_value=None,
                                  widget=widgets.Select)

    def __init__(self, *args, peers=None, set_aside: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if set_aside:  # a program admin also finds the records set aside as entered in error
            self.fields["status"].choices = [*self.fields["status"].choices, (SET_ASIDE, _("Entered in error"))]
        if peers is None:
            del self.fields["peer"]
        else:
            self.fields["peer"].choices = [("", "Everyone you can see"), (UNASSIGNED, "Needs assignment"),
                                           *((p.pk, p.full_name) for p in peers)]

    def filters(self) -> dict:
        """The valid filters (an invalid field falls back to its default)."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        data["status"] = data.get("status") or "active"
        return data
