"""Who else is in (issue 14, "who did what"): each app says it is in, in a folder beside the database, and sees the
others, which meeting each is preparing; a session whose process ended, or not heard of for long, is gone. Real
databases and the real services; other apps are other Services on the same file (and, for a crash, a real child
process that ends)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from accountability_tui.domain.roles import Role
from accountability_tui.services import Services
from accountability_tui.services.meetings import MeetingDraft
from accountability_tui.store import Store
from accountability_tui.store.presence import STALE_SECONDS


def services(path: Path, acting_as: str | None = None) -> Services:
    return Services(Store.open(path), acting_as=acting_as)


def test_each_app_sees_the_others_and_the_meeting_they_prepare(seeded_path: Path) -> None:
    with closing(services(seeded_path)) as owner:
        owner.access.add("alice", Role.EDITOR)
        owner.access.add("bob", Role.APPROVER)
        meeting, _ = owner.meetings.add(MeetingDraft(date=dt.date(2026, 12, 10), title="December"))
    with closing(services(seeded_path, "alice")) as alice, closing(services(seeded_path, "bob")) as bob:
        alice.presence.join()
        assert [s.who for s in bob.presence.others()] == ["alice"]  # bob sees alice before he says he is in
        assert alice.presence.others() == []  # and alice sees nobody until he does
        bob.presence.join()
        assert [(s.who, s.role, s.meeting) for s in alice.presence.others()] == [("bob", "approver", None)]
        bob.presence.preparing(meeting)
        [seen] = alice.presence.others()
        assert (seen.who, seen.meeting_id, seen.meeting) == ("bob", meeting.id, meeting.label)
        assert [s.who for s in bob.presence.others()] == ["alice"]  # never oneself
        bob.presence.leave()
        assert alice.presence.others() == []
        alice.presence.leave()
    assert list(seeded_path.with_name(seeded_path.name + ".sessions").glob("*.json")) == []


def test_without_a_list_of_people_a_session_has_no_role(seeded_path: Path) -> None:
    with closing(services(seeded_path, "alice")) as alice, closing(services(seeded_path, "bob")) as bob:
        alice.presence.join()
        assert [(s.who, s.role) for s in bob.presence.others()] == [("alice", None)]
        alice.presence.leave()


def test_a_crashed_app_is_gone_at_once_and_a_silent_one_after_a_while(seeded_path: Path) -> None:
    child = subprocess.run(
        [sys.executable, "-c", "import sys; from accountability_tui.services import Services; "
         "from accountability_tui.store import Store; s = Services(Store.open(sys.argv[1]), acting_as='carol'); "
         "s.presence.join(); s.close()  # and ends without leaving, as a crash does", str(seeded_path)],
        check=True, capture_output=True, text=True)
    assert child.returncode == 0
    folder = seeded_path.with_name(seeded_path.name + ".sessions")
    assert len(list(folder.glob("*.json"))) == 1  # its file is still there...
    with closing(services(seeded_path, "alice")) as alice:
        assert alice.presence.others() == []  # ...but its process ended: not shown, and tidied away
        assert list(folder.glob("*.json")) == []
        with closing(services(seeded_path, "dave")) as dave:
            dave.presence.join()
            [file] = folder.glob("*.json")
            assert [s.who for s in alice.presence.others()] == ["dave"]
            old = time.time() - STALE_SECONDS - 5
            os.utime(file, (old, old))  # not heard of for longer than STALE_SECONDS (another host, say)
            assert alice.presence.others() == []
            dave.presence.beat()  # says it again: back
            assert [s.who for s in alice.presence.others()] == ["dave"]
            dave.presence.leave()


def test_what_is_not_a_session_is_ignored_and_a_folder_that_cannot_be_made_shows_nobody(seeded_path: Path,
                                                                                        tmp_path: Path) -> None:
    folder = seeded_path.with_name(seeded_path.name + ".sessions")
    folder.mkdir()
    (folder / "half.json").write_text('{"who": "x"', encoding="utf-8")
    (folder / "other.json").write_text(json.dumps({"name": "not ours"}), encoding="utf-8")
    with closing(services(seeded_path, "alice")) as alice:
        assert alice.presence.others() == []
    blocked = tmp_path / "blocked.db"
    blocked.write_bytes(seeded_path.read_bytes())
    blocked.with_name(blocked.name + ".sessions").write_text("a file where the folder would be")
    with closing(services(blocked, "alice")) as alice, closing(services(blocked, "bob")) as bob:
        alice.presence.join()  # nothing is raised: nobody is told about alice, and nothing else changes
        alice.presence.preparing(None)
        alice.presence.beat()
        assert bob.presence.others() == []
        alice.presence.leave()


def test_a_session_is_for_this_account_only_and_a_meeting_said_before_joining_is_kept(seeded_path: Path) -> None:
    with closing(Services(Store.open(seeded_path))) as owner:
        meeting, _ = owner.meetings.add(MeetingDraft(date=dt.date(2026, 12, 10)))
    with closing(services(seeded_path, "alice")) as alice, closing(services(seeded_path, "bob")) as bob:
        alice.presence.preparing(meeting)  # before the app has said it is in (its first worker still running)
        alice.presence.join()
        folder = seeded_path.with_name(seeded_path.name + ".sessions")
        [file] = folder.glob("*.json")
        assert (folder.stat().st_mode & 0o777, file.stat().st_mode & 0o777) == (0o700, 0o600)
        assert [(s.who, s.meeting_id) for s in bob.presence.others()] == [("alice", meeting.id)]
        alice.presence.leave()
