"""Supervision topics are each program's data: copied when a program starts, retired (never deleted)."""

from __future__ import annotations

from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse

from supervision.models import Topic
from supervision.topics import DEFAULT_TOPICS
from tests.factories import SupervisionSessionFactory


def test_the_default_topics_are_loaded_in_order(program):
    names = list(Topic.objects.filter(program=program).values_list("name", flat=True))
    assert names[:3] == ["Ethics and boundaries", "Self-care and burnout", "Case review"]
    assert len(names) == len(DEFAULT_TOPICS)


def test_topics_are_retired_in_the_admin_not_deleted(program):
    model_admin = site._registry[Topic]
    request = RequestFactory().get("/admin/")
    assert model_admin.has_delete_permission(request, Topic.objects.first()) is False


def test_a_retired_topic_stays_on_old_sessions_and_leaves_the_form(login, supervisor, peer):
    draft = SupervisionSessionFactory(supervisor=supervisor, supervisees=[peer], topic_codes=["resources"])
    Topic.objects.filter(code="resources", program=draft.program).update(is_active=False)
    client = login(supervisor)
    new_form = client.get(reverse("supervision:session_new")).context["form"]
    assert "Community resources" not in {t.name for t in new_form.fields["topics"].queryset}
    edit_form = client.get(reverse("supervision:session_edit", args=[draft.uuid])).context["form"]
    assert "Community resources" in {t.name for t in edit_form.fields["topics"].queryset}
