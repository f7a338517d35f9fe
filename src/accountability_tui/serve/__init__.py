"""The app in a browser (issue 14): `accountability-tui serve` serves it with textual-serve, one app process per
browser tab, all on the one database on this host, with the conflict checks the terminal app has.

Who is signed in: the office's reverse proxy signs people in and passes the name in a header (`--trust-header`);
serve takes it from every request (the page, its files and the websocket alike), refuses a request without it
(401) or with something that is not a name (400), and a person not on the list of people (403, before any app
process starts). The name reaches that tab's app process in its environment (USER_ENV), which the app reads and
acts as: every change is signed with it. `--user NAME` serves one fixed person, for trying it out; with neither,
each tab acts as the OS user serving it, as the terminal app does. Only loopback is listened on unless a header
is trusted (anyone who reaches the port could otherwise use the app).

This module is light: the app imports it (for USER_ENV) as it starts. The web server is in serve/server.py,
imported only when serving.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from accountability_tui.domain.cleaning import CONTROL
from accountability_tui.domain.errors import UsageError

if TYPE_CHECKING:
    from collections.abc import Callable

USER_ENV = "ACCOUNTABILITY_TUI_USER"  # the signed-in person's name, for the app process of their tab
MAX_NAME = 100  # characters: a name, not a message
# an HTTP header's name (RFC 9110 token)
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}")
# what a name never holds: control characters (and bidi overrides), line breaks, undecodable bytes' stand-ins
_NOT_IN_NAMES = re.compile(f"{CONTROL.pattern}|[\\t\\n\\r\\ud800-\\udfff]")
LOOPBACK = "127.0.0.1, ::1 or localhost"


class BadName(ValueError):
    """Text that is not a person's name (the message says why, without repeating it)."""


def read_name(raw: str) -> str:
    """The person's name from a sign-on header (or --user, or the environment): surrounding space stripped, inner
    runs of space made one (as the store signs changes); BadName for nothing, control characters, or too long."""
    if _NOT_IN_NAMES.search(raw):
        raise BadName("a name cannot hold control characters or line breaks")
    name = " ".join(raw.split())
    if not name:
        raise BadName("the name is empty")
    if len(name) > MAX_NAME:
        raise BadName(f"a name is at most {MAX_NAME} characters")
    return name


def signed_in_name() -> str | None:
    """The person the app acts as when serve started it for a browser tab (USER_ENV), else None: the OS user."""
    raw = os.environ.get(USER_ENV)
    if raw is None:
        return None
    try:
        return read_name(raw)
    except BadName as exc:
        raise UsageError(f"${USER_ENV} is not a person's name: {exc}") from None


def is_loopback(host: str) -> bool:
    """True for an address (or the name localhost) that only this computer can reach."""
    import ipaddress

    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Options:
    """What `accountability-tui serve` was asked for."""

    db: str | Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    trust_header: str | None = None  # the header the office's proxy puts the signed-in name in
    user: str | None = None  # one fixed person, on loopback
    read_only: bool = False
    as_of: dt.date | None = None

    def checked(self) -> Options:
        """These options, or UsageError saying (in one line) why they cannot be served."""
        if self.trust_header is not None and self.user is not None:
            raise UsageError("serve takes the person from --trust-header or --user, not both")
        if self.trust_header is not None and not HEADER_NAME.fullmatch(self.trust_header):
            raise UsageError(f"--trust-header takes the name of an HTTP header (as X-Remote-User), not "
                             f"{self.trust_header!r}")
        if self.trust_header is None and not is_loopback(self.host):
            raise UsageError(f"serve listens only on this computer ({LOOPBACK}) unless --trust-header names the "
                             f"header the office's sign-in proxy puts the person's name in; not on {self.host}")
        if not 0 < self.port < 65536:
            raise UsageError(f"--port takes a port number from 1 to 65535, not {self.port}")
        if self.user is not None:
            try:
                read_name(self.user)
            except BadName as exc:
                raise UsageError(f"--user takes a person's name: {exc}") from None
        return self


def run(options: Options, *, say: Callable[[str], None] = print) -> int:
    """Check the options, open (and, for the default file, create) the database, then serve until interrupted."""
    options.checked()
    from accountability_tui.serve.server import serve

    return serve(options, say=say)
