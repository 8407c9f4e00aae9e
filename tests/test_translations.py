"""Every user-facing string is marked for translation and has its Spanish (issue 21, point 3).

recovery/i18n_scan.py does the work (also a script: ``python recovery/i18n_scan.py --root . [paths…]``):
(a) template text and user-facing attributes outside {% translate %}/{% blocktranslate %}, (b) Python texts
given where people read them (labels, help texts, choices, messages, validation errors, notifications,
emails) outside _()/gettext, (c) every msgid in locale/es/LC_MESSAGES/django.po, translated, not fuzzy,
with the msgid's placeholders.

"""

import textwrap

import pytest
from django.conf import settings

from recovery import i18n_scan

ROOT = settings.BASE_DIR
def shown(findings) -> str:
    return "\n".join(str(f) for f in findings[:200])


@pytest.fixture(scope="module")
def extracted():
    """What makemessages extracts from the code now (one run for the module: about ten seconds)."""
    return i18n_scan.extract_messages(ROOT)


def test_no_template_has_unmarked_text():
    findings = i18n_scan.scan_templates(ROOT)
    assert not findings, "Unmarked template text:\n" + shown(findings)


def test_no_python_text_is_unmarked():
    findings = i18n_scan.scan_python(ROOT)
    assert not findings, "Unmarked Python text:\n" + shown(findings)


def test_every_message_has_spanish(extracted):
    findings = i18n_scan.scan_catalogue(ROOT, extracted=extracted)
    assert not findings, "Missing Spanish:\n" + shown(findings)


# --- The checker itself -------------------------------------------------------------------------------

def texts(findings) -> list[str]:
    return [f.text for f in findings]


def test_the_checker_finds_text_and_attributes_outside_translate_tags():
    source = textwrap.dedent("""\
        {% load i18n %}<h1>{% translate "Hello" %}</h1>
        <a href="{% url 'home' %}" title="Open {{ name }}" aria-label="{% translate 'Close' %}">Lantern</a>
        {% blocktranslate trimmed %}Hi {{ name }}{% endblocktranslate %}
        <!-- a comment --> {# a note #} {% comment %}old text{% endcomment %}
        <script>var a = "words";</script><style>.a{content:"x"}</style>
        <p>{{ x|default:"None" }} Oops {% if a %}here{% endif %}</p>
        {% include "a.html" with submit="Save it" variant="primary" %}
        <input type="submit" value="Go"><button data-confirm="Sure?">{% translate "x" %}</button>
        <p>Not people's text</p>{# i18n: ignore #}
        """)
    found = i18n_scan.scan_template_source(source, "t.html")
    assert sorted(texts(found)) == sorted([
        '{{ x|default:"None" }}', 'submit="Save it"', 'title="Open"', "Oops", "here", 'value="Go"',
        'data-confirm="Sure?"',
    ])
    assert {f.line for f in found if f.text == "Oops"} == {6}


def test_the_checker_finds_python_texts_outside_gettext():
    source = textwrap.dedent("""\
        from django.db import models
        class Status(models.TextChoices):
            A = "a", "Alpha"
            B = "b", _("Beta")
            C = "c"
        name = models.CharField("Name", help_text=_("fine"), choices=[("a", "Ay")])
        messages.success(request, f"Saved {n}.")
        messages.info(request, _("Fine %(a)s") % {"a": 1})
        raise ValidationError("Bad thing")
        title = "clients:detail"
        LOCKED_MESSAGE = "a database trigger's words"  # i18n: ignore
        context = {"title": "My page"}
        Draft(recipient_id=1, kind="k", title=f"A follow-up is {days} days overdue")
        """)
    found = texts(i18n_scan.scan_python_source(source, "m.py"))
    assert sorted(found) == sorted(["Alpha", "C = 'c' (choice without a marked label)", "Name", "Ay", "Saved {…}.",
                                   "Bad thing", "My page", "A follow-up is {…} days overdue"])


def test_the_checker_compares_placeholders():
    assert i18n_scan.placeholders("%(count)d notes, %(name)s") == ["%(count)d", "%(name)s"]
    assert i18n_scan.placeholders("100%% of {name}") == ["{name}"]
