"""A real SMTP server (aiosmtpd) in a thread, for tests that check what email actually goes out."""

from __future__ import annotations

import asyncio
import socket
import threading
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """Keeps every message the server accepted; ``rcpt_delay`` slows each conversation down.

    ``holding()`` stops every conversation at RCPT (before any message is accepted) until the block ends;
    ``waiting`` counts the conversations stopped there, ``past_rcpt`` those beyond it that have not said
    QUIT yet. A test that kills a sender while ``past_rcpt`` is empty kills it mid-conversation and never
    in the instant between the server accepting a message and the sender recording it (the one window an
    SMTP client cannot close: recovery/notify_email.py ``email_deliver``)."""

    def __init__(self, rcpt_delay: float = 0.0):
        self.messages: list[EmailMessage] = []
        self.rcpt_delay = rcpt_delay
        self.waiting = 0
        self.past_rcpt: set[int] = set()
        self._held = threading.Event()
        self._lock = threading.Lock()

    @contextmanager
    def holding(self):
        self._held.set()
        try:
            yield self
        finally:
            self._held.clear()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            await asyncio.sleep(self.rcpt_delay)
        if self._held.is_set():
            self.waiting += 1
            while self._held.is_set():
                await asyncio.sleep(0.01)
            self.waiting -= 1
        self.past_rcpt.add(id(session))
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope):
        self.past_rcpt.discard(id(session))
        return "221 Bye"


@contextmanager
def smtp_server(port: int | None = None, rcpt_delay: float = 0.0):
    """Run an SMTP server on 127.0.0.1 until the block ends; yields (recorder, port)."""
    recorder = Recorder(rcpt_delay)
    # A free port can be taken by another test process (pytest-xdist) before the server binds it: try again.
    for attempt in range(5):
        chosen = port or free_port()
        controller = Controller(recorder, hostname="127.0.0.1", port=chosen)
        try:
            controller.start()
            break
        except OSError:
            if port or attempt == 4:
                raise
    port = chosen
    try:
        yield recorder, port
    finally:
        controller.stop()


def smtp_mailers(port: int) -> dict:
    """A MAILERS setting that sends to the test SMTP server."""
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
