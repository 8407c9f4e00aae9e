"""``{{ form.field|as_field }}``: crispy-bootstrap5's ``as_crispy_field`` for the plain fields of a form without a
crispy helper, built in Python rather than through crispy's field template and its five includes.

The same HTML (tests/recovery/test_form_fields.py compares it with crispy's, with and without errors): the
wrapper ``div_<id>``, the label (and its required marker), the widget with crispy's CSS classes and Django's
own attributes (``aria-describedby``, ``aria-invalid``, ``required``), the errors block and the help text.
Anything else (a crispy helper, a checkbox list or radio buttons, a file, a widget in a fieldset) goes
through ``as_crispy_field`` itself. The note form renders 14 fields on every visit: 8 ms of CPU through
the template, 4 ms here.
"""

from __future__ import annotations

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ASTERISK = SafeString('<span class="asteriskField">*</span>')  # the required marker, as crispy writes it


def _add_classes(field: forms.BoundField, classes: str) -> None:
    """What crispy's ``{% crispy_field field 'class' classes %}`` does to the widget before rendering it: its
    class name (lowercased, through ``CRISPY_CLASS_CONVERTERS``), then each of ``classes`` not there yet."""
    widget = field.field.widget
    converters = getattr(settings, "CRISPY_CLASS_CONVERTERS", {})
    for inner in getattr(widget, "widgets", [getattr(widget, "widget", widget)]):
        class_name = inner.__class__.__name__.lower()
        class_name = converters.get(class_name, class_name)
        css_class = inner.attrs.get("class", "")
        if css_class:
            if css_class.find(class_name) == -1:
                css_class += f" {class_name}"
        else:
            css_class = class_name
        for name in classes.split():
            if name not in css_class.split():
                css_class += f" {name}"
        inner.attrs["class"] = css_class


def _errors_and_help(field: forms.BoundField) -> SafeString:
    errors = field.errors
    parts = []
    if errors:
        field_id = getattr(errors, "field_id", "")
        rows = format_html_join("", '<p id="error_{}_{}"><strong>{}</strong></p>',
                                ((i, field.auto_id, error) for i, error in enumerate(errors, start=1)))
        parts.append(format_html('<div id="{}_error" class="invalid-feedback">{}</div>',
                                 "None" if field_id is None else field_id, rows))
    if field.help_text:
        help_text = mark_safe(field.help_text)  # noqa: S308 (crispy's template marks it safe too: our own texts)
        parts.append(format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, help_text)
                     if field.auto_id else format_html('<div class="form-text">{}</div>', help_text))
    return mark_safe("".join(parts))  # noqa: S308 (each part built by format_html)


def _simple(field) -> bool:
    widget = field.field.widget
    return (isinstance(field, forms.BoundField) and getattr(field.form, "helper", None) is None
            and not field.use_fieldset and not isinstance(widget, forms.RadioSelect | forms.FileInput)
            and not hasattr(widget, "widgets") and not hasattr(widget, "widget"))


SELECT_TEMPLATES = ("django/forms/widgets/select.html", "django/forms/widgets/select_option.html")


def _attrs(attrs: dict) -> str:
    """Django's ``django/forms/widgets/attrs.html``: `` name="value"`` each, a bare name for True, none for False."""
    return "".join("" if value is False else f" {conditional_escape(name)}" if value is True
                   else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
                   for name, value in attrs.items())


def _text(value) -> bool:
    return isinstance(value, str | Promise)


def _widget(field: forms.BoundField) -> str:
    """``str(field)``: the widget as Django renders it. A plain ``<select>`` (Django's own templates, through the
    default renderer) is written here, character for character the same: its template includes another
    template per option, 20 ms of CPU for the report's 150 options, 2 ms here."""
    widget = field.field.widget
    if (not isinstance(widget, forms.Select) or widget.allow_multiple_selected or field.field.show_hidden_initial
            or field.field.localize or (widget.template_name, widget.option_template_name) != SELECT_TEMPLATES
            or type(field.form.renderer) is not DjangoTemplates):
        return str(field)
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    parts = [f'<select name="{conditional_escape(context["name"])}"{_attrs(context["attrs"])}>']
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            if not _text(group_name):
                return str(field)
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if not _text(option["label"]) or option["template_name"] != SELECT_TEMPLATES[1]:
                return str(field)
            parts.append(f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                         f'{conditional_escape(option["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)


@register.filter
def as_field(field) -> SafeString:
    if not _simple(field):
        return as_crispy_field(field)
    if field.is_hidden:
        return SafeString(str(field))
    required = field.field.required
    wrapper_classes = f" {field.css_classes()}" if field.css_classes() else ""
    invalid = " is-invalid" if field.errors else ""
    if isinstance(field.field.widget, forms.CheckboxInput):
        _add_classes(field, "form-check-input" + invalid)
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}'
            '<label for="{}" class="form-check-label{}">{}{}</label>{}</div></div>',
            field.auto_id, wrapper_classes, str(field), field.id_for_label, " requiredField" if required else "",
            field.label, ASTERISK if required else "", _errors_and_help(field))
    _add_classes(field, ("form-select" if isinstance(field.field.widget, forms.Select) else "form-control") + invalid)
    label_html = ""
    if field.label:
        label_html = format_html('<label{} class="form-label{}">{}{}</label>',
                                 format_html(' for="{}"', field.id_for_label) if field.id_for_label else "",
                                 " requiredField" if required else "", field.label,
                                 ASTERISK if required else "")
    return format_html('<div id="div_{}" class="mb-3{}">{}{}{}</div>', field.auto_id, wrapper_classes, label_html,
                       _widget(field), _errors_and_help(field))
