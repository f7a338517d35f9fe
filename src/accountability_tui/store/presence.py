"""Who has the database open (issue 14, "who else is in"): one small file per running app, in a folder beside it.

Not kept in the database itself, on purpose: every app looks at the database's data_version every two seconds to
show the changes others save (ui/app.py), so a "still here" written into it would make every open app reload
every screen as often as anyone's clock ticked; and a reader, or an app opened read-only, may not write to it at
all. The folder lives beside the database, on the host (the local-disk rule), so every app on that host sees it.

A session is fresh while its file was touched in the last STALE_SECONDS (each app touches its own every
BEAT_SECONDS) and, on this host, while its process is alive: an app that crashed stops showing at once here.
Nothing here is ever an error the officer sees: a folder that cannot be written (a read-only copy, a full disk)
only means that nobody is shown.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

BEAT_SECONDS = 10  # how often a running app says it is still here (and looks who else is)
STALE_SECONDS = 120  # a session not heard of for longer is gone (an app on another host that stopped uncleanly)
MAX_SESSIONS = 200  # read at most this many files (a folder filled by something else is not read whole)


@dataclass(frozen=True, slots=True)
class Session:
    who: str
    role: str | None  # reader, editor, ... as the list said when they came in (None: the list is empty)
    host: str
    pid: int
    started: str  # ISO, UTC
    meeting_id: int | None = None  # the meeting they are preparing
    meeting: str | None = None  # that meeting, as a person names it ("12 Dec 2026")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):  # someone else's process: alive
        return True
    return True


class Presence:
    """This app's session file, and everyone else's."""

    def __init__(self, db_path: Path) -> None:
        self.folder = db_path.with_name(db_path.name + ".sessions")
        self._file: Path | None = None
        self._session: Session | None = None
        self._preparing: tuple[int | None, str | None] = (None, None)  # said before joining: written at join

    def _write(self, session: Session) -> None:
        if self._file is None:
            return
        try:
            temporary = self._file.with_suffix(".tmp")
            # readable by this OS user only, as the database is: who is in, and as what, is not for every account
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(json.dumps(asdict(session)))
            os.replace(temporary, self._file)  # whole or not at all: a reader never sees half a file
            self._session = session
        except OSError:
            self._file = None  # nobody will be told about this session; nothing else changes

    def join(self, who: str, role: str | None) -> None:
        """This app is in, as this person."""
        try:
            self.folder.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            return
        self._file = self.folder / f"{uuid.uuid4().hex}.json"
        meeting_id, meeting = self._preparing
        self._write(Session(who=who, role=role, host=socket.gethostname(), pid=os.getpid(),
                            started=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), meeting_id=meeting_id,
                            meeting=meeting))

    def preparing(self, meeting_id: int | None, meeting: str | None) -> None:
        """This app is now preparing this meeting (None: none)."""
        self._preparing = (meeting_id, meeting)
        if self._session is not None and (self._session.meeting_id, self._session.meeting) != (meeting_id, meeting):
            self._write(Session(**{**asdict(self._session), "meeting_id": meeting_id, "meeting": meeting}))

    def beat(self) -> None:
        """Still here."""
        if self._file is not None:
            try:
                os.utime(self._file)
            except OSError:  # removed by someone tidying the folder: say it again
                if self._session is not None:
                    self._write(self._session)

    def leave(self) -> None:
        if self._file is not None:
            self._file.unlink(missing_ok=True)
            self._file = None

    def others(self) -> list[Session]:
        """Everyone else in, oldest first; sessions gone (their process ended here, or not heard of for
        STALE_SECONDS) are tidied away."""
        host, now, found = socket.gethostname(), time.time(), []
        try:
            files = sorted(self.folder.glob("*.json"))[:MAX_SESSIONS]
        except OSError:
            return []
        for file in files:
            if file == self._file:
                continue
            try:
                seen = file.stat().st_mtime
                session = Session(**json.loads(file.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):  # gone meanwhile, half a file from elsewhere, not ours
                continue
            if now - seen > STALE_SECONDS or (session.host == host and not _alive(session.pid)):
                try:
                    file.unlink(missing_ok=True)
                except OSError:  # another account's folder: not ours to tidy, and never a reason to stop looking
                    pass
                continue
            found.append(session)
        return sorted(found, key=lambda s: (s.started, s.who))
