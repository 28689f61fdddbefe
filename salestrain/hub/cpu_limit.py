"""A CPU quota per learner on one machine, without cgroups: pause the over-budget sandbox.

cgroups would be the natural tool, but on many machines (containers, read-only
``/sys/fs/cgroup``, cgroup v1 without delegation) a trainer cannot create them. This
hub-managed service does what ``cpulimit`` does, for a whole sandbox at once: every
``TICK`` it adds up the CPU time of every process in each learner's bubblewrap tree
(read from ``/proc``), and when a tree has used more than its share of the last
``WINDOW`` (``--cores``, e.g. 1.0 = one core), it stops the tree (SIGSTOP) for the excess
and then continues it (SIGCONT). A learner's runaway calculation then slows down to its
share instead of starving the room; an idle or normal learner is never touched.

Kubernetes enforces real cgroup limits instead (the values file sets them).
"""

from __future__ import annotations

import argparse
import os
import signal
import time
from collections import defaultdict, deque
from pathlib import Path

TICK = 0.2      # seconds between measurements
WINDOW = 1.0    # seconds of history a share is judged on
HZ = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> tuple[int, float] | None:
    """(parent pid, CPU seconds used) of one process, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / HZ


def sandboxes(homes: str) -> dict[int, list[int]]:
    """Each learner's sandbox: its bubblewrap process and every process below it."""
    parents: dict[int, list[int]] = defaultdict(list)
    roots = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        found = _stat(entry)
        if found is None:
            continue
        parents[found[0]].append(int(entry))
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmdline and cmdline[0].endswith(b"bwrap") and any(homes.encode() in part for part in cmdline):
            roots.append(int(entry))
    # bubblewrap's own init inside the sandbox is a bwrap process too: keep the outer one.
    inner = {child for root in roots for child in parents.get(root, ())}
    trees = {}
    for root in (r for r in roots if r not in inner):
        tree, todo = [], [root]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(parents.get(pid, ()))
        trees[root] = tree
    return trees


def cpu_seconds(pids: list[int]) -> float:
    return sum(found[1] for pid in pids if (found := _stat(str(pid))) is not None)


def _signal(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


class Limiter:
    """The quota keeper; :meth:`tick` is one measurement and decision, for tests too."""

    def __init__(self, homes: str, cores: float) -> None:
        self.homes, self.cores = homes, cores
        self.history: dict[int, deque[tuple[float, float]]] = {}
        self.paused: dict[int, tuple[float, list[int]]] = {}

    def tick(self, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        for root, (until, pids) in list(self.paused.items()):
            if now >= until:
                _signal(pids, signal.SIGCONT)
                del self.paused[root]
        trees = sandboxes(self.homes)
        for root in list(self.history):
            if root not in trees:
                del self.history[root]
        for root, pids in trees.items():
            used = cpu_seconds(pids)
            seen = self.history.setdefault(root, deque())
            seen.append((now, used))
            while len(seen) > 2 and now - seen[0][0] > WINDOW:
                seen.popleft()
            span = now - seen[0][0]
            if root in self.paused or span < WINDOW / 2:
                continue
            excess = (used - seen[0][1]) - self.cores * span
            if excess > 0:
                # Stopped for as long as it ran over: averaged over the window, its share.
                _signal(pids, signal.SIGSTOP)
                self.paused[root] = (now + excess / max(self.cores, 0.05), pids)

    def release_all(self) -> None:
        for _until, pids in self.paused.values():
            _signal(pids, signal.SIGCONT)
        self.paused.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--homes", required=True)
    parser.add_argument("--cores", type=float, default=1.0)
    args = parser.parse_args()
    limiter = Limiter(args.homes, args.cores)

    def stop(*_: object) -> None:
        limiter.release_all()  # never leave a learner paused when the hub stops
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while True:
        limiter.tick()
        time.sleep(TICK)


if __name__ == "__main__":
    main()
