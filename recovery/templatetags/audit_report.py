from django import template

from recovery.audit_report import describe_change, record_type_label

register = template.Library()


@register.filter
def record_type(event_model_label: str) -> str:
    return record_type_label(event_model_label)


@register.filter
def change_summary(event) -> str:
    return describe_change(event)
