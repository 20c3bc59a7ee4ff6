"""Running the specs of an experiment into its store, resuming where a previous attempt stopped."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .runs import RunSpec, execute_run
from .store import ResultStore

COMMIT_INTERVAL_S = 1.0
"""Runs arriving within this time of the last commit wait for the next one (commit in batches)."""


@dataclass
class ExperimentStatus:
    """What an invocation did: runs already stored, run now, and failures (run id, error)."""

    total: int
    reused: int
    ran: int
    failures: list[tuple[str, str]]
    wall_time_s: float

    @property
    def complete(self) -> bool:
        return not self.failures and self.reused + self.ran == self.total


def run_experiment(specs: list[RunSpec], out_dir: Path, design: dict, engine, progress: bool = True,
                   label: str = "runs", fn: Callable[[RunSpec], bytes] = execute_run) -> ExperimentStatus:
    """Run every spec not yet stored in ``out_dir`` with ``fn`` on ``engine``; commit results
    as they arrive (a result arriving within :data:`COMMIT_INTERVAL_S` of the last commit is
    committed with the next one or at the end: one sync to disk for many short runs).

    A run that raises is stored as a failure with its error and the others go on; running
    again retries failures and missing runs only.
    """
    ids = [s.run_id for s in specs]
    if len(set(ids)) != len(ids):
        raise ValueError("run ids of an experiment must be unique")
    started = time.perf_counter()
    with ResultStore(out_dir, design) as store:
        done = store.finished()
        todo = [s for s in specs if s.run_id not in done]
        bar = _progress_bar(len(specs), len(specs) - len(todo), label, progress)
        ran = failed = 0
        held: list = []
        committed = time.monotonic()
        for outcome in engine.map(todo, fn):
            held.append(outcome)
            if time.monotonic() - committed >= COMMIT_INTERVAL_S:
                _commit(store, held)
                committed = time.monotonic()
            ran, failed = ran + (outcome[2] is None), failed + (outcome[2] is not None)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(failed=failed, refresh=False)
        _commit(store, held)
        if bar is not None:
            bar.close()
        wanted = set(ids)
        failures = [f for f in store.failures() if f[0] in wanted]
    return ExperimentStatus(len(specs), len(specs) - len(todo), ran, failures, time.perf_counter() - started)


def _commit(store: ResultStore, outcomes: list) -> None:
    """Store ``outcomes`` (spec, payload, error) in one transaction and empty the list."""
    with store.batch():
        for spec, payload, error in outcomes:
            if error is None:
                store.put(spec.description(), payload)
            else:
                store.put_failure(spec.description(), error)
    outcomes.clear()


def _progress_bar(total: int, initial: int, label: str, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=initial, unit="run", desc=label, dynamic_ncols=True)
