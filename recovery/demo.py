"""The demo program: a fictional peer recovery service with four accounts (PRODUCT.md).

Each app adds its own demo data through ``seed(ctx)`` functions that it appends to ``SEEDERS`` in its
``AppConfig.ready()`` (recovery imports no app); every seeder is idempotent (get-or-create on natural
keys), so running ``seed_demo`` twice changes nothing. An app's long lists of fictional rows are data
files, ``<app>/data/demo_<name>.json``, read with ``demo_data``; its ``demo.py`` says how to load them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from recovery.models import Membership, Program, User
from recovery.reference import program_reference_defaults

PROGRAM_NAME = "Blue Ridge Peer Recovery Services (demo)"

ACCOUNTS = [
    # email, full name, role, supervisor's email
    ("supervisor@demo.example", "Dana Whitfield", Membership.Role.SUPERVISOR, None),
    ("peer@demo.example", "Marcus Bell", Membership.Role.PEER, "supervisor@demo.example"),
    ("peer2@demo.example", "Rosa Delgado", Membership.Role.PEER, "supervisor@demo.example"),
    ("admin@demo.example", "Priya Natarajan", Membership.Role.ADMIN, None),
    ("billing@demo.example", "Jordan Reyes", Membership.Role.BILLING, None),
]

# Each app's demo data, in dependency order: the apps' ready() run in INSTALLED_APPS order (peers,
# clients, supervision), each seeder can use what the ones before it made.
SEEDERS: list[Callable[[DemoContext], None]] = []


def demo_data(demo_module_file: str, name: str):
    """The rows of ``<app>/data/demo_<name>.json``, for the app whose ``demo.py`` passes its ``__file__``."""
    return json.loads((Path(demo_module_file).parent / "data" / f"demo_{name}.json").read_text(encoding="utf-8"))


@dataclass
class DemoContext:
    program: Program
    users: dict[str, User] = field(default_factory=dict)  # by email

    @property
    def peer(self) -> User:
        return self.users["peer@demo.example"]

    @property
    def peer2(self) -> User:
        return self.users["peer2@demo.example"]

    @property
    def supervisor(self) -> User:
        return self.users["supervisor@demo.example"]

    @property
    def admin(self) -> User:
        return self.users["admin@demo.example"]

    @property
    def billing(self) -> User:
        return self.users["billing@demo.example"]


@transaction.atomic
def seed() -> DemoContext:
    program, _ = Program.objects.get_or_create(
        name=PROGRAM_NAME, defaults={"organization": "Blue Ridge Community Services Board (fictional)"}
    )
    program_reference_defaults(program)
    ctx = DemoContext(program=program)
    for email, full_name, role, supervisor_email in ACCOUNTS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=settings.DEMO_PASSWORD, full_name=full_name)
        ctx.users[email] = user
        Membership.objects.update_or_create(
            user=user,
            program=program,
            defaults={
                "role": role,
                "supervisor": ctx.users[supervisor_email] if supervisor_email else None,
                "is_active": True,
            },
        )
    for seeder in SEEDERS:
        seeder(ctx)
    return ctx
