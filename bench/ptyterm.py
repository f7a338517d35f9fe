"""A real terminal for timing keystrokes: the program runs on a pseudo-terminal and its output is read by a
terminal emulator (pyte), so the time from a key to what appears on screen is measured without starting a process
to look at the screen (as polling tmux would, which on two cores steals the app's CPU).

A thread reads the output the moment it is written and notes the time; the emulator (slow, pure Python) then
works through it. A measurement ends at the time the output that completed the screen was written, so the
emulator's own work is not counted against the app."""

from __future__ import annotations

import fcntl
import os
import pty
import queue
import signal
import struct
import termios
import threading
import time

import pyte

KEYS = {"Enter": b"\r", "Escape": b"\x1b", "Down": b"\x1b[B", "Up": b"\x1b[A", "Left": b"\x1b[D",
        "Right": b"\x1b[C", "BSpace": b"\x7f", "Tab": b"\t", "C-s": b"\x13", "C-u": b"\x15", "C-p": b"\x10",
        "End": b"\x1b[F", "Home": b"\x1b[H"}


class PtyTerminal:
    def __init__(self, command: list[str], size: tuple[int, int] = (120, 40), cwd: str | None = None):
        self.columns, self.lines = size
        self.screen = pyte.Screen(self.columns, self.lines)
        self.stream = pyte.ByteStream(self.screen)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: the program, on the pseudo-terminal
            if cwd:
                os.chdir(cwd)
            env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(self.columns), "LINES": str(self.lines)}
            os.execvpe(command[0], command, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", self.lines, self.columns, 0, 0))
        self.chunks: queue.Queue[tuple[float, bytes]] = queue.Queue()
        self.reader = threading.Thread(target=self._reader, daemon=True)
        self.reader.start()

    def _reader(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except OSError:
                return
            if not data:
                return
            self.chunks.put((time.perf_counter(), data))

    def _feed(self, timeout: float) -> float | None:
        """Feed the next chunk of output to the emulator; returns when it was written, or None."""
        try:
            written, data = self.chunks.get(timeout=timeout)
        except queue.Empty:
            return None
        self.stream.feed(data)
        return written

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait(self, predicate, timeout: float = 30.0) -> float:
        """Wait until predicate(screen text) holds; returns the time the output that made it hold was written."""
        end = time.perf_counter() + timeout
        if predicate(self.text()):
            return time.perf_counter()
        while time.perf_counter() < end:
            written = self._feed(0.05)
            if written is not None and predicate(self.text()):
                return written
        raise RuntimeError(f"timed out; the screen:\n{self.text()}")

    def settle(self, quiet: float = 0.3) -> None:
        """Take in output until the program has written nothing for a while."""
        while self._feed(quiet) is not None:
            pass

    def pause(self, seconds: float) -> None:
        """Take in output for this long, however busy the program is (an officer reading before the next key)."""
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            self._feed(left)

    def background(self, y: int, x: int = 1) -> str:
        """The background colour of the cell at (x, y): a table's cursor row has its own."""
        return self.screen.buffer[y][x].bg

    def send(self, *keys: str) -> None:
        for key in keys:
            os.write(self.fd, KEYS.get(key, key.encode()))

    def timed(self, keys: list[str], predicate, timeout: float = 30.0) -> float:
        began = time.perf_counter()
        self.send(*keys)
        return self.wait(predicate, timeout) - began

    def rss_peak_mb(self) -> float:
        return self._status_mb("VmHWM")

    def rss_mb(self) -> float:
        return self._status_mb("VmRSS")

    def _status_mb(self, field: str) -> float:
        for line in open(f"/proc/{self.pid}/status", encoding="ascii"):
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no {field} in /proc")

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)
