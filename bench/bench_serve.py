"""make bench, the served app under load (issue 14, item 6): 20 browser tabs open on one database for a minute
while 5 of them edit; nothing is lost and every change is signed by the person who made it.

`accountability-tui serve --trust-header X-Remote-User` runs on a copy of the seeded database with 20 people on
its list (tab01 … tab20, editors). Each tab is a raw websocket client speaking textual-serve's protocol (["stdin",
keys], ["resize", {…}]), lighter than 20 Chromium tabs and the same to the server: one app process per tab. Every
tab's screen is read through a terminal emulator (pyte). Five tabs write questions for the Chief Constable, one
after another, for the minute (keys: 2, n, the text, ctrl+s); the other fifteen stay open on the dashboard.

Printed: tabs held at the end (websocket open and app process alive), memory per tab (the app processes' RSS),
the slowest save (ctrl+s to the editor closing, as the person sees it), and whether every save is in the
database under its tab's name. BENCH_SERVE_SECONDS shortens the minute for a trial.

The lines are bench.py's (its Result and report); bench.py's main wires bench_serve in (--only serve). On its own:
.venv/bin/python bench/bench_serve.py
"""

from __future__ import annotations

import asyncio
import codecs
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

from bench import AS_OF, PY, ROOT, Result, ensure_data, report

TABS, EDITORS = 20, 5
SECONDS = float(os.environ.get("BENCH_SERVE_SECONDS", "60"))
HEADER = "X-Remote-User"
SIZE = (120, 40)
SAVE_LIMIT_S = 2.0  # the slowest save, ctrl+s to the editor closing, with 20 tabs on two cores
TAB_LIMIT_MB = 120.0  # memory per tab (one app process's RSS)
EDITOR_TITLE = "New question for the Chief Constable"


def _free_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class RemoteTab:
    """One browser tab, as textual-serve sees it: a websocket, keys in, the terminal's bytes out."""

    def __init__(self, name: str):
        import pyte

        self.name = name
        self.screen = pyte.Screen(*SIZE)
        self.stream = pyte.Stream(self.screen)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.changed = asyncio.Event()
        self.closed = False
        self.saves: list[float] = []  # seconds, ctrl+s to the editor closing
        self.texts: list[str] = []

    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def open(self, session, url: str) -> None:
        self.ws = await session.ws_connect(f"{url}ws?width={SIZE[0]}&height={SIZE[1]}", headers={HEADER: self.name},
                                           heartbeat=None, max_msg_size=0)
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        from aiohttp import WSMsgType

        async for message in self.ws:
            if message.type == WSMsgType.BINARY:
                self.stream.feed(self.decoder.decode(message.data))
                self.changed.set()
        self.closed = True
        self.changed.set()

    async def wait(self, check, timeout: float = 180.0) -> None:
        end = time.monotonic() + timeout
        while not check(self.text()):
            if self.closed:
                raise RuntimeError(f"{self.name}'s tab closed; its screen:\n{self.text()}")
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{self.name}: timed out; its screen:\n{self.text()}")
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except TimeoutError:
                pass

    async def keys(self, data: str) -> None:
        await self.ws.send_str(json.dumps(["stdin", data]))

    async def edit(self, until: float) -> None:
        """Write questions, one after another, until the time is up."""
        await self.keys("2")  # the actions of the current plan
        await self.wait(lambda s: "87 actions" in s)
        n = 0
        while time.monotonic() < until:
            n += 1
            text = f"Load {self.name} question {n}: how will the force sustain it?"
            await self.keys("n")
            await self.wait(lambda s: EDITOR_TITLE in s)
            await self.keys(text)
            await self.wait(lambda s, n=n: f"question {n}: how" in s)
            start = time.monotonic()
            await self.keys("\x13")  # ctrl+s
            await self.wait(lambda s: EDITOR_TITLE not in s)
            self.saves.append(time.monotonic() - start)
            self.texts.append(text)


async def _load(url: str, serve_pid: int) -> dict:
    import aiohttp

    tabs = [RemoteTab(f"tab{i:02}") for i in range(1, TABS + 1)]
    async with aiohttp.ClientSession() as session:
        began = time.monotonic()
        for tab in tabs:
            await tab.open(session, url)
        await asyncio.gather(*(tab.wait(lambda s: "Plans" in s and "CSCJ-2022-27" in s) for tab in tabs))
        opened_s = time.monotonic() - began
        until = time.monotonic() + SECONDS
        await asyncio.gather(*(tab.edit(until) for tab in tabs[:EDITORS]))
        await asyncio.sleep(max(0.0, until - time.monotonic()))  # the idle tabs are held the whole minute too
        apps = _children(serve_pid)
        rss = [_rss_mb(pid) for pid in apps]
        held = sum(1 for tab in tabs if not tab.closed)
        saves = [s for tab in tabs[:EDITORS] for s in tab.saves]
        written = {tab.name: list(tab.texts) for tab in tabs[:EDITORS]}
        for tab in tabs:
            await tab.ws.close()
        return {"held": min(held, len(apps)), "rss": rss, "saves": saves, "written": written, "opened_s": opened_s,
                "server_mb": _rss_mb(serve_pid)}


def _check_database(db: Path, written: dict[str, list[str]]) -> tuple[int, int, list[str]]:
    """(saves in the database under their own name, saves made, what is wrong)."""
    from accountability_tui.services import Services
    from accountability_tui.store import Store

    with closing(Services(Store.open(db))) as services:
        found = {line.question.text: line.question.created_by for line in services.questions.listing()
                 if line.question.text.startswith("Load tab")}
    wrong = []
    right = 0
    for name, texts in written.items():
        for text in texts:
            who = found.pop(text, None)
            if who == name:
                right += 1
            else:
                wrong.append(f"{text!r}: {'lost' if who is None else 'signed by ' + who}")
    wrong += [f"{text!r}: saved but not counted" for text in found]
    return right, sum(map(len, written.values())), wrong


def bench_serve(paths: dict[str, Path]) -> list[Result]:
    from accountability_tui.domain.roles import Role
    from accountability_tui.services import Services
    from accountability_tui.store import Store

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    db = work / "served.db"
    shutil.copy(paths["seeded"], db)
    with closing(Services(Store.open(db))) as services:
        for i in range(1, TABS + 1):
            services.access.add(f"tab{i:02}", Role.EDITOR)
    port = _free_port()
    log = work / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([PY, "-m", "accountability_tui", "--as-of", AS_OF, "serve", "--db", str(db),
                                   "--port", str(port), "--trust-header", HEADER], stdout=out,
                                  stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_served(url, server, log)
        got = asyncio.run(_load(url, server.pid))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
    right, made, wrong = _check_database(db, got["written"])
    shutil.rmtree(work, ignore_errors=True)
    rss, saves = got["rss"], got["saves"] or [float("nan")]
    print(f"  {TABS} tabs drawn in {got['opened_s']:.1f} s; {made} saves by {EDITORS} tabs in {SECONDS:.0f} s "
          f"(median {statistics.median(saves) * 1000:,.0f} ms); server {got['server_mb']:.0f} MB; app processes "
          f"{len(rss)}, {min(rss, default=0):.0f}–{max(rss, default=0):.0f} MB", file=sys.stderr)
    for problem in wrong[:10]:
        print(f"  {problem}", file=sys.stderr)
    per_tab = statistics.mean(rss) if rss else float("nan")
    return [
        Result(f"served: tabs held open on one database for {SECONDS:.0f} s, {EDITORS} editing", [got["held"]],
               f"{TABS}", got["held"] == TABS, f"{got['held']} of {TABS}", unit=""),
        Result("served: memory per tab (RSS of its app process)", rss or [float("nan")], f"≤ {TAB_LIMIT_MB:.0f} MB",
               per_tab <= TAB_LIMIT_MB, f"{per_tab:,.0f} MB", unit="MB"),
        Result(f"served: slowest save (ctrl+s to the editor closing) of {made}", saves, f"≤ {SAVE_LIMIT_S * 1000:,.0f} ms",
               max(saves) <= SAVE_LIMIT_S, f"{max(saves) * 1000:,.0f} ms"),
        Result("served: saves in the database, each under its tab's name", [right], f"{made}",
               made > 0 and right == made and not wrong, f"{right} of {made}", unit=""),
    ]


def _wait_served(url: str, server: subprocess.Popen, log: Path, timeout: float = 60.0) -> None:
    import urllib.error
    import urllib.request

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if server.poll() is not None:
            raise RuntimeError(f"serve exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers={HEADER: "tab01"}), timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)  # polling until it listens
    raise TimeoutError(f"serve did not answer: {log.read_text()}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    results = bench_serve(ensure_data())
    print(report(results))
    sys.exit(0 if all(r.ok for r in results) else 1)
