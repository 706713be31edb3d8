"""A real SMTP server on this machine that keeps only who received what: the newsletter sending
tests and bench send to it (aiosmtpd, in a thread of their own process).

`hold_at=N` holds the server's answer to the N-th message, once it is received, until `release()`:
a test kills the sending worker while it waits, at a known point mid-send.
"""

import asyncio
import collections
import logging
import socket
import threading

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        sink = self.sink
        with sink.lock:
            sink.received.update(envelope.rcpt_tos)
            sink.messages += 1
            sink.last = envelope.content
            number = sink.messages
        if number == sink.hold_at:
            sink.held.set()
            while not sink.released.is_set():
                await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, *, hold_at: int | None = None, port: int | None = None):
        self.port = port or free_port()
        self.hold_at = hold_at
        self.lock = threading.Lock()
        self.received: collections.Counter = collections.Counter()
        self.messages = 0
        self.last = b""
        self.held, self.released = threading.Event(), threading.Event()
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per command otherwise
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def release(self) -> None:
        self.released.set()

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.release()
        self.controller.stop()
