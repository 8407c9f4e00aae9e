"""Forms of the supervision app. Choices are scoped: a supervisor picks only staff and participants they
may see (``recovery.scoping``); dates are checked against the program's today."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from recovery.fields import DATE_IN_FUTURE, DueDateField, PastDateField  # noqa: F401 (tests check the message here)
from recovery.forms_reference import ReferenceItemForm
from recovery.models import Membership, User
from recovery.once import OnceMixin
from supervision import services
from supervision.models import ActionItem, SupervisionAddendum, SupervisionSession, Topic
from supervision.models.sessions import MAX_MINUTES
from supervision.selectors import supervisee_choices

DUE_BEFORE_SESSION = _("The due date is before the session.")
MIN_MINUTES = 5




class SuperviseeChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return obj.user.full_name


class ParticipantChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Client) -> str:
        peer = obj.primary_peer.full_name if obj.primary_peer_id else gettext("needs assignment")
        return f"{obj.display_name} · {peer}"


class TopicChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return gettext(obj.name)  # a shipped topic in the reader's language (supervision/topics.py)


class SessionForm(forms.ModelForm):
    """Record or change a draft session: who, when, how long, how, what about, whom discussed."""

    supervisees = SuperviseeChoice(queryset=Membership.objects.none(), widget=forms.CheckboxSelectMultiple,
                                   help_text=_("Individual: one person. Group: two or more."))
    topics = TopicChoice(queryset=Topic.objects.none(), widget=forms.CheckboxSelectMultiple, required=False)
    # A checklist, not a multi-select: usable with a thumb on a phone. static/js/checklist-filter.js adds a
    # search box above it; without JavaScript it is a plain list of checkboxes.
    participants_discussed = ParticipantChoice(
        queryset=Client.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-checklist-filter": _("Find a participant")}),
        help_text=_("Only participants you may see are listed."),
    )
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=MIN_MINUTES, max_value=MAX_MINUTES,
                                          initial=60)

    class Meta:
        model = SupervisionSession
        fields = ["kind", "held_on", "duration_minutes", "format", "notes"]
        labels = {"kind": _("Kind"), "format": _("Format")}
        widgets = {"kind": forms.RadioSelect, "format": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 6})}
        field_classes = {"held_on": PastDateField}

    def __init__(self, *args, user: User, program_id: int, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        session = self.instance if self.instance.pk else None
        chosen_topics = Q(pk__in=session.topics.all()) if session else Q(pk__in=[])
        self.fields["topics"].queryset = Topic.objects.filter(Q(is_active=True) | chosen_topics, program_id=program_id)
        self.fields["supervisees"].queryset = supervisee_choices(user, program_id)
        discussed = Q(pk__in=session.participants_discussed.all()) if session else Q(pk__in=[])
        self.fields["participants_discussed"].queryset = (
            Client.objects.visible_to(user).filter(Q(status=Client.Status.ACTIVE) | discussed, program_id=program_id)
            .select_related("primary_peer").order_by("name_key", "pk")
        )
        if session and not self.is_bound:
            self.initial.update(supervisees=list(session.supervisees.all()), topics=list(session.topics.all()),
                                participants_discussed=list(session.participants_discussed.all()))
        if not session and not self.is_bound:
            self.initial.setdefault("held_on", today)

    def clean(self):
        data = super().clean()
        if "kind" in data and "supervisees" in data:
            try:
                services.supervisees_check(data["kind"], list(data["supervisees"]))
            except ValidationError as error:
                self.add_error(None, error)
        return data


class SessionAddForm(OnceMixin, SessionForm):
    pass


class ActionItemForm(OnceMixin, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["assignee", "description", "due_on"]
        field_classes = {"due_on": DueDateField}

    def __init__(self, *args, session: SupervisionSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        people = Q(pk=session.supervisor_id) | Q(memberships__supervisions__session=session)
        self.fields["assignee"].queryset = User.objects.filter(people).distinct().order_by("full_name")
        self.fields["assignee"].label_from_instance = lambda user: user.full_name
        self.fields["assignee"].empty_label = None

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < self.session.held_on:
            raise ValidationError(DUE_BEFORE_SESSION, code="before_session")
        return due_on


class AddendumForm(OnceMixin, forms.ModelForm):
    class Meta:
        model = SupervisionAddendum
        fields = ["text"]
        labels = {"text": _("Addendum")}
        help_texts = {"text": _("What to add or correct. The signed record stays as it was; this is shown under it.")}
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the addendum add or correct?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        help_text=_("The author reads this. Name no one outside the note."),
    )


class TopicForm(ReferenceItemForm):
    """A supervision topic, as a program admin edits it (recovery.reference)."""

    class Meta(ReferenceItemForm.Meta):
        model = Topic
        help_texts = {"code": _("A short key (letters, digits, - and _).")}
