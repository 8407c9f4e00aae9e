from django import template

from recovery.audit_report import describe_change, object_type_label, record_type_label
from recovery.history import action_label

register = template.Library()


@register.filter
def record_type(event_model_label: str) -> str:
    return record_type_label(event_model_label)


@register.filter
def change_summary(event) -> str:
    return describe_change(event)


@register.filter
def action(pgh_label: str) -> str:
    return action_label(pgh_label)


@register.filter
def object_type(value: str) -> str:
    return object_type_label(value)
