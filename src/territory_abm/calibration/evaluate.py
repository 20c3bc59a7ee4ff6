"""Evaluating parameter values: runs on an experiment engine, stored as they finish.

Every evaluation of a parameter vector runs the calibration's scenario once per replicate
seed. Runs go into the output directory's crash-safe results store under a key made from
the parameter values, so an interrupted calibration that is started again replays the
same (seeded) search and finds its finished runs instead of recomputing them.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np

from ..experiments.driver import run_experiment
from ..experiments.runs import RunSpec, read_result
from ..experiments.store import ResultStore
from ..sensitivity.analysis import point_values
from .design import CalibrationDesign
from .statistics import MUNICIPAL, simulated_municipal_values


def theta_key(overrides: dict[str, float]) -> str:
    """Stable key of a parameter vector (values as the model uses them)."""
    text = json.dumps({k: float(f"{v:.12g}") for k, v in sorted(overrides.items())})
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class Evaluator:
    """Simulated per-municipality statistics of parameter vectors, cached in memory and on disk.

    ``values(thetas)`` returns an array (points, seeds, municipalities, periods x len(MUNICIPAL));
    NaN where a run failed (its error is kept in ``failures``).
    """

    def __init__(self, design: CalibrationDesign, out_dir: Path, engine, bar=None):
        self.design, self.out_dir, self.engine, self.bar = design, Path(out_dir), engine, bar
        self.record = design.as_dict()
        self.names = list(design.parameters)
        self.municipalities = design.observations.municipalities
        self._cache: dict[str, np.ndarray] = {}
        self.evaluated: dict[str, dict[str, float]] = {}  # key -> parameter values, in order of first request
        self.failures: dict[str, str] = {}
        self.runs = 0  # runs requested (already stored or run now)

    def overrides(self, theta: np.ndarray) -> dict[str, float]:
        return point_values(self.names, np.asarray(theta, float))

    def values(self, thetas: np.ndarray, kind: str = "search") -> np.ndarray:
        thetas = np.atleast_2d(np.asarray(thetas, float))
        points = [self.overrides(t) for t in thetas]
        keys = [theta_key(p) for p in points]
        missing = {k: p for k, p in zip(keys, points) if k not in self._cache}
        if missing:
            self._run(missing, kind)
        for k, p in zip(keys, points):
            self.evaluated.setdefault(k, p)
        return np.stack([self._cache[k] for k in keys])

    def cached(self, theta: np.ndarray) -> np.ndarray | None:
        """Values of ``theta`` if already run (seeds, municipalities, statistics), else None."""
        overrides = self.overrides(theta)
        key = theta_key(overrides)
        if key in self._cache:
            self.evaluated.setdefault(key, overrides)
            return self._cache[key]
        return None

    def evaluated_thetas(self) -> tuple[list[str], np.ndarray]:
        """Keys and parameter vectors (one row each) of every vector evaluated so far."""
        keys = list(self.evaluated)
        return keys, np.array([[self.evaluated[k][n] for n in self.names] for k in keys])

    def realizations(self, theta: np.ndarray, count: int) -> np.ndarray:
        """Statistics of ``count`` more runs at ``theta``, with seeds that no evaluation uses
        (those after the design's): (count, municipalities, statistics), NaN where a run failed."""
        overrides = self.overrides(theta)
        key = theta_key(overrides)
        last = self.design.seeds[-1]
        return self._run({key: overrides}, "realization", tuple(range(last + 1, last + 1 + count)))[key]

    def _run(self, points: dict[str, dict[str, float]], kind: str,
             seeds: tuple[int, ...] | None = None) -> dict[str, np.ndarray]:
        """Run (or find stored) every point at ``seeds`` (default: the design's, whose values
        are cached); values by key."""
        scenario = self.design.scenario
        seeds = self.design.seeds if seeds is None else seeds
        specs = [RunSpec(f"theta={key}/seed={seed}", scenario, seed, overrides, labels={"theta": key, "kind": kind},
                         keep_nodes=True)
                 for key, overrides in points.items() for seed in seeds]
        status = run_experiment(specs, self.out_dir, self.record, self.engine, progress=False)
        self.runs += len(specs)
        if self.bar is not None:
            self.bar.update(len(specs))
        failed = dict(status.failures)
        obs = self.design.observations
        empty = np.full((len(self.municipalities), len(obs.periods) * len(MUNICIPAL)), np.nan)
        out = {}
        with ResultStore(self.out_dir) as store:
            for key in points:
                per_seed = []
                for seed in seeds:
                    run_id = f"theta={key}/seed={seed}"
                    payload = store.payload(run_id)
                    if payload is None:
                        self.failures[run_id] = failed.get(run_id, "no result stored")
                        per_seed.append(empty)
                        continue
                    nodes = read_result(payload)["nodes"]
                    per_seed.append(simulated_municipal_values(nodes, self.municipalities, obs.dates))
                out[key] = np.stack(per_seed)
        if seeds == self.design.seeds:
            self._cache.update(out)
        return out

    def nodes(self, theta: np.ndarray, seed: int):
        """The stored node table of one evaluated run (for the predictive check)."""
        with ResultStore(self.out_dir) as store:
            payload = store.payload(f"theta={theta_key(self.overrides(theta))}/seed={seed}")
        return None if payload is None else read_result(payload)["nodes"]
