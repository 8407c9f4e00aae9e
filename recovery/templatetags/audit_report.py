from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

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


ACCESS_ROW = """  <tr>
    <td class="text-nowrap"><time datetime="{}">{}</time></td>
    <td>{}</td>
    <td>{}</td>
    <td class="small">{}{}</td>
    <td class="small font-monospace">{}</td>
    <td class="small font-monospace">{}</td>
    <td class="small text-break">{}</td>
    <td class="small">{}</td>
  </tr>
"""


@register.simple_tag
def access_row(row) -> SafeString:
    """One access-log row of the audit report, written in Python: the report shows 50 on every visit, and
    the row template's filters and tags were most of the page's time. The time is in the active time zone
    (the program's), as the template's ``date`` filter shows it; tests/security/test_audit_report.py compares
    the rows with that template's."""
    at = timezone.localtime(row.at)
    object_id = format_html('<br><span class="font-monospace">{}</span>', row.object_id) if row.object_id else ""
    participant = (format_html('<a href="?tab=access&amp;participant={}">{}</a>', row.client_uuid, row.client_uuid)
                   if row.client_uuid else "")
    return format_html(ACCESS_ROW, at.isoformat(), at.strftime("%Y-%m-%d %H:%M:%S"), row.user.full_name,
                       row.get_action_display(), object_type_label(row.object_type), object_id, participant,
                       row.ip or "", row.path, row.reason)
