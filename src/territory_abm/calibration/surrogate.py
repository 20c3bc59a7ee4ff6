"""Re-estimating between the evaluated parameter vectors (SMM's bootstrap).

The bootstrap re-estimates the parameters under each resample as the vector of least
resampled distance. Over the vectors a search evaluated only, the re-estimates snap to them;
where the optimiser left few (a handful per parameter outside its final local design), they
pile up on the edge of the local design and the interval is too narrow (coverage 0.58-0.61 of
a nominal 0.90 in ``benchmarks/pattern_recovery.py``, against 0.86-0.93 with vectors every
tenth of a grid step). Here the runs' values (per-run sums or statistics, linear in the runs)
are interpolated linearly between the evaluated vectors (piecewise linear in one parameter,
over a Delaunay triangulation in several: ``scipy.interpolate.LinearNDInterpolator``) at many
candidate vectors, and the re-estimate is the best candidate: it moves continuously, as it
would with every vector evaluated, and where it leaves the local design
``smm.covered_draws`` evaluates more vectors there.
"""

from __future__ import annotations

import numpy as np
from scipy.interpolate import LinearNDInterpolator
from scipy.stats import qmc

CANDIDATES = 400
"""Candidate vectors per parameter in each of the two candidate boxes."""
BEST_SHARE = 0.25
"""The second box spans the evaluated vectors of least distance (this share of them)."""


def interpolate(thetas: np.ndarray, values: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``values`` (n, ...) evaluated at ``thetas`` (n, d), linearly interpolated at ``points``
    (m, d). Returns the interpolated values (m, ...) and a mask of the points inside the
    evaluated vectors' range (one parameter) or convex hull (several); outside, values are NaN.
    """
    n, d = thetas.shape
    flat = values.reshape(n, -1)
    if d == 1:
        order = np.argsort(thetas[:, 0], kind="stable")
        x, y = thetas[order, 0], flat[order]
        inside = (points[:, 0] >= x[0]) & (points[:, 0] <= x[-1])
        position = np.interp(points[:, 0], x, np.arange(n, dtype=float))
        left = np.clip(np.floor(position).astype(int), 0, max(n - 2, 0))
        w = (position - left)[:, None]
        out = y[left] if n == 1 else (1 - w) * y[left] + w * y[np.minimum(left + 1, n - 1)]
    else:
        out = LinearNDInterpolator(thetas, flat)(points)
        inside = ~np.isnan(LinearNDInterpolator(thetas, np.ones(n))(points))
    out = np.where(inside[:, None], out, np.nan)
    return out.reshape(len(points), *values.shape[1:]), inside


def candidates(thetas: np.ndarray, distances: np.ndarray, seed: int) -> np.ndarray:
    """The evaluated vectors, a Latin hypercube over their box and one over the box of the
    best :data:`BEST_SHARE` of them (:data:`CANDIDATES` per parameter each)."""
    d = thetas.shape[1]
    finite = np.isfinite(distances)
    best = thetas[finite][distances[finite] <= np.quantile(distances[finite], BEST_SHARE)] if finite.any() else thetas
    out = [thetas]
    for k, box in enumerate((thetas, best)):
        low, high = box.min(axis=0), box.max(axis=0)
        u = qmc.LatinHypercube(d=d, seed=seed + k).random(CANDIDATES * d)
        out.append(low + u * (high - low))
    return np.concatenate(out)


def between(objective, thetas: np.ndarray, values: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Vectors for the bootstrap to choose from and their values: the :func:`candidates` inside
    the evaluated vectors' range, their values interpolated from the evaluated ones."""
    points = candidates(thetas, objective.distance(values), seed)
    at_points, inside = interpolate(thetas, values, points)
    return points[inside], at_points[inside]
