"""The real program in a real terminal (tmux): start, navigate, edit, quit, then check the database."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from accountability_tui.domain.models import Status
from accountability_tui.store import Store

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (apt-get install tmux)")


class Terminal:
    """A program in a detached tmux session, used as a person does: keys in, screen text out."""

    def __init__(self, command: list[str], size=(120, 40)):
        self.session = f"acc-tui-{uuid.uuid4().hex[:8]}"
        shell = " ".join(subprocess.list2cmdline([c]) for c in command)
        subprocess.run(["tmux", "new-session", "-d", "-s", self.session, "-x", str(size[0]), "-y", str(size[1]),
                        f"TERM=xterm-256color {shell}; echo '[exited '$?']'; sleep 30"], check=True)

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.session, key], check=True)
            self.settle()  # a person reads the screen before the next key

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, "-l", "--", text], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.session], capture_output=True, text=True,
                              check=True).stdout

    def wait(self, text: str, timeout: float = 20.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text in self.screen():
                self.settle()
                return
            time.sleep(0.05)  # polling the screen
        raise AssertionError(f"{text!r} did not appear; the screen:\n{self.screen()}")

    def settle(self, timeout: float = 5.0) -> None:
        """Wait until the screen stops changing: the same text on three reads in a row."""
        end = time.monotonic() + timeout
        last, same = None, 0
        while time.monotonic() < end and same < 3:
            now = self.screen()
            same = same + 1 if now == last else 0
            last = now
            time.sleep(0.03)  # polling the screen

    def stop(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.session], capture_output=True)


@pytest.fixture
def terminal():
    opened: list[Terminal] = []

    def start(*args: str) -> Terminal:
        term = Terminal([sys.executable, "-m", "accountability_tui", *args])
        opened.append(term)
        return term

    yield start
    for term in opened:
        term.stop()


def test_navigate_edit_and_quit_in_a_real_terminal(seeded_path, terminal):
    with Store.open(seeded_path) as store:
        plan = store.plans.get("CSCJ-2022-27")
        first = store.actions.overdue(dt.date(2026, 11, 22), plan.id)
    term = terminal("--db", str(seeded_path), "--as-of", "2026-11-22")
    term.wait("Plans")
    term.wait("CSCJ-2022-27")
    term.keys("Down", "Right", "Right", "Enter")  # the CSCJ plan's overdue figure
    term.wait("70 actions")
    term.keys("t", "t")  # in progress
    term.wait("49 actions")
    term.keys("e")
    term.wait("Edit action CSCJ-2022-27 2")
    term.keys("Enter")
    term.wait("Not started")
    term.keys("Down", "Enter")  # Complete
    term.wait("Complete")
    term.keys("Tab", "Tab")
    term.type("Signed off at the board")
    term.keys("C-s")
    term.wait("Saved action 2")
    term.keys("q")
    term.wait("[exited 0]")
    with Store.open(seeded_path) as store:
        action = store.actions.by_ref(plan.id, "2")
        assert action.status is Status.COMPLETE
        (entry,) = [h for h in store.actions.history(action.id) if h.field == "status"]
        assert entry.note == "Signed off at the board" and entry.source == "app"
    assert first  # the list the officer saw was not empty
