"""Demonstration data is made in one transaction: killing `demo-data` part-way leaves none of it, and running it
again makes the whole set (issue 10, item 9)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from accountability_tui.services.demo import FORCES
from accountability_tui.store import Store

ACTIONS = 2150  # 50 a force: the run goes on for a second or more after its second progress line


def _demo_counts(path) -> dict[str, int]:
    with Store.open(path) as store:
        assert store.check() == [], "SQLite integrity or foreign keys"
        return {table: int(store.scalar(f"SELECT count(*) FROM {table} WHERE demo = 1") or 0)
                for table in ("plans", "findings", "questions", "meetings")} | {
            "actions": int(store.scalar("SELECT count(*) FROM actions JOIN plans ON plans.id = actions.plan_id "
                                        "WHERE plans.demo = 1") or 0)}


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_demo_data_killed_part_way_leaves_none_and_runs_again_in_full(tmp_path):
    db = tmp_path / "demo.db"
    command = [sys.executable, "-m", "accountability_tui", "demo-data", "--db", str(db), "--actions", str(ACTIONS),
               "--seed", "5"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    watchdog = threading.Timer(120, child.kill)  # only if the progress never comes
    watchdog.start()
    progress = []
    try:
        for line in child.stderr:  # the child's progress, a line per force
            if line.startswith(tuple(f"{force}:" for force in FORCES)):
                progress.append(line.strip())
            if len(progress) == 2:
                os.kill(child.pid, signal.SIGKILL)  # mid-write: the second force is made, 41 are to come
                break
    finally:
        watchdog.cancel()
        out, _ = child.communicate()
    assert len(progress) == 2, f"no progress to wait for: {progress}"
    assert child.returncode == -signal.SIGKILL, "the run ended by itself before it was killed"
    assert "of demonstration data" not in out
    assert _demo_counts(db) == {"plans": 0, "findings": 0, "questions": 0, "meetings": 0, "actions": 0}

    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"{ACTIONS:,} actions" in again.stdout
    counts = _demo_counts(db)
    assert counts["plans"] == len(FORCES) and counts["actions"] == ACTIONS
    assert counts["findings"] > 0 and counts["questions"] > 0 and counts["meetings"] > 0
