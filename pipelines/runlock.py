"""One main-job process per warehouse, enforced by an OS file lock beside the warehouse file.

``fcntl.flock`` is released by the kernel when the holding process dies, however it dies, so a
``kill -9`` can never leave this lock behind. The lock file records who holds it, so a second
``python -m pipelines.run`` can say which run it is waiting for.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from datetime import datetime
from pathlib import Path

from pipelines.recovery import this_host


class RunLockHeld(Exception):
    """The lock is held by another live process; ``holder`` describes it."""

    def __init__(self, holder: str):
        super().__init__(holder)
        self.holder = holder


def lock_path(warehouse_path: Path) -> Path:
    return warehouse_path.with_name(warehouse_path.name + ".runlock")


class RunLock:
    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None

    def holder(self) -> str:
        try:
            info = json.loads(self.path.read_text() or "{}")
        except (OSError, ValueError):
            return "another process (no details recorded)"
        return (f"run {info.get('run_id', '?')} (started {info.get('started', '?')}, "
                f"pid {info.get('pid', '?')} on {info.get('host', '?')})")

    def try_acquire(self, run_id: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RunLockHeld(self.holder()) from None
        record = {"run_id": run_id, "pid": os.getpid(), "host": this_host(),
                  "started": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")}
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(record).encode())
        self._fd = fd

    def acquire(self, run_id: str, wait: bool, say, poll_s: float = 2.0, remind_s: float = 30.0) -> None:
        """Take the lock; if held, raise (``wait`` False) or wait with a message every ``remind_s``."""
        last = None
        while True:
            try:
                self.try_acquire(run_id)
                return
            except RunLockHeld as held:
                if not wait:
                    raise
                if last is None or time.monotonic() - last >= remind_s:
                    say(f"Waiting: another main job is running: {held.holder}")
                    last = time.monotonic()
                time.sleep(poll_s)

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()
