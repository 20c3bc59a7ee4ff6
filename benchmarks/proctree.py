"""Processes of a benchmark and what they use, from Linux /proc: a process's descendants,
their resident memory and their CPU time (forkserver workers included)."""

from __future__ import annotations

import os
from pathlib import Path


def process_tree(pid: int):
    """``pid`` and its descendants that are alive (Linux /proc)."""
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = list(Path(f"/proc/{p}/task").iterdir())
        except (FileNotFoundError, ProcessLookupError):
            continue  # the process ended
        children = []
        for task in tasks:
            try:  # a thread that ended during the scan has no children left to count
                children += [int(c) for c in (task / "children").read_text().split()]
            except (FileNotFoundError, ProcessLookupError):
                continue
        yield p
        todo += children


def rss_mb(pid: int) -> float:
    """Resident memory (MB) of process ``pid`` and its descendants (Linux /proc)."""
    total = 0.0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system, s) used so far by process ``pid`` (default: this one) and its
    descendants, the live ones and the finished ones their parents have reaped (Linux /proc).

    Worker processes forked from a multiprocessing forkserver are children of the server, not
    of this process, so ``os.times()``'s children fields miss them until the server exits: the
    reaped children's time of every process in the tree (cutime, cstime) counts them."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for p in process_tree(os.getpid() if pid is None else pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += sum(int(f) for f in fields[11:15]) / tick  # utime, stime, cutime, cstime
    return total
