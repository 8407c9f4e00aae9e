"""Events in a session note's life that apps above clients act on (supervision queues note reviews).

A plain registry of handlers, not Django signals: ``note_sign`` and ``note_addendum_add`` publish here, and
the subscribing app appends its handlers in its ``AppConfig.ready()`` (supervision: ``reviews``). This is
how clients tells supervision without importing it (ARCHITECTURE.md: recovery ← peers ← clients ←
supervision). Handlers run inside the publishing service's transaction: what they write (the review
row) commits or rolls back with the signature or the addendum.
"""

from __future__ import annotations

from collections.abc import Callable

# Each is called with ``note=`` the just-signed note (signed, saved, row locked).
NOTE_SIGNED: list[Callable[..., object]] = []
# Each is called with ``addendum=`` the just-written addendum.
ADDENDUM_ADDED: list[Callable[..., object]] = []
# Each is called with ``kept=`` the record another was just merged into (clients.services.merge: its notes moved).
RECORDS_MERGED: list[Callable[..., object]] = []


def note_signed_publish(*, note) -> None:
    for handler in NOTE_SIGNED:
        handler(note=note)


def addendum_added_publish(*, addendum) -> None:
    for handler in ADDENDUM_ADDED:
        handler(addendum=addendum)


def records_merged_publish(*, kept) -> None:
    for handler in RECORDS_MERGED:
        handler(kept=kept)
