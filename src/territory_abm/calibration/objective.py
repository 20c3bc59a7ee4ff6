"""The distance between simulated and observed statistics that both methods minimise.

d(theta) = sum_k w_k mean_j (((s_kj(theta) - o_kj)^2 - v_kj(theta) / S) / (sigma_k^2 + e_kj^2))

over the chosen statistics k and their entries j (municipalities, or one entry for a
territory moment, in each period between consecutive census dates: a statistic's weight is
shared among all its entries, every period's included), with s the mean over S replicate
seeds, v its sample variance over the seeds (the noise correction, see
``Objective.distance``), o the observation and sigma_k the spread of statistic k (in that
period) across a pilot sample drawn from the prior (so statistics in
different units weigh what the file says), and e_kj the observation's standard error
(propagated from the observations' ``se_`` columns; 0 where none is stated, and for the
territory moments): an entry measured with a larger error weighs less. Scales are fixed
once from the pilot, which makes distances comparable across generations and resumed runs.

The SMM intervals come from a bootstrap (``Objective.resampled_distance``) that draws the
data again as they might have come out: another realization of the territory's randomness
and another measurement error at the stated standard errors (for statistics whose
observations state none, at the size their residuals leave: :func:`residual_error`), with the
simulated seeds resampled.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from .design import CalibrationDesign
from .observations import Observations
from .statistics import Layout, distance

SCALE_FLOOR = 1e-4
"""Smallest scale of a statistic (its units are rates and shares): a statistic the pilot
could not move is still compared, without dividing by zero."""

MOMENT_DRAWS = 2000
"""Draws of the data (``Objective.drawn_values``) over which the mean of each territory
moment is taken to centre the bootstrap's moments on the observed ones (``moment_shift``)."""

NOISE_FLOOR = 0.05
"""The second step's scale of a statistic (its runs' own noise, ``Objective.weighed_by_residuals``)
is at least this share of its pilot spread: a statistic the model's randomness hardly moves
weighs at most 400 times what it weighed in the first step."""

REALIZATIONS = 16
"""Runs at the estimate, with seeds of their own, that give the SMM bootstrap its draws of
another realization of the territory (their deviations from their mean)."""


@dataclass(frozen=True)
class Objective:
    layout: Layout
    weights: dict[str, float]
    observed_values: np.ndarray  # (municipalities, periods x len(MUNICIPAL))
    spread: np.ndarray  # per entry: sigma_k, the statistic's spread over the pilot
    observed_se: np.ndarray | None = None  # as observed_values: e, 0 where not stated
    observations: Observations | None = None  # measured again by the bootstrap
    realizations: np.ndarray | None = None  # (draws, municipalities, statistics): another history's deviations
    residual_se: np.ndarray | None = None  # (statistics,): measurement error estimated from the residuals
    weighing_se: np.ndarray | None = None  # (statistics,): the error estimated at the first step, in ``scale``
    moment_shift: np.ndarray | None = None  # per entry: mean of the drawn data's moments less the observed, 0 elsewhere
    shared_factor: np.ndarray | None = None  # per (statistic, period) group: weight of its residuals' shared part
    shared_loading: np.ndarray | None = None  # per entry: sqrt(a_g / a_j), the residual's part in its group's mean
    interpolates = True
    """SMM's bootstrap re-estimates between the evaluated vectors (``calibration.surrogate``):
    over the evaluated vectors alone they snap to them, and an interval can end at its
    estimate (session 21: 20 of 24 intervals held the truth in ``benchmarks/recovery.py``)."""

    def with_realizations(self, runs: np.ndarray) -> "Objective":
        """This objective with the bootstrap's realizations taken from ``runs`` (independent
        runs at the estimate, as ``Evaluator.realizations``): their deviations from their
        mean, times sqrt(R / (R - 1)) so that their variance is the runs' (unbiased). Where
        the observations state no standard errors, also the measurement error the residuals
        leave (:func:`residual_error`)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # statistics no run gives: NaN, then 0
            deviations = (runs - np.nanmean(runs, axis=0)) * np.sqrt(len(runs) / (len(runs) - 1))
        drawn = replace(self, realizations=np.nan_to_num(deviations), residual_se=self.unstated_error(runs),
                        moment_shift=None)
        return replace(drawn, moment_shift=drawn.drawn_moment_shift())

    def drawn_moment_shift(self) -> np.ndarray | None:
        """Per entry, how far the mean over ``MOMENT_DRAWS`` draws of the data
        (``drawn_values``, its own generator) puts each territory moment from the observed
        one (0 for per-municipality entries; None without moments or draws). Another history
        and another measurement error added to the observed values, which already carry one
        of each, widen their spread across municipalities: an ``sd:`` moment of the drawn data
        is about sqrt(sd^2 + v + e^2) with v the runs' own variance and e the error, and a
        ``share:`` moment moves toward the flags' coin-toss. The bootstrap takes this shift off
        (``resampled_distance``), so its moments vary around the observed ones, as its
        per-municipality entries do, and the re-estimates do not lean toward parameters that
        give a larger spread."""
        moments = self.layout.moments
        if self.realizations is None or len(self.realizations) < 2 or not moments.any():
            return None
        rng = np.random.default_rng(0)  # its own generator: the same objective, the same shift
        unshifted = replace(self, moment_shift=None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # moments no municipality gives: NaN, then 0
            shift = np.nanmean([unshifted.drawn_deviation(rng) for _ in range(MOMENT_DRAWS)], axis=0)
        return np.where(moments, np.nan_to_num(shift), 0.0)

    def drawn_deviation(self, rng: np.random.Generator) -> np.ndarray:
        """One draw of the data (``drawn_values``) as a statistics vector less the observed
        one, each territory moment less ``moment_shift`` (where set): how far an observation
        of the territory could lie from this one's, entry by entry."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # entries no municipality gives: NaN
            drawn = self.layout.vector(self.drawn_values(rng))
        shift = 0.0 if self.moment_shift is None else self.moment_shift
        return drawn - shift - self.observed

    def drawn_values(self, rng: np.random.Generator) -> np.ndarray:
        """The observed values (as ``observed_values``) drawn again: another history (one of
        ``realizations``) and another measurement error (at the stated standard errors, and
        at ``residual_se`` for statistics that state none)."""
        observed = self.observed_values + self.realizations[rng.integers(0, len(self.realizations))]
        if self.observations is not None and self.observations.has_errors:
            observed = observed + np.nan_to_num(self.observations.measured_again(rng) - self.observed_values)
        if self.residual_se is not None and self.residual_se.any():
            observed = observed + self.residual_se * rng.standard_normal(observed.shape)
        return observed

    def unstated_error(self, runs: np.ndarray) -> np.ndarray:
        """Per statistic (column of ``observed_values``), the measurement error the residuals
        from ``runs`` (independent runs at an estimate) leave (:func:`residual_error`), 0 for
        statistics whose observations state standard errors (those are drawn and weighed at
        them)."""
        residual = residual_error(self.observed_values, runs)
        if self.observed_se is not None:
            residual[np.nan_to_num(self.observed_se).any(axis=0)] = 0.0
        return residual

    def weighed_by_residuals(self, runs: np.ndarray, seeds: int) -> "Objective":
        """The second step's objective, from ``runs`` (R independent runs at the first
        step's estimate; ``seeds`` replicate seeds S per evaluation): generalised least
        squares with each statistic's covariance across municipalities at that estimate, in
        place of the pilot's spreads (two-step SMM: the weights from the moments' covariance
        at a first estimate; the file's weights still multiply).

        For each (statistic, period) group of n per-municipality entries, the residuals
        (observed less the seeds' mean) have covariance a I + b 11': a each municipality's
        own variance (the runs' own variance, their deviations from the mean over
        municipalities, times 1 + 1/S for the seeds' mean, plus the measurement error: the
        stated one, or for statistics that state none the error the residuals leave,
        :meth:`unstated_error`) and b the variance of what moves all of them together in
        one history (a price or climate shock; times 1 + 1/S). Its inverse (Sherman-Morrison)
        weighs each residual's own part at 1 / a and the group's mean at f = a / (a + n b)
        times that: ``scale`` becomes sqrt(a) (the runs' own part in ``spread``, at least
        ``NOISE_FLOOR`` of the pilot's spread) and ``shared_factor`` holds f. Where the
        measurement errors differ between municipalities (a_j), the inverse of diag(a_j) + b
        11' is the same with a the harmonic mean of the a_j and each scaled residual's part in
        the group's mean multiplied by sqrt(a / a_j) (``shared_loading``; before session 31 a
        was their arithmetic mean and every part 1, which on a toy with stated errors of 2-8
        points made the likelihood posterior of ``likelihood_form`` 0.87 as wide as its mean
        varied). So a statistic
        measured with much error, or whose level is a shock one history drew (income growth
        in a history with a bad last year), no longer outweighs one whose level is precise
        (population growth, which tells births apart); measured on toy territories in
        ``tests/test_observation_noise.py``. Territory moments keep their pilot spread.
        Returns this objective unchanged when the runs give no spread."""
        error = self.unstated_error(runs)
        weighed = replace(self, weighing_se=error if error.any() else None)
        which = self.layout.group_of_entry
        municipal = ~self.layout.moments
        spread, factor = self.spread.copy(), np.ones(int(which.max()) + 1)
        loading = np.ones(len(spread))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # failed runs and unobserved entries: NaN, left out
            z = self.layout.vector(runs)  # (R, entries)
            valid = np.isfinite(self.observed) & municipal & np.isfinite(z).all(axis=0)
            stated = weighed.scale ** 2 - self.spread ** 2  # e^2 per entry
            for g in range(len(factor)):
                mask = valid & (which == g)
                n = int(mask.sum())
                zg = z[:, mask]
                zg = zg[np.isfinite(zg).all(axis=1)]
                if n < 2 or len(zg) < 3:
                    continue
                mean = zg.mean(axis=1)
                own = float(np.var(zg - mean[:, None], axis=0, ddof=1).mean()) * n / (n - 1)
                shared = max(float(np.var(mean, ddof=1)) - own / n, 0.0) * (1.0 + 1.0 / seeds)
                spread[mask] = np.maximum(np.sqrt(own * (1.0 + 1.0 / seeds)), NOISE_FLOOR * self.spread[mask])
                each = spread[mask] ** 2 + stated[mask]
                a = float(each[0]) if np.ptp(each) == 0 else float(n / (1.0 / each).sum())  # the harmonic mean
                factor[g] = a / (a + n * shared)
                loading[mask] = np.sqrt(a / each)
        if not np.isfinite(spread).all() or (spread == self.spread).all() and weighed.weighing_se is None:
            return self
        return replace(weighed, spread=spread, shared_factor=factor,
                       shared_loading=None if np.all(loading == 1.0) else loading)

    def likelihood_form(self, runs: np.ndarray, seeds: int) -> "Objective":
        """An objective whose distance is -2 log p(observed | theta), up to a constant, under
        a Gaussian for the data around the model's expected statistics mu(theta), from
        ``runs`` (R independent runs at a first estimate): ABC-SMC's second step weighs
        candidates by it (``abc.fit_abc``).

        The data are one history of the territory measured with error: per (statistic,
        period) group of n per-municipality entries their covariance around mu is a I + b 11'
        (``weighed_by_residuals``, the same second-step weights as SMM's), a territory moment's
        variance that of the data drawn again (``drawn_deviation``: another history and
        another measurement error). Both times 1 + 1/S (``seeds`` S): under common random
        numbers the seeds' mean misses mu by the same shift at every theta, which moves the
        posterior as much as another history of the data would; without the factor the toy's
        posterior was 0.77 as wide as its mean varied (``tests/test_observation_noise.py``).
        Each statistic's entries then weigh 1 each, times the
        file's weight (a power on that statistic's likelihood; 1 by default), instead of
        sharing one weight among them, so an estimate's precision follows from the data, not
        from the weights. Moments computed from the same data as per-municipality statistics
        count as further evidence: a calibration that uses both is more certain than its data
        say. Returns None when the runs give no spread."""
        drawn = self.with_realizations(runs)
        weighed = drawn.weighed_by_residuals(runs, seeds)
        if weighed is drawn or drawn.realizations is None:
            return None
        spread = weighed.spread.copy()
        moments = self.layout.moments
        if moments.any():
            rng = np.random.default_rng(1)  # its own generator: the same objective, the same variances
            deviations = np.array([drawn.drawn_deviation(rng) for _ in range(MOMENT_DRAWS)])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # moments no municipality gives
                variance = np.nanvar(deviations, axis=0) * (1.0 + 1.0 / seeds)
            floor = NOISE_FLOOR * self.spread
            spread[moments] = np.maximum(np.nan_to_num(np.sqrt(variance[moments])), floor[moments])
        which, observed = self.layout.statistic_of_entry, np.isfinite(self.observed)
        weights = {name: self.weights[name] * max(int((observed & (which == k)).sum()), 1)
                   for k, name in enumerate(self.layout.names)}
        factor = weighed.shared_factor
        if factor is not None and len(runs) > 3:
            # the shared variance b is read off R runs' means (R - 1 degrees of freedom): its
            # posterior mean given that estimate is (R - 1) / (R - 3) times it
            c = (len(runs) - 1) / (len(runs) - 3)
            factor = factor / (factor + c * (1.0 - factor))
        return replace(weighed, spread=spread, weights=weights, shared_factor=factor)

    def log_likelihood(self, values: np.ndarray) -> np.ndarray:
        """-distance / 2 of each point (``values``: points, seeds, municipalities, statistics):
        the log-likelihood up to a constant where this is :meth:`likelihood_form`'s objective."""
        return -0.5 * self.distance(values)

    @cached_property
    def scale(self) -> np.ndarray:
        """Per entry: sqrt(sigma_k^2 + e_kj^2), the deviation's denominator: e the stated
        standard error, or for statistics that state none the second step's ``weighing_se``
        (0 for territory moments)."""
        if self.observed_se is None and self.weighing_se is None:
            return self.spread
        error = np.zeros_like(self.observed_values) if self.observed_se is None else np.nan_to_num(self.observed_se)
        if self.weighing_se is not None:
            error = error + np.broadcast_to(self.weighing_se, error.shape)  # 0 where errors are stated
        error = np.nan_to_num(self.layout.vector(error))
        return np.sqrt(self.spread ** 2 + np.where(self.layout.moments, 0.0, error) ** 2)

    @classmethod
    def from_pilot(cls, design: CalibrationDesign, pilot: np.ndarray) -> "Objective":
        """Scales from pilot values (points, seeds, municipalities, statistics)."""
        observed = design.observations.municipal_values()
        layout = design.layout
        vectors = layout.vector(pilot).reshape(-1, len(layout.entries))
        which = layout.group_of_entry
        with np.errstate(invalid="ignore"):
            spread = np.nanstd(vectors, axis=0) if len(vectors) > 1 else np.full(vectors.shape[1], np.nan)
        scale = np.empty(len(which))
        for k in range(len(layout.names) * len(layout.periods)):
            s = spread[which == k]
            s = s[np.isfinite(s)]
            scale[which == k] = max(float(np.sqrt(np.mean(s ** 2))) if s.size else 0.0, SCALE_FLOOR)
        return cls(layout, dict(design.statistics), observed, scale, design.observations.municipal_se(),
                   design.observations)

    @property
    def observed(self) -> np.ndarray:
        return self.layout.vector(self.observed_values)

    def simulated(self, values: np.ndarray, rows: np.ndarray | None = None, seeds: np.ndarray | None = None) -> np.ndarray:
        """Mean over seeds of the statistics vectors: (points, entries)."""
        values = values if seeds is None else values[:, seeds]
        with np.errstate(invalid="ignore"):
            return self.layout.vector(values, rows).mean(axis=1)

    def distance(self, values: np.ndarray, rows: np.ndarray | None = None, seeds: np.ndarray | None = None,
                 observed_values: np.ndarray | None = None, drawn: bool = False) -> np.ndarray:
        """Distance of each point; ``rows`` and ``seeds`` resample municipalities and
        replicate seeds (bootstrap), ``observed_values`` replaces the observed statistics
        (``drawn``: a draw of ``drawn_values``, whose moments are taken back by ``moment_shift``).

        With several seeds the squared deviation of the seed mean is corrected for its
        simulation noise: E[(mean - o)^2] = (mu(theta) - o)^2 + var(theta) / S, and var
        depends on theta (fewer migrants, less noise), which would pull the minimum toward
        parameters whose statistics are less noisy. The sample variance over the S seeds,
        divided by S, is subtracted (an unbiased estimate of the noise term).
        """
        observed_values = self.observed_values if observed_values is None else observed_values
        observed = self.layout.vector(observed_values, rows)
        if drawn and self.moment_shift is not None:
            observed = observed - self.moment_shift
        weights = self.entry_weights(observed, rows)
        total = distance(self.simulated(values, rows, seeds), observed, self.scale, weights,
                         noise=self.noise(values, rows, seeds))
        if self.shared_factor is None or rows is not None:
            return total
        return total - self.shared_excess(values, observed, weights, seeds)

    def shared_excess(self, values: np.ndarray, observed: np.ndarray, weights: np.ndarray,
                      seeds: np.ndarray | None = None) -> np.ndarray:
        """Per point, (1 - f_g) W_g (mean_g^2 - its noise) summed over the groups g of
        per-municipality entries: mean_g the weighted mean over the group's entries of the
        deviation of the seeds' mean from ``observed`` over ``scale`` (times ``shared_loading``
        where the entries' errors differ), W_g their weight, f_g
        ``shared_factor`` and the noise the variance over seeds of that mean over S (as
        ``noise`` is for each entry). Taken off ``distance``, it leaves the group's
        shared part weighed f_g times (``weighed_by_residuals``)."""
        vectors = self.layout.vector(values if seeds is None else values[:, seeds])  # (points, S, entries)
        which = self.layout.group_of_entry
        groups = len(self.shared_factor)
        members = [which == g for g in range(groups)]
        total = np.array([weights[m].sum() for m in members])
        with np.errstate(invalid="ignore", divide="ignore"):
            scaled = np.nan_to_num((vectors - observed) / self.scale)  # NaN entries cost their penalty in ``distance``
            if self.shared_loading is not None:
                scaled = scaled * self.shared_loading
            # (points, S, groups); sums, not a matrix product: BLAS's kernels differ between processors
            per_seed = np.stack([(scaled[..., m] * weights[m]).sum(axis=-1) for m in members], axis=-1) \
                / np.where(total > 0, total, 1.0)
            mean = per_seed.mean(axis=1)
            n_seeds = per_seed.shape[1]
            noise = per_seed.var(axis=1, ddof=1) / n_seeds if n_seeds > 1 else 0.0
        return ((1.0 - self.shared_factor) * total * (mean ** 2 - noise)).sum(axis=-1)

    def resampled_distance(self, values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """Distance of each point under one bootstrap draw of the data and of the seeds.

        The data are drawn again as they might have come out, around the observed statistics:

        * another realization of the territory's own randomness: one of ``realizations``
          (deviations of independent runs at the estimate from their mean), so that what
          moves all municipalities together (prices, the context) moves them together here,
          as it did in the one history the data come from;
        * a new measurement error of every observed value at its stated standard error
          (``Observations.measured_again``), or, where the observations state none, of every
          observed statistic at the error its residuals leave (``residual_se``);

        each territory moment of the drawn data taken back by how far such draws move it on
        average (``moment_shift``: both add spread across municipalities to values that
        already carry one history and one error).

        The simulated side's seeds are drawn with replacement (the estimate's own simulation
        noise). Without ``realizations`` municipalities are resampled instead (observed and
        simulated alike), which misses what they share.
        """
        n_muni, n_seeds = values.shape[2], values.shape[1]
        if self.realizations is None or len(self.realizations) < 2:
            rows = rng.integers(0, n_muni, n_muni)
            return self.distance(values, rows, rng.integers(0, n_seeds, n_seeds))
        seeds = rng.integers(0, n_seeds, n_seeds)
        return self.distance(values, seeds=seeds, observed_values=self.drawn_values(rng), drawn=True)

    def noise(self, values: np.ndarray, rows: np.ndarray | None = None, seeds: np.ndarray | None = None):
        """Estimated simulation variance of the seed means (points, entries): the sample
        variance over seeds divided by their number; 0 with one seed."""
        values = values if seeds is None else values[:, seeds]
        vectors = self.layout.vector(values, rows)
        n_seeds = vectors.shape[1]
        if n_seeds < 2:
            return np.zeros((vectors.shape[0], vectors.shape[2]))
        with np.errstate(invalid="ignore", divide="ignore"):
            return vectors.var(axis=1, ddof=1) / n_seeds

    def distance_of_vector(self, simulated: np.ndarray, noise: np.ndarray | float = 0.0) -> float:
        observed = self.observed
        return float(distance(simulated, observed, self.scale, self.entry_weights(observed), noise=noise))

    def entry_weights(self, observed: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Each statistic's weight shared among its observed entries (a per-municipality
        statistic weighs as much in all as a territory moment of the same weight); with
        resampled ``rows`` a municipality counts as often as it was drawn."""
        layout = self.layout
        which = layout.statistic_of_entry
        count = np.ones(len(which))
        if rows is not None:
            times = np.bincount(rows, minlength=len(layout.municipalities)).astype(float)
            index = {m: i for i, m in enumerate(layout.municipalities)}
            count = np.array([times[index[e.municipality]] if e.municipality else 1.0 for e in layout.entries])
        valid = np.isfinite(observed) & (count > 0)
        w = np.zeros(len(which))
        for k, name in enumerate(layout.names):
            mask = (which == k) & valid
            if mask.any():
                w[mask] = self.weights[name] * count[mask] / count[mask].sum()
        return w


def residual_error(observed: np.ndarray, runs: np.ndarray) -> np.ndarray:
    """Per statistic (column of ``observed``, municipalities x statistics), the standard
    deviation of the measurement error that the residuals at the estimate leave beyond the
    model's own randomness, for observations that state no standard errors.

    ``runs`` are R independent runs at the estimate (R, municipalities, statistics; a failed
    run all NaN). An observation is one history of the territory measured with error e, and
    its residual from the runs' mean m is r = o - m. The fitted estimate has absorbed most of
    what moves all municipalities together in that one history (prices, the context), so the
    residuals are compared across municipalities, each side without its own shared part: the
    residuals' variance across the n observed municipalities, S = sum_j (r_j - mean r)^2 /
    (n - 1), has expectation e^2 + b^2 + mean_j u_j (1 + 1 / R_j), with u_j the variance over
    the runs of their deviations from their own mean across municipalities (times n / (n - 1),
    which that mean takes away), R_j the runs that give entry j and b^2 the spread of any
    misfit across municipalities. So e^2 + b^2 = max(S - mean_j u_j (1 + 1 / R_j), 0), over
    the municipalities the observations give: the error is read from the misfit the model's
    randomness does not explain, and a model that does not fit widens the intervals
    (conservative). Known answers: ``tests/test_observation_noise.py``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # statistics no run or no observation gives
        count = np.isfinite(runs).sum(axis=0)  # runs per entry
        residual = observed - np.nanmean(runs, axis=0)
        seen = np.isfinite(residual)
        n = seen.sum(axis=0)
        spread = np.nansum((residual - np.nanmean(residual, axis=0)) ** 2, axis=0) / np.maximum(n - 1, 1)
        own = runs - np.nanmean(runs, axis=1, keepdims=True)  # each run without its shared part
        runs_n = np.isfinite(own).sum(axis=1, keepdims=True)  # a failed run has none: left out of the mean
        own_var = np.nanvar(own, axis=0, ddof=1) * np.nanmean(
            np.where(runs_n > 1, runs_n / np.maximum(runs_n - 1, 1), np.nan), axis=0)
        noise = np.where(seen, own_var * (1.0 + 1.0 / np.maximum(count, 1)), np.nan)
        excess = spread - np.nanmean(noise, axis=0)
    excess = np.where(n >= 2, np.nan_to_num(excess), 0.0)
    return np.sqrt(np.maximum(excess, 0.0))
