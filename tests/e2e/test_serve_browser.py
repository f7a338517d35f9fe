"""The served app as people use it (issue 14): `accountability-tui serve --trust-header X-Remote-User` in a real
process, opened in Debian's Chromium with the header the office's sign-in proxy adds to every request (the page
and the websocket alike), driven with keys; then the database, read through the services, says who made the change.

The browser draws the terminal on a canvas, so the screen is read as the browser received it: the websocket's
frames fed to a terminal emulator (pyte), at the size the browser asked for.

Chromium comes from Debian's packages (apt-get install chromium; `.ci/run` installs it), never from
`playwright install`: Playwright drives /usr/bin/chromium. Without it the browser tests are skipped locally, and
fail on CI (.ci/run sets ACCOUNTABILITY_TUI_BROWSER_TESTS=required; CI set does the same) rather than pass unseen.
"""

from __future__ import annotations

import codecs
import http.client
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyte
import pytest

from accountability_tui.domain.roles import Role
from accountability_tui.services import Services
from accountability_tui.store import Store

CHROMIUM = Path("/usr/bin/chromium")
# Debian's Chromium, headless, talking to nobody but the page (without the background-networking flags its own
# connections are refused here, and a busy machine waits on them)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HEADER = "X-Remote-User"
AS_OF = "2026-11-22"
TIMEOUT = 90.0  # seconds for anything to appear: the CI machine has two busy cores


def _browser_missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    return None


def needs_browser() -> None:
    """Skip without the browser on a developer's machine; on CI (.ci/run, or CI set) fail instead."""
    missing = _browser_missing()
    if missing and not (os.environ.get("CI") or os.environ.get("ACCOUNTABILITY_TUI_BROWSER_TESTS") == "required"):
        pytest.skip(missing)
    assert missing is None, missing


def wait_for(check: Callable[[], Any], what: str, pump: Callable[[], None], timeout: float = TIMEOUT):
    """check()'s first true value; pump() meanwhile waits for the next thing to happen (a websocket frame, the
    browser's events), so every look follows something that happened, never a tick of the clock."""
    end = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        pump()


def wait_ended(pids: list[int], what: str, timeout: float = 30) -> None:
    """Until each of these processes has ended: a pidfd becomes readable when its process does (Linux)."""
    end = time.monotonic() + timeout
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            ended, _, _ = select.select([fd], [], [], max(0.0, end - time.monotonic()))
            assert ended, f"timed out after {timeout:.0f} s waiting for {what}"
        finally:
            os.close(fd)


def free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """The processes pid started (the tabs' app processes)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def add_people(path: Path, **roles: str) -> None:
    """Put people on the list, as the file's owner at the terminal, through the services the app uses."""
    with closing(Services(Store.open(path))) as services:
        for name, role in roles.items():
            services.access.add(name, Role(role))


class Served:
    """`accountability-tui serve` in its own process, on a free port."""

    def __init__(self, db: Path, log: Path, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "accountability_tui", "--as-of", AS_OF, "serve", "--port", str(self.port),
             "--db", str(db), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.listening = threading.Event()  # serve says "serving … on http://…" once its port is open
        threading.Thread(target=self._copy, daemon=True).start()

    def _copy(self) -> None:
        """serve's output into its log, line by line, noting the line that says it listens."""
        assert self.process.stdout is not None
        with self.log.open("wb") as out:
            for line in self.process.stdout:
                out.write(line)
                out.flush()
                if line.startswith(b"serving ") and b" on http://" in line:
                    self.listening.set()
        self.listening.set()  # it ended: wait_listening says so

    def wait_listening(self) -> None:
        assert self.listening.wait(TIMEOUT), f"serve did not say it listens: {self.log.read_text()}"
        assert self.process.poll() is None, f"serve exited: {self.log.read_text()}"

    def request(self, path: str = "/", headers: dict[str, Any] | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.putrequest("GET", path)
            for name, value in (headers or {}).items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()


    def tabs(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"serve did not stop on SIGTERM: {self.log.read_text()}") from None


@pytest.fixture
def served(seeded_path: Path, tmp_path: Path) -> Iterator[Served]:
    add_people(seeded_path, alice="editor", rita="reader")
    server = Served(seeded_path, tmp_path / "serve.log", "--trust-header", HEADER)
    try:
        server.wait_listening()
        assert server.request("/", {HEADER: "alice"})[0] == 200
        yield server
    finally:
        tabs = server.tabs() if server.process.poll() is None else []  # before serve ends: then they are orphans
        if server.process.poll() is None:
            assert server.stop() == 0, server.log.read_text()
        wait_ended(tabs, "every tab's app process to end")


class Terminal:
    """What the browser's terminal shows: the websocket's frames through a terminal emulator."""

    def __init__(self) -> None:
        self.screen: pyte.Screen | None = None
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.closed = False

    def opened(self, websocket: Any) -> None:
        query = parse_qs(urlsplit(websocket.url).query)
        self.screen = pyte.Screen(int(query["width"][0]), int(query["height"][0]))
        self.stream = pyte.Stream(self.screen)
        websocket.on("framereceived", self.received)
        websocket.on("framesent", self.sent)
        websocket.on("close", lambda _: setattr(self, "closed", True))

    def received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes):  # the app's output; text frames are the protocol's own messages
            self.stream.feed(self.decoder.decode(payload))

    def sent(self, payload: str | bytes) -> None:
        if isinstance(payload, str) and self.screen is not None:
            message = json.loads(payload)
            if message[0] == "resize":
                self.screen.resize(message[1]["height"], message[1]["width"])

    def text(self) -> str:
        return "\n".join(self.screen.display) if self.screen else ""


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], Any]]:
    """A fresh Chromium (its own profile) per test; browser(headers) opens a context sending those headers."""
    needs_browser()
    from playwright.sync_api import sync_playwright

    contexts: list[Any] = []
    with sync_playwright() as playwright:
        def open_context(headers: dict[str, str]) -> Any:
            profile = tmp_path / f"chromium-profile-{len(contexts)}"
            context = playwright.chromium.launch_persistent_context(
                str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
                extra_http_headers=headers, viewport={"width": 1280, "height": 800})
            context.set_default_timeout(TIMEOUT * 1000)
            contexts.append(context)
            return context

        try:
            yield open_context
        finally:
            for context in contexts:
                context.close()


class Tab:
    """One browser tab on the served app: keys in, the terminal's text out."""

    def __init__(self, context: Any, url: str):
        self.page = context.new_page()
        self.terminal = Terminal()
        self.page.on("websocket", self.terminal.opened)
        self.page.goto(url)

    def pump(self) -> None:
        self.page.wait_for_timeout(50)  # lets the browser deliver the websocket's frames while we poll

    def wait(self, text: str) -> None:
        try:
            wait_for(lambda: text in self.terminal.text(), repr(text), pump=self.pump)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the screen:\n{self.terminal.text()}") from None

    def focus(self) -> None:
        self.page.focus("textarea.xterm-helper-textarea")  # the terminal's keyboard input

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


QUESTION = "How will the force recover its crime recording rate by March?"


def test_a_signed_in_person_edits_in_the_browser_and_the_change_is_signed_with_their_name(served, browser,
                                                                                          seeded_path):
    context = browser({HEADER: "alice"})
    tab = Tab(context, served.url)
    tab.wait("Plans")
    tab.wait("CSCJ-2022-27")  # the dashboard, drawn by alice's own app process
    assert len(served.tabs()) == 1
    tab.focus()
    tab.press("2")  # the actions of the current plan
    tab.wait("87 actions")
    tab.press("n")  # a question for the Chief Constable about the selected action
    tab.wait("New question for the Chief Constable")
    tab.type(QUESTION)
    tab.wait(QUESTION)
    tab.press("Control+s")

    def saved() -> Any:
        with closing(Services(Store.open(seeded_path))) as services:
            return next((line.question for line in services.questions.listing() if line.question.text == QUESTION),
                        None)

    question = wait_for(saved, "the question in the database", pump=tab.pump)
    assert question.created_by == "alice"  # the proxy's name, not the OS user serving it
    with closing(Services(Store.open(seeded_path))) as services:
        history = services.questions.detail(question.id).history
        action = services.questions.line(question.id).action
    assert {entry["who"] for entry in history} <= {"alice"}
    assert action == "PCP-2025-29:1.1"

    # a second tab is a second app process, on the same database, as its own person
    other = Tab(browser({HEADER: "rita"}), served.url)
    other.wait("CSCJ-2022-27")
    assert len(served.tabs()) == 2


def test_the_proxys_header_is_required_and_only_people_on_the_list_get_in(served):
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}
    # without the header: nothing, neither the page nor its files nor the websocket
    for path, headers in (("/", {}), ("/static/js/textual.js", {}), ("/ws", upgrade)):
        status, body = served.request(path, headers)
        assert status == 401, (path, status, body)
        assert f"the {HEADER} header" in body
    # someone the proxy signed in but who is not on the list: told how an admin adds them, and no app process
    status, body = served.request("/", {HEADER: "mallory"})
    assert status == 403
    assert "mallory is not on the list of people" in body
    assert "accountability-tui user add mallory --role reader" in body
    status, body = served.request("/ws", {HEADER: "mallory", **upgrade})
    assert status == 403 and "mallory is not on the list" in body
    # what is not a name is refused, not signed in with
    for bad in ("x" * 101, "ali\u202ece".encode(), "ali\x7fce"):
        status, body = served.request("/", {HEADER: bad})
        assert status == 400, (bad, status, body)
    assert served.tabs() == []  # none of them started an app process
    # the page links nothing outside this server (an office network may block a web font, say)
    status, page = served.request("/", {HEADER: "alice"})
    assert status == 200
    assert not re.findall(r"https?://", page), page
    assert "signed in as alice" in page


def test_serve_refuses_anything_but_loopback_without_a_trusted_header(seeded_path, tmp_path):
    result = subprocess.run([sys.executable, "-m", "accountability_tui", "serve", "--db", str(seeded_path),
                             "--host", "0.0.0.0", "--port", str(free_port())],
                            capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "unless --trust-header" in result.stderr


def test_a_readers_change_is_refused_in_the_browser_and_nothing_is_written(served, browser, seeded_path):
    tab = Tab(browser({HEADER: "rita"}), served.url)  # a reader: she may look
    tab.wait("CSCJ-2022-27")
    tab.focus()
    tab.press("2")
    tab.wait("87 actions")
    tab.press("n")
    tab.wait("New question for the Chief Constable")
    tab.type(QUESTION)
    tab.wait(QUESTION)
    tab.press("Control+s")
    tab.wait("Not saved: only an editor, approver or admin may make changes; you (rita) are a reader.")
    with closing(Services(Store.open(seeded_path))) as services:
        assert not [line for line in services.questions.listing() if line.question.text == QUESTION]
