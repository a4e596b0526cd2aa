"""Servers on 127.0.0.1 for the --probe tests: a TLS server presenting a chain minted with cryptography, a port
that accepts connections and never answers, and a port that refuses. Each serves in a daemon thread and is
stopped (its socket closed, its thread joined) when the ``with`` block ends; nothing here reaches further
than the loopback address.
"""

from __future__ import annotations

import socket
import ssl
import threading
from pathlib import Path

LOOPBACK = "127.0.0.1"


class _Server:
    """A listening socket on 127.0.0.1 (a free port) and a thread that accepts until stopped."""

    def __init__(self) -> None:
        self.listener = socket.create_server((LOOPBACK, 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.listener.close()

    def _serve(self) -> None:
        held = []
        while not self._stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            held.append(self.handle(connection))
        for connection in held:
            if connection is not None:
                connection.close()

    def handle(self, connection: socket.socket) -> socket.socket | None:
        raise NotImplementedError


class TlsServer(_Server):
    """Presents ``chain_pem`` (server certificate first, then whatever chain it is given) with ``key_pem``.
    ``tls13_only`` refuses TLS 1.2, as a TLS-1.3-only security policy would."""

    def __init__(self, folder: Path, chain_pem: str, key_pem: str, *, tls13_only: bool = False) -> None:
        super().__init__()
        (folder / "server.pem").write_text(chain_pem)
        (folder / "server.key").write_text(key_pem)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(folder / "server.pem", folder / "server.key")
        if tls13_only:
            self.context.minimum_version = ssl.TLSVersion.TLSv1_3
        self.server_names: list[str | None] = []
        self.context.sni_callback = lambda _sock, name, _ctx: self.server_names.append(name)

    def handle(self, connection: socket.socket) -> None:
        connection.settimeout(5)
        try:
            with self.context.wrap_socket(connection, server_side=True):
                pass  # the handshake is all a probe asks for
        except (ssl.SSLError, OSError):
            connection.close()


class SilentServer(_Server):
    """Accepts every connection and never says a word (held open until the server stops)."""

    def handle(self, connection: socket.socket) -> socket.socket:
        return connection


def refused_port() -> int:
    """A loopback port nothing listens on: bound, then closed, so a connection is refused."""
    with socket.create_server((LOOPBACK, 0)) as probe:
        return probe.getsockname()[1]


class TricklingServer(_Server):
    """Answers with the header of a 16 KiB TLS handshake record, then its body one byte every 0.2 s: every read
    the client makes gets something well within any per-read timeout, and the handshake never completes."""

    def handle(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.sendall(b"\x16\x03\x03\x40\x00")
                while not self._stop.wait(0.2):
                    connection.sendall(b"\x00")
            except OSError:
                pass  # the client gave up
