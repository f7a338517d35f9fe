"""make bench: how fast accountability-tui is, at Hertfordshire's size and at national scale, against its targets.

Every figure is measured in this run and printed beside its target (and, for start-up, beside its floor: a bare
Textual app measured in the same run). Data sets are made once in bench/.data (delete it to remake them):
  seeded.db     the Hertfordshire seed (234 actions)
  national.db   the seed plus `accountability-tui demo-data --actions 100000` (43 forces, 10,000 findings,
                20,000 questions, 500 meetings)
  briefing.db   the seed plus 430 overdue actions, 20 questions and notes: a meeting briefing of about 500 items
                (its export, and every key of the briefing builder: --only builder)

The served app (`accountability-tui serve`): 20 tabs on one database for a minute, 5 of them editing (--only serve,
bench_serve.py).

Run: .venv/bin/python bench/bench.py [--runs N] [--only NAME]. Exit status 1 if a target is missed.
BENCH_VERBOSE=1 prints the slowest keystrokes, and each builder key's times.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / ".data"
PY = sys.executable
AS_OF = "2026-11-22"


@dataclass
class Result:
    name: str
    samples: list[float]  # seconds (or MB for memory)
    target: str
    ok: bool
    figure: str  # the value judged against the target, as printed
    floor: str = ""
    unit: str = "ms"  # or "MB", or "" (a count)

    def spread(self) -> str:
        s = sorted(self.samples)
        scale = 1000 if self.unit == "ms" else 1
        return f"{s[0] * scale:,.0f}–{s[-1] * scale:,.0f}"

    def median(self) -> str:
        scale = 1000 if self.unit == "ms" else 1
        return f"{statistics.median(self.samples) * scale:,.0f}"


def p95(samples: list[float]) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def run(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([PY, "-m", "accountability_tui", *args], capture_output=True, text=True, check=True,
                          cwd=ROOT, **kw)


# --- data sets --------------------------------------------------------------------------------------------------

def ensure_data() -> dict[str, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    paths = {name: DATA / f"{name}.db" for name in ("seeded", "national", "briefing")}
    if not paths["seeded"].exists():
        run("init", "--db", str(paths["seeded"]))
    if paths["national"].exists() and not _has_figures(paths["national"]):  # made before the measures were
        paths["national"].unlink()
    if not paths["national"].exists():
        print("making the national data set (100,000 actions; about half a minute)…", file=sys.stderr)
        run("demo-data", "--db", str(paths["national"]), "--actions", "100000")
    if not paths["briefing"].exists():
        make_briefing_db(paths["briefing"])
    return paths


def _has_figures(path: Path) -> bool:
    import sqlite3

    with closing(sqlite3.connect(path)) as db:
        try:
            return bool(db.execute("SELECT 1 FROM measure_values LIMIT 1").fetchone())
        except sqlite3.OperationalError:
            return False


def make_briefing_db(path: Path) -> None:
    from accountability_tui.domain.models import QuestionStatus
    from accountability_tui.domain.records import QuestionIn
    from accountability_tui.importers import import_file
    from accountability_tui.store import Store

    run("init", "--db", str(path))
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "herts-extra.csv"
        with csv_path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["Ref", "Action", "Status", "Explanation", "Timeframe", "Lead"])
            for n in range(1, 431):
                writer.writerow([f"X{n}", f"Ask the Chief Constable to deliver improvement {n} | with a pipe",
                                 "In progress", "Progress reported to the Strategic Executive Board. " * 3,
                                 "Spring 2024", "Constabulary"])
        with Store.open(path) as store:
            import_file(store, csv_path, plan="HERTS-EXTRA")
            meeting = store.meetings.add({"date": "2026-12-10"})
            for n in range(20):
                store.questions.add(QuestionIn(text=f"Question {n}: when will it be done?", meeting_id=meeting,
                                               status=QuestionStatus.READY))
            for n in range(5):
                store.briefings.add_note(meeting, f"Note {n}")


def make_csv(path: Path, rows: int) -> Path:
    import random

    rng = random.Random(1)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Ref", "Action", "Status", "Explanation", "Timeframe", "Lead", "RAG"])
        for n in range(rows):
            writer.writerow([f"A{n}", "Ask the Chief Constable to review " + "the plan " * rng.randint(5, 30),
                             rng.choice(["In progress", "Completed", "Not started"]),
                             "Progress update " * rng.randint(0, 40),
                             rng.choice(["Autumn 2023", "Ongoing", "Q3 2024/25", "March 2025", ""]),
                             rng.choice(["OPCC", "Constabulary", "Council"]), rng.choice(["R", "A", "G", ""])])
    return path


# --- start-up in a real terminal ----------------------------------------------------------------------------------

def time_to_screen(command: list[str], marker: str, timeout: float = 30.0) -> float:
    session = f"bench-{os.getpid()}-{time.monotonic_ns()}"
    shell = " ".join(subprocess.list2cmdline([c]) for c in command)
    began = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
                    f"TERM=xterm-256color {shell}"], check=True, cwd=ROOT)
    try:
        while time.perf_counter() - began < timeout:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True,
                                    text=True).stdout
            if marker in screen:
                return time.perf_counter() - began
            time.sleep(0.003)
        raise RuntimeError(f"{marker!r} did not appear within {timeout} s")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def bench_startup(paths: dict[str, Path], runs: int) -> list[Result]:
    if shutil.which("tmux") is None:
        return [Result("start-up (needs tmux)", [0.0], "tmux is not installed", False, "not measured")]
    bare, seed, national = [], [], []
    app = [PY, "-m", "accountability_tui", "--as-of", AS_OF, "--db"]
    for _ in range(runs):
        bare.append(time_to_screen([PY, "bench/bare_app.py"], "Hello from a bare Textual app"))
        seed.append(time_to_screen([*app, str(paths["seeded"])], "(current)"))
        national.append(time_to_screen([*app, str(paths["national"])], "(current)"))
    floor = statistics.median(bare)
    results = [Result("start-up: bare Textual app (the floor)", bare, "—", True, f"{floor * 1000:,.0f} ms")]
    for name, samples, limit in (("start-up to the dashboard, seed data", seed, 2),
                                 ("start-up to the dashboard, 100k actions", national, 3)):
        ratio = statistics.median(samples) / floor
        results.append(Result(name, samples, f"≤ {limit}× bare", ratio <= limit, f"{ratio:.2f}× bare",
                              floor=f"{floor * 1000:,.0f} ms"))
    return results


# --- in the real app, in a real terminal: keystrokes, detail, review, memory ----------------------------------------

class Terminal:
    """The app in a tmux session: keys in, screen text out, timed the way an officer would feel them."""

    def __init__(self, command: list[str], size: tuple[int, int] = (120, 40)):
        self.session = f"bench-{os.getpid()}-{time.monotonic_ns()}"
        shell = " ".join(subprocess.list2cmdline([c]) for c in command)
        subprocess.run(["tmux", "new-session", "-d", "-s", self.session, "-x", str(size[0]), "-y", str(size[1]),
                        f"TERM=xterm-256color exec {shell}"], check=True, cwd=ROOT)

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, *keys], check=True)

    def type(self, text: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, "-l", "--", text], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", self.session], capture_output=True,
                              text=True).stdout

    def wait(self, predicate, timeout: float = 20.0) -> str:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.004)
        raise RuntimeError(f"timed out; the screen:\n{self.screen()}")

    def timed(self, keys: list[str], changed, literal: bool = False) -> float:
        """Send keys and return the seconds until the screen shows what changed() looks for."""
        began = time.perf_counter()
        self.type(keys[0]) if literal else self.keys(*keys)
        self.wait(changed)
        return time.perf_counter() - began

    def pid(self) -> int:
        return int(subprocess.run(["tmux", "display-message", "-p", "-t", self.session, "#{pane_pid}"],
                                  capture_output=True, text=True).stdout.strip())

    def stop(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.session], capture_output=True)


def _summary(screen: str) -> str:
    return next((line for line in screen.splitlines() if " actions" in line and "sorted by" in line), "")


def _detail(screen: str) -> str:
    lines = screen.splitlines()
    start = next((n for n, line in enumerate(lines) if line.startswith("────")), len(lines))
    return "\n".join(lines[start + 1:start + 4])


def _review_detail(screen: str) -> str:
    """The first line of the action shown in the review (under the two lines of progress)."""
    lines = screen.splitlines()
    return lines[3] if len(lines) > 3 else ""


def _progress(screen: str) -> str:
    return next((line for line in screen.splitlines() if " of " in line and "action " in line), "")


ECHO_APP = r'''
from textual.app import App
from textual.widgets import Input, Static
class Echo(App):
    def compose(self):
        yield Input(id="i")
        yield Static("", id="s")
    def on_input_changed(self, event):
        self.query_one("#s", Static).update("typed: " + event.value)
Echo().run()
'''


def _echo_floor() -> list[float]:
    """The floor of a keystroke: a bare Textual app showing what was typed, timed the same way."""
    from ptyterm import PtyTerminal

    term = PtyTerminal([PY, "-c", ECHO_APP], cwd=str(ROOT))
    samples = []
    try:
        term.wait(lambda s: "▔" in s or "▁" in s)
        term.settle()
        typed = ""
        for char in "victims rural crime chief constable":
            typed += char
            samples.append(term.timed([char], lambda s, w="typed: " + typed: w in s))
    finally:
        term.stop()
    return samples


_FLOOR: list[float] = []


def echo_floor() -> list[float]:
    """The keystroke floor, measured once a run (the app's lines and the builder's are judged beside it)."""
    if not _FLOOR:
        _FLOOR.extend(_echo_floor())
    return _FLOOR


def bench_in_app(paths: dict[str, Path]) -> list[Result]:
    from ptyterm import PtyTerminal

    work = DATA / "national-work.db"
    shutil.copy(paths["national"], work)
    samples: dict[str, list[float]] = {"keystroke": [], "detail": [], "review": []}
    labels: list[str] = []
    floor = echo_floor()
    term = PtyTerminal([PY, "-m", "accountability_tui", "--as-of", AS_OF, "--db", str(work)], cwd=str(ROOT))
    try:
        term.wait(lambda s: "(current)" in s)
        term.settle(1.5)  # the app tidies its memory a second after start
        term.send("2")
        term.wait(lambda s: "sorted by" in _summary(s))
        term.settle()
        term.send("p")
        term.wait(lambda s: "Show the actions of which plan?" in s)
        term.settle()
        for char in "all plans":
            term.send(char)
        term.wait(lambda s: "1 shown" in s)
        term.send("Enter")
        term.wait(lambda s: "all plans —" in _summary(s))
        term.settle(0.5)
        term.send("/")
        term.settle()
        for word in ("victims", "rural crime", "hate", "chief constable", "fraud", "cuckooing"):
            typed = ""
            for char in word:
                before = typed.strip()
                typed += char
                if typed.strip() == before:  # a space at the end changes nothing to look for
                    term.send(char)
                    term.settle(0.05)
                    continue
                want = f"text {typed.strip()!r}"
                samples["keystroke"].append(term.timed([char], lambda s, w=want: w in _summary(s)))
                labels.append(f"type {typed!r}")
            while typed:
                before = typed.strip()
                typed = typed[:-1]
                if typed.strip() == before:
                    term.send("BSpace")
                    term.settle(0.05)
                    continue
                want = f"text {typed.strip()!r}" if typed.strip() else None
                samples["keystroke"].append(term.timed(
                    ["BSpace"], lambda s, w=want: (w in _summary(s)) if w else ("text '" not in _summary(s)
                                                                                  and _summary(s) != "")))
                labels.append(f"erase to {typed!r}")
        term.send("Enter")  # back to the table
        term.settle()
        for key in ("o", "t", "t", "o", "t", "t", "t", "o", "x", "o", "t"):
            before = _summary(term.text())
            samples["keystroke"].append(term.timed([key], lambda s, b=before: _summary(s) not in ("", b)))
            labels.append(f"key {key}")
        term.settle()
        for _ in range(40):
            before = _detail(term.text())
            samples["detail"].append(term.timed(["Down"], lambda s, b=before: _detail(s) != b))
            term.settle(0.05)
        # a meeting, and its overdue review
        term.send("5")
        term.wait(lambda s: "planned" in s)
        term.settle()
        term.send("n")
        term.wait(lambda s: "New meeting" in s)
        term.settle()
        term.send("C-u")
        term.settle()  # Textual 8.2.8 drops keys that arrive together with a ctrl+u
        for char in "2099-12-10":
            term.send(char)
        term.settle()
        term.send("C-s")
        term.wait(lambda s: "Thu 10 Dec 2099" in s)
        term.settle()
        term.send("r")
        term.wait(lambda s: "of 1" in _progress(s) and "reviewed" in s, timeout=60)
        term.settle(0.5)
        for _ in range(30):
            screen = term.text()
            before, shown = _progress(screen), _review_detail(screen)
            samples["review"].append(term.timed(
                ["s"], lambda s, b=before, d=shown: _progress(s) not in ("", b) and _review_detail(s) != d))
            term.settle(0.05)
        peak_mb = term.rss_peak_mb()
        if os.environ.get("BENCH_VERBOSE"):
            for label, value in sorted(zip(labels, samples["keystroke"], strict=True), key=lambda x: -x[1])[:12]:
                print(f"  slowest keystrokes: {value * 1000:6.1f} ms  {label}", file=sys.stderr)
    finally:
        term.stop()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        for folder in ("national-work-backups", "national-work.db-backups"):  # the older name, and the newer
            shutil.rmtree(DATA / folder, ignore_errors=True)
    floor_text = f"{p95(floor) * 1000:,.0f} ms"
    out = [Result("keystroke floor: a bare Textual app echoing a key (p95)", floor, "—", True, floor_text)]
    for name, key, limit in (("keystroke in the actions search or filters → table redrawn, 100k (p95)",
                              "keystroke", 0.050),
                             ("opening an action's detail, 100k (p95)", "detail", 0.030),
                             ("next item in the overdue review, 100k (p95)", "review", 0.030)):
        value = p95(samples[key])
        out.append(Result(name, samples[key], f"≤ {limit * 1000:.0f} ms", value <= limit, f"{value * 1000:,.1f} ms",
                          floor=floor_text))
    out.append(Result("peak memory (RSS) of the app, 100k actions open", [peak_mb], "≤ 250 MB", peak_mb <= 250,
                      f"{peak_mb:,.0f} MB", unit="MB"))
    return out


# --- the Performance screen on the national data ---------------------------------------------------------------------

def _perf_detail(screen: str) -> str:
    """The first lines of the Performance screen's detail text (under the table's rule; the chart beside it is
    drawn once the screen is still, and is not the detail's text)."""
    return "\n".join(line[:40] for line in _detail(screen).splitlines())


def bench_performance(paths: dict[str, Path]) -> list[Result]:
    """The Performance screen on the national data (43 forces × 40 measures × 10 years of monthly figures): 6 from
    the dashboard until the measures are shown, then each Down until the next measure's detail is."""
    from ptyterm import PtyTerminal

    work = DATA / "national-performance.db"
    shutil.copy(paths["national"], work)
    floor = echo_floor()
    samples: dict[str, list[float]] = {"open": [], "move": []}
    term = PtyTerminal([PY, "-m", "accountability_tui", "--as-of", AS_OF, "--db", str(work)], cwd=str(ROOT))
    try:
        term.wait(lambda s: "(current)" in s)
        term.settle(1.5)
        for _ in range(8):
            samples["open"].append(term.timed(["6"], lambda s: "measures under" in s))
            term.settle(0.3)
            term.send("1")
            term.wait(lambda s: "measures under" not in s and "(current)" in s)
            term.settle(0.3)
        term.send("6")
        term.wait(lambda s: "measures under" in s)
        term.settle(0.5)
        # down the list and back up (the national data's Hertfordshire has 40 measures): 58 keys, each followed by
        # its chart (drawn once the screen is still), so that the p95 is not the second-slowest of a few keys. A
        # full garbage collection (80-120 ms on the reference machine) lands on about one key in thirty.
        for key in ["Down"] * 29 + ["Up"] * 29:
            before = _perf_detail(term.text())
            samples["move"].append(term.timed([key], lambda s, b=before: _perf_detail(s) != b))
            term.settle(0.1)
    finally:
        term.stop()
    floor_text = f"{p95(floor) * 1000:,.0f} ms"
    out = []
    for name, key, limit in (("6 → the Performance screen with its figures, national data (p95)", "open", 0.250),
                             ("next measure on the Performance screen → its detail, national data (p95)", "move",
                              0.050)):
        value = p95(samples[key])
        out.append(Result(name, samples[key], f"≤ {limit * 1000:.0f} ms", value <= limit, f"{value * 1000:,.1f} ms",
                          floor=floor_text))
    return out


# --- the briefing builder: every key shown at once, with about 500 items ---------------------------------------------

# An officer's pauses between keys, in turn: some quicker than the preview's delay (the builder writes the preview
# again once the keys stop), some long enough for it to be under way when the next key comes.
BUILDER_PAUSES = (0.05, 0.15, 0.3, 0.45, 0.6, 0.9)
BUILDER_KEYS = (  # (what is measured, its line in the report)
    ("space", "space in/out → row shown"),
    ("r", "r restricted → row shown"),
    ("d", "d discuss → row shown"),
    ("p", "p, after a decision and back → preview"),
    ("K/J item", "K/J on an item → rows swapped"),
    ("K/J section", "K/J on a section → sections swapped"),
)


def _list_rows(screen: str) -> list[tuple[int, str]]:
    """The builder's list on screen: (screen line, text) of each section's row (§) and item's row (✓/✗)."""
    return [(y, line) for y, line in enumerate(screen.splitlines()) if line[:2] in (" §", " ✓", " ✗")]


def _item_count(screen: str) -> int | None:
    """The number of items the builder's status line gives ("Briefing for … — 531 items")."""
    match = re.search(r"Briefing for .* — ([\d,]+) items", screen)
    return int(match.group(1).replace(",", "")) if match else None


def _item_row(screen: str, label: str) -> tuple[int, str] | None:
    """The row of the item whose label starts so ("Action CSCJ-2022-27 6"): its mark is line[1], its flags
    line[5:9] (public, restricted, comment, discuss)."""
    return next(((y, line) for y, line in _list_rows(screen) if line[:2] != " §"
                 and line[12:].startswith(label + ":")), None)


def _item_label(line: str) -> str:
    return line[12:].split(":")[0]


def _section_number(screen: str, title: str) -> str | None:
    """The number a section's row shows ("3" for "3. Overdue actions — 500 of 500 in")."""
    return next((line[12:].split(".")[0] for _, line in _list_rows(screen)
                 if line[:2] == " §" and line[12:].split(". ", 1)[-1].startswith(title)), None)


def _cursor_row(term) -> tuple[int, str] | None:
    """The list's row under the cursor: the one drawn in its own background colour (None while the screen is
    half drawn)."""
    rows = _list_rows(term.text())
    colours = Counter(term.background(y) for y, _ in rows)
    return next(((y, line) for y, line in rows if colours[term.background(y)] == 1), None)


def _cursor_to(term, wanted, key: str, limit: int = 40) -> tuple[int, str]:
    """Press key until the row under the cursor is the one wanted(line)."""
    for _ in range(limit):
        term.wait(lambda s: _cursor_row(term) is not None)
        y, line = _cursor_row(term)
        if wanted(line):
            return y, line
        term.send(key)
        term.wait(lambda s, b=(y, line): _cursor_row(term) not in (None, b))
        term.settle(0.1)
    raise RuntimeError(f"the cursor did not reach the row; the screen:\n{term.text()}")


def bench_builder(paths: dict[str, Path], runs: int) -> list[Result]:
    """The briefing builder on a meeting of about 500 items (briefing.db), in a real terminal: each key from the
    moment it is sent to the moment the screen shows what it did, at an officer's pace (BUILDER_PAUSES)."""
    from ptyterm import PtyTerminal

    work = DATA / "briefing-work.db"
    for suffix in ("-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copy(paths["briefing"], work)
    floor = echo_floor()
    presses = 6 * runs
    samples: dict[str, list[float]] = {key: [] for key, _ in BUILDER_KEYS}
    term = PtyTerminal([PY, "-m", "accountability_tui", "--as-of", AS_OF, "--db", str(work)], cwd=str(ROOT))
    pauses = itertools.cycle(BUILDER_PAUSES)
    after: list[tuple[float, float]] = []  # (the pause before a key, its time): keys that come as the preview is
    paused = [1.0]  # laid out again are the slow ones, if any

    def measure(name: str, keys: list[str], shown) -> None:
        samples[name].append(term.timed(keys, shown, timeout=120))
        after.append((paused[0], samples[name][-1]))
        paused[0] = next(pauses)
        term.pause(paused[0])

    try:
        term.wait(lambda s: "(current)" in s)
        term.settle()
        term.send("5")
        term.wait(lambda s: "Meetings, newest first" in s and "Place: " in s)
        term.settle()
        began = time.perf_counter()
        term.send("b")  # the first meeting is the one of 10 Dec 2026, the newest
        opened = term.wait(lambda s: _item_count(s) is not None and "Meeting: Accountability" in s, timeout=120) - began
        items = _item_count(term.text())
        term.settle(1.0)
        # an overdue action with rows above and below it
        _cursor_to(term, lambda line: _section_number(line, "Overdue actions") is not None, "Down")
        y, line = _cursor_to(term, lambda line: line[:2] in (" ✓", " ✗") and "Action" in line, "Down")
        for _ in range(3):
            term.send("Down")
            term.wait(lambda s, b=(y, line): _cursor_row(term) not in (None, b))
            term.settle(0.1)
            y, line = _cursor_row(term) or (y, line)
        label = _item_label(line)
        term.settle()
        for name, column in (("space", 1), ("r", 6), ("d", 8)):
            key = " " if name == "space" else name
            for _ in range(presses):
                before = _item_row(term.text(), label)[1][column]
                measure(name, [key], lambda s, c=column, b=before: (row := _item_row(s, label)) is not None
                        and row[1][c] != b)
        for n in range(presses):  # p after a decision (the other version is laid out), and p back
            public = n % 2 == 0
            if public:
                for _ in range(2):  # in, and out again: the briefing as it was
                    before = _item_row(term.text(), label)[1][1]
                    term.send(" ")
                    term.wait(lambda s, b=before: (row := _item_row(s, label)) is not None and row[1][1] != b)
                    paused[0] = next(pauses)
                    term.pause(paused[0])
            measure("p", ["p"], (lambda s: "(public version)" in s) if public else
                    (lambda s: "(public version)" not in s and "Briefing: Accountability" in s))
        for n in range(presses):
            rows = _list_rows(term.text())
            at = next(i for i, (_, line) in enumerate(rows) if _item_label(line) == label)
            down = n % 2 == 0
            other = _item_label(rows[at + (1 if down else -1)][1])

            def swapped(s: str, other: str = other, down: bool = down) -> bool:
                mine, theirs = _item_row(s, label), _item_row(s, other)
                return mine is not None and theirs is not None and (mine[0] > theirs[0]) == down

            measure("K/J item", ["J" if down else "K"], swapped)
        _cursor_to(term, lambda line: _section_number(line, "Overdue actions") is not None, "Up")
        term.settle()
        for n in range(presses):
            number = int(_section_number(term.text(), "Overdue actions") or 0)
            up = n % 2 == 0
            measure("K/J section", ["K" if up else "J"], lambda s, w=str(number - 1 if up else number + 1):
                    _section_number(s, "Overdue actions") == w)
        term.settle()
    finally:
        term.stop()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
        for folder in ("briefing-work-backups", "briefing-work.db-backups"):
            shutil.rmtree(DATA / folder, ignore_errors=True)
    floor_text = f"{p95(floor) * 1000:,.0f} ms"
    out = [Result(f"opening the briefing builder ({items} items) → list and preview", [opened], "—", True,
                  f"{opened * 1000:,.0f} ms")]
    for key, what in BUILDER_KEYS:
        value = p95(samples[key])
        out.append(Result(f"briefing builder ({items} items): {what} (p95)", samples[key], "≤ 50 ms",
                          value <= 0.050, f"{value * 1000:,.1f} ms", floor=floor_text))
    if os.environ.get("BENCH_VERBOSE"):
        for key, _ in BUILDER_KEYS:
            print(f"  {key}: " + " ".join(f"{v * 1000:.0f}" for v in samples[key]), file=sys.stderr)
        for pause in sorted({p for p, _ in after}):
            times = sorted(t for p, t in after if p == pause)
            print(f"  after a pause of {pause:.2f} s: median {statistics.median(times) * 1000:.0f} ms, "
                  f"p95 {p95(times) * 1000:.0f} ms, slowest {times[-1] * 1000:.0f} ms ({len(times)} keys)",
                  file=sys.stderr)
    return out


# The main screens in turn (Actions, Findings, Questions, Meetings, Dashboard), each with what shows it drawn: its
# list and the detail of the row under the cursor.
VISITS = (("2", lambda s: "sorted by" in _summary(s) and "Latest explanation" in s),
          ("3", lambda s: " findings, " in s and "Inspection: " in s),
          ("4", lambda s: " questions (" in s and "Linked to: " in s),
          ("5", lambda s: "Meetings, newest first" in s and "Place: " in s),
          ("1", lambda s: "(current)" in s and "HMICFRS findings" in s))


WARM_UP = 50  # visits before the first reading: Textual's and the app's caches fill over the first few dozen


def bench_memory(paths: dict[str, Path], visits: int = 200) -> list[Result]:
    """Memory growth over `visits` screen visits: the app's RSS after WARM_UP visits (every screen several times,
    its caches filled) and after WARM_UP + visits. A leak grows with every visit; a cache stops growing."""
    from ptyterm import PtyTerminal

    work = DATA / "national-work.db"
    shutil.copy(paths["national"], work)
    term = PtyTerminal([PY, "-m", "accountability_tui", "--as-of", AS_OF, "--db", str(work)], cwd=str(ROOT))
    try:
        term.wait(lambda s: "(current)" in s)
        term.settle()
        for n in range(1, WARM_UP + visits + 1):
            key, drawn = VISITS[(n - 1) % len(VISITS)]
            term.send(key)
            term.wait(drawn)
            if n == WARM_UP:
                term.settle()
                first_mb = term.rss_mb()
        term.settle()
        last_mb = term.rss_mb()
    finally:
        term.stop()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{work}{suffix}").unlink(missing_ok=True)
    growth = last_mb - first_mb
    print(f"  RSS after {WARM_UP} visits {first_mb:,.1f} MB, after {visits} more {last_mb:,.1f} MB", file=sys.stderr)
    return [Result(f"memory growth (RSS) of the app over {visits} screen visits (after {WARM_UP}), 100k", [growth],
                   "≤ 10 MB",
                   growth <= 10, f"{growth:,.1f} MB", unit="MB")]


def _peak_rss_mb(pid: int) -> float:
    """The high-water mark of the app's resident memory (VmHWM), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc")


# --- export, import -------------------------------------------------------------------------------------------------

def bench_export(paths: dict[str, Path], runs: int) -> list[Result]:
    from accountability_tui.services import Services
    from accountability_tui.store import Store

    with Store.open(paths["briefing"]) as store:
        meeting = store.meetings.find("2026-12-10")
        items = Services(store).briefings.build(meeting.id).item_count()
        samples = []
        for _ in range(runs + 2):
            began = time.perf_counter()
            Services(store).briefings.markdown(meeting.id)
            samples.append(time.perf_counter() - began)
    value = statistics.median(samples)
    return [Result(f"export of a briefing with {items} items (median)", samples, "≤ 200 ms", value <= 0.2,
                   f"{value * 1000:,.0f} ms")]


def bench_import(paths: dict[str, Path], runs: int) -> list[Result]:
    from accountability_tui.domain.resources import seed_dir
    from accountability_tui.importers import import_file
    from accountability_tui.store import Store

    adp = seed_dir() / "sources" / "004_8cb72b75a6a85661.txt"
    results = []
    with tempfile.TemporaryDirectory() as folder:
        big = make_csv(Path(folder) / "ten-thousand.csv", 10_000)
        for name, source, rows, into_seed in (("import of the seed ADP (147 actions)", adp, 147, False),
                                              ("import of a 10,000-row CSV", big, 10_000, True)):
            samples = []
            for n in range(runs):
                db = Path(folder) / f"import-{n}.db"
                if into_seed:
                    shutil.copy(paths["seeded"], db)
                with Store.open(db) as store:
                    began = time.perf_counter()
                    report = import_file(store, source, plan="BENCH")
                    samples.append(time.perf_counter() - began)
                assert report.actions == rows
            value = statistics.median(samples)
            results.append(Result(f"{name} (median)", samples, "≤ 2,000 ms", value <= 2.0, f"{value * 1000:,.0f} ms"))
    return results


HOSTILE_SHEET = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                 '<dimension ref="A1:XFD1048576"/><sheetData><row r="1048576">'
                 '<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')


def make_hostile_xlsx(path: Path) -> Path:
    """The workbook of issue 10: a real workbook's parts, but a sheet claiming all 16,384 × 1,048,576 cells and
    holding one, in XFD1048576 (padding every row to the claim took 24 GB before the kernel killed the program)."""
    import zipfile

    from openpyxl import Workbook

    good = path.with_name("good-" + path.name)
    workbook = Workbook()
    workbook.active.append(["Ref", "Action", "Status"])
    workbook.save(good)
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item.filename, HOSTILE_SHEET.encode() if item.filename == "xl/worksheets/sheet1.xml"
                            else content)
    good.unlink()
    return path


def run_in_child(command: list[str], timeout: float = 60.0,
                 address_space: int = 2 * 1024**3) -> tuple[int, float, float, str]:
    """Run a command as a child: (exit code, seconds, the child's own peak RSS in MB from wait4, stderr). The child
    may not map more than address_space (it gets MemoryError instead of taking the machine's memory) and is killed
    after timeout seconds."""
    import resource
    import signal
    import threading

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))

    with tempfile.TemporaryFile() as err:
        began = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT, preexec_fn=limit)
        watchdog = threading.Timer(timeout, os.kill, (child.pid, signal.SIGKILL))
        watchdog.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            watchdog.cancel()
        seconds = time.perf_counter() - began
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return child.returncode, seconds, usage.ru_maxrss / 1024, err.read().decode("utf-8", "replace")


def bench_hostile_xlsx(paths: dict[str, Path], runs: int) -> list[Result]:
    """The real command, in a child process, importing the hostile workbook into a copy of the seed database."""
    samples, peaks = [], []
    with tempfile.TemporaryDirectory() as folder:
        hostile = make_hostile_xlsx(Path(folder) / "claims-everything.xlsx")
        size_kb = hostile.stat().st_size / 1024
        db = Path(folder) / "hostile.db"
        shutil.copy(paths["seeded"], db)
        for _ in range(runs):
            code, seconds, peak_mb, err = run_in_child([PY, "-m", "accountability_tui", "import", str(hostile),
                                                        "--db", str(db)])
            refused = code == 1 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
            samples.append(seconds if refused else float("inf"))  # a crash or a kill is a miss, however quick
            peaks.append(peak_mb)
            if not refused:
                print(f"  the hostile workbook was not refused in one line (exit {code}): {err[-300:]}",
                      file=sys.stderr)
    slowest, peak = max(samples), max(peaks)
    return [Result(f"import of a hostile {size_kb:.0f} KB XLSX (slowest run; peak RSS)", samples, "≤ 5 s, 300 MB",
                   slowest <= 5.0 and peak <= 300, f"{slowest:.1f} s, {peak:,.0f} MB")]


# --- report -------------------------------------------------------------------------------------------------------------

def report(results: list[Result]) -> str:
    lines = [f"{'measurement':<74} {'median':>9} {'spread':>13} {'judged':>12} {'target':>13} {'floor':>9}  ",
             "-" * 140]
    for r in results:
        unit = {"MB": " MB", "ms": " ms"}.get(r.unit, "")
        lines.append(f"{r.name:<74} {r.median() + unit:>9} {r.spread() + unit:>13} {r.figure:>12} {r.target:>13} "
                     f"{r.floor:>9}  {'ok' if r.ok else 'MISSED'}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs of each whole-program measurement (default 5)")
    parser.add_argument("--only", choices=["startup", "app", "builder", "performance", "memory", "export", "import",
                                           "measures", "hostile", "serve"])
    args = parser.parse_args()
    # measured as installed: with compiled bytecode (an editable install has none, see the Makefile)
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    paths = ensure_data()
    keeper = f"bench-keeper-{os.getpid()}"  # keeps the tmux server up between the sessions measured
    if shutil.which("tmux"):
        subprocess.run(["tmux", "new-session", "-d", "-s", keeper, "sleep 3600"], capture_output=True)
    try:
        results = measure(args, paths)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", keeper], capture_output=True)
    print(f"accountability-tui benchmark — {dt.date.today()}, {os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]}")
    print(report(results))
    missed = [r.name for r in results if not r.ok]
    print(f"\n{len(results) - len(missed)} of {len(results)} within target" + (f"; missed: {'; '.join(missed)}"
                                                                                if missed else ""))
    return 1 if missed else 0


def _measures(paths: dict[str, Path], runs: int) -> list[Result]:
    from bench_measures import bench_import_measures  # it imports this module: imported when measured

    return bench_import_measures(paths, runs)


def _serve(paths: dict[str, Path]) -> list[Result]:
    from bench_serve import bench_serve  # it imports this module: imported when measured

    return bench_serve(paths)


def measure(args: argparse.Namespace, paths: dict[str, Path]) -> list[Result]:
    steps = {"startup": lambda: bench_startup(paths, args.runs), "app": lambda: bench_in_app(paths),
             "builder": lambda: bench_builder(paths, args.runs),
             "performance": lambda: bench_performance(paths),
             "memory": lambda: bench_memory(paths),
             "export": lambda: bench_export(paths, args.runs), "import": lambda: bench_import(paths, args.runs),
             "measures": lambda: _measures(paths, args.runs),
             "hostile": lambda: bench_hostile_xlsx(paths, args.runs),
             "serve": lambda: _serve(paths)}
    results: list[Result] = []
    for name, step in steps.items():
        if args.only and name != args.only:
            continue
        print(f"measuring {name}…", file=sys.stderr)
        results += step()
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT / "bench"))
    sys.exit(main())
