"""CSV import of directory entries, with a dry run: ``resources_import(..., dry_run=True)`` reads and
checks every row and says what it would do; the same text imported for real adds the entries, in one
transaction. An entry already in the program's directory (same organisation and service, case and
accents aside) is left as it is.

Columns (header row, any order; only ``organisation`` is required): see ``COLUMNS``. Categories and
languages are separated by semicolons; categories are given by name or code; yes/no columns take
yes/no, true/false, y/n or 1/0; ``last_verified`` is YYYY-MM-DD.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clients.names import name_key
from recovery.fields import EARLIEST_SERVICE_DATE
from referrals.models import Category, Resource
from referrals.services import resource_save

COLUMNS = [
    ("organisation", gettext_lazy("Organisation's name (required)")),
    ("service_name", gettext_lazy("The service or program")),
    ("categories", gettext_lazy("Category names or codes, separated by semicolons")),
    ("address", gettext_lazy("Street address")),
    ("phone", gettext_lazy("Phone")),
    ("website", gettext_lazy("Website (https://…)")),
    ("hours", gettext_lazy("Opening hours")),
    ("eligibility", gettext_lazy("Who it is for")),
    ("cost", gettext_lazy("free, sliding, insurance, fee or unknown")),
    ("languages", gettext_lazy("Languages, separated by semicolons")),
    ("accepts_medicaid", gettext_lazy("yes or no")),
    ("walk_in", gettext_lazy("yes or no")),
    ("notes", gettext_lazy("Anything else")),
    ("last_verified", "YYYY-MM-DD"),
]
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
SALT = "referrals.import"
TOKEN_MAX_AGE = 3600
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}


class ImportFileError(Exception):
    pass


BadToken = signing.BadSignature


@dataclass
class Row:
    line: int
    organisation: str
    service_name: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    added: list[Row] = field(default_factory=list)
    duplicates: list[Row] = field(default_factory=list)
    errors: list[Row] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    dry_run: bool = True


def read_upload(upload) -> str:
    if upload.size > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB: split it."))
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("Save the file as UTF-8 CSV and try again.")) from None


def sign(text: str) -> str:
    return signing.dumps(text, salt=SALT, compress=True)


def unsign(token: str) -> str:
    return signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)


def unique_code(program, name: str) -> str:
    base = slugify(name)[:50] or "category"
    code, n = base, 1
    while Category.objects.for_program(program.pk).filter(code=code).exists():
        n += 1
        code = f"{base}-{n}"
    return code


def _yes_no(value: str, column: str, errors: list[str]) -> bool:
    value = value.strip().lower()
    if value in YES:
        return True
    if value not in NO:
        errors.append(_("%(column)s: write yes or no, not “%(value)s”.") % {"column": column, "value": value})
    return False


def _key(organisation: str, service: str) -> tuple[str, str]:
    return name_key(organisation), name_key(service)


def _build(program, row: dict, line: int, categories: dict[str, Category], today: datetime.date):
    errors: list[str] = []
    get = lambda name: (row.get(name) or "").strip()  # noqa: E731
    organisation = get("organisation")[:200]
    if not organisation:
        errors.append(_("organisation: required."))
    resource = Resource(program=program, organisation=organisation, service_name=get("service_name")[:200],
                        address=get("address"), phone=get("phone")[:60], hours=get("hours")[:200],
                        eligibility=get("eligibility"), notes=get("notes"))
    website = get("website")
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
            resource.website = website[:300]
        except ValidationError:
            errors.append(_("website: “%(value)s” is not a web address (https://…).") % {"value": website[:60]})
    cost = get("cost").lower() or Resource.Cost.UNKNOWN
    if cost not in Resource.Cost.values:
        errors.append(_("cost: one of %(values)s.") % {"values": ", ".join(Resource.Cost.values)})
    else:
        resource.cost = cost
    resource.languages = list(dict.fromkeys(p.strip()[:40] for p in get("languages").split(";") if p.strip()))
    resource.accepts_medicaid = _yes_no(get("accepts_medicaid"), "accepts_medicaid", errors)
    resource.walk_in = _yes_no(get("walk_in"), "walk_in", errors)
    chosen = []
    for part in (p.strip() for p in get("categories").split(";")):
        if not part:
            continue
        category = categories.get(part.lower()) or categories.get(name_key(part))
        if category is None:
            errors.append(_("categories: no category “%(value)s” (add it under Categories first).")
                          % {"value": part[:60]})
        elif category not in chosen:
            chosen.append(category)
    verified = get("last_verified")
    if verified:
        try:
            day = datetime.date.fromisoformat(verified)
            if not EARLIEST_SERVICE_DATE <= day <= today:
                raise ValueError
            resource.verified_on = day
        except ValueError:
            errors.append(_("last_verified: “%(value)s” is not a past date written YYYY-MM-DD.")
                          % {"value": verified[:20]})
    return resource, chosen, Row(line=line, organisation=organisation, service_name=resource.service_name,
                                 errors=errors)


def resources_import(*, program, text: str, by, dry_run: bool) -> ImportResult:
    """Check (``dry_run``) or import the CSV ``text`` into ``program``'s directory."""
    result = ImportResult(dry_run=dry_run)
    reader = csv.DictReader(io.StringIO(text))
    known = {name for name, _ in COLUMNS}
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    result.unknown_columns = [h for h in header if h and h not in known]
    if "organisation" not in header:
        result.errors.append(Row(line=1, organisation="", errors=[_("The header row has no “organisation” column.")]))
        return result
    categories: dict[str, Category] = {}
    for category in Category.objects.for_program(program.pk).filter(is_active=True):
        categories[category.code.lower()] = category
        categories[name_key(category.name)] = category
    existing = {_key(o, s) for o, s in Resource.objects.filter(program=program)
                .values_list("organisation", "service_name")}
    today = program.today()
    with transaction.atomic():
        for index, row in enumerate(reader):
            if index >= MAX_ROWS:
                only_rows = _("Only %(count)s rows at a time.") % {"count": MAX_ROWS}
                result.errors.append(Row(line=index + 2, organisation="", errors=[only_rows]))
                break
            resource, chosen, report = _build(program, row, index + 2, categories, today)
            if report.errors:
                result.errors.append(report)
                continue
            key = _key(resource.organisation, resource.service_name)
            if key in existing:
                result.duplicates.append(report)
                continue
            existing.add(key)
            result.added.append(report)
            if not dry_run:
                if resource.verified_on:
                    resource.verified_by = by
                resource_save(resource=resource, categories=chosen, by=by)
    return result
