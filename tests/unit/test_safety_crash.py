"""Killing the program (SIGKILL) at random points during saves and imports, many times, loses nothing committed
and leaves nothing half-done: the file passes SQLite's checks, every import is wholly present or wholly absent, and
every record's history matches its version."""

import os
import random
import signal
import subprocess
import sys

import pytest

from accountability_tui.store import Store

WORKER = r'''
import random, sys
from pathlib import Path
from accountability_tui.store import Store
from accountability_tui.importers import import_file
from accountability_tui.domain.models import Rag
from accountability_tui.domain.records import QuestionIn

db, folder, seed_value = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
rng = random.Random(seed_value)
store = Store.open(db)
batch = int(store.scalar("SELECT count(*) FROM imports") or 0)
while True:
    batch += 1
    rows = ["Ref,Action,Status,Explanation,Timeframe"]
    for n in range(1, 61):
        status = rng.choice(["In progress", "Completed", "Not started"])
        rows.append(f"R{n},Action number {n} of the crash plan,{status},batch {batch},Autumn {2023 + n % 3}")
    path = folder / "crash.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(store, path, plan="CRASH")
    print("imported", flush=True)  # each step said: the test kills after a chosen one, whatever the machine's pace
    for _ in range(rng.randint(1, 6)):
        actions = store.actions.list()
        a = rng.choice(actions)
        store.actions.update(a.id, a.version, rag=rng.choice(list(Rag)), note=f"note {batch}")
        print("updated", flush=True)
    q = store.questions.add(QuestionIn(text=f"question {batch}"))
    question = store.questions.get(q)
    store.questions.update(q, question.version, text=f"question {batch}, reworded")
    print("asked", flush=True)
'''

RUNS = 12


def _check(path):
    with Store.open(path) as store:
        assert store.check() == [], "SQLite integrity or foreign keys"
        plan = store.query("SELECT id FROM plans WHERE code = 'CRASH'")
        imports = int(store.scalar("SELECT count(*) FROM imports") or 0)
        if plan:
            actions = store.query("SELECT * FROM actions WHERE plan_id = ?", (plan[0]["id"],))
            assert len(actions) == 60, "an import is wholly present or wholly absent"
            assert len({a["explanation"] for a in actions}) == 1, "every action comes from the same import"
            assert actions[0]["explanation"] == f"batch {imports}", "the last import recorded is the one applied"
        else:
            assert imports == 0
        for table, key in (("actions", "action_id"), ("questions", "question_id")):
            history = "action_history" if table == "actions" else "question_history"
            bad = store.query(
                f"SELECT r.id, r.version, (SELECT max(version) FROM {history} h WHERE h.{key} = r.id) AS top, "
                f"(SELECT count(DISTINCT version) FROM {history} h WHERE h.{key} = r.id) AS n FROM {table} r "
                "WHERE top IS NOT r.version OR n IS NOT r.version")
            assert bad == [], f"{table} whose history does not match the version: {bad[:3]}"
        return imports


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_during_saves_and_imports_never_leaves_half_a_change(seeded_path, tmp_path):
    rng = random.Random(20261122)
    completed = 0
    for run in range(RUNS):
        worker = subprocess.Popen([sys.executable, "-c", WORKER, str(seeded_path), str(tmp_path), str(run)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        # wait for the worker's first import (the thing itself, however slowly a busy machine starts Python) and
        # then a chosen number of its steps more; killed at once, it is in the middle of the step after (a save, an
        # update of a question, the next import)
        for _ in range(1 + rng.randint(0, 8)):
            if worker.stdout.readline() == "":
                worker.wait()
                pytest.fail(f"the worker stopped by itself: {worker.stderr.read()[-2000:]}")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        worker.stdout.close()
        worker.stderr.close()
        completed = _check(seeded_path)
    assert completed >= RUNS // 2, "the kills came too early to test anything"
    backups = list((seeded_path.parent / f"{seeded_path.name}-backups").glob("*.db"))
    assert backups and all(b.stat().st_size > 0 for b in backups)  # partial copies never take a backup's name
