"""Approximate Bayesian computation by sequential Monte Carlo, with pyabc.

pyabc does the inference (prior, perturbation kernels, weights, the acceptance threshold
schedule); this module supplies the distance (``Objective``) and a pyabc sampler that
evaluates candidates in batches on the experiment engine. The sampler makes the result
independent of the engine and resumable: before drawing candidate i of generation t it
seeds NumPy's global generator (which pyabc draws from) with (sampler_seed, t, i). A
batch is proposed once to learn which parameter vectors need runs, those run in parallel
and are stored, and the batch is then proposed again — the same candidates, now with
stored results — and accepted or rejected in candidate order. A restarted calibration
replays the same candidates and finds their runs in the store.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from .design import CalibrationDesign
from .evaluate import Evaluator
from .fit import Fit
from .objective import REALIZATIONS, Objective
from .smm import latin_hypercube


class _NeedsRun(Exception):
    """Raised by the model function during the proposal pass: this vector has no result yet."""

    def __init__(self, theta: np.ndarray):
        super().__init__("needs a run")
        self.theta = theta


def _sampler_class():
    from pyabc.sampler import Sampler

    class BatchSampler(Sampler):
        """Deterministic batches of candidates evaluated on a territory_abm engine."""

        def __init__(self, evaluator: Evaluator, seed: int, batch: int, step: int = 1):
            super().__init__()
            self.evaluator, self.seed, self.batch = evaluator, seed, batch
            self.streams = [] if step == 1 else [step]  # the second step draws other candidates

        def _draw(self, simulate_one, t: int, i: int):
            np.random.seed([self.seed, t + 2, i, *self.streams])
            return simulate_one()

        def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False,
                                    ana_vars=None):
            sample = self._create_empty_sample()
            drawn = 0
            while sample.n_accepted < n and drawn < max_eval:
                candidates = range(drawn, drawn + self.batch)
                needed = []
                for i in candidates:
                    try:
                        self._draw(simulate_one, t, i)
                    except _NeedsRun as need:
                        needed.append(need.theta)
                if needed:
                    self.evaluator.values(np.array(needed))
                for i in candidates:
                    sample.append(self._draw(simulate_one, t, i))
                    drawn += 1
                    if sample.n_accepted >= n:
                        break
            self.nr_evaluations_ = drawn
            if sample.n_accepted < n:
                sample.ok = False
            return sample

    return BatchSampler


def generation_means(history, names: list[str], generations) -> np.ndarray:
    """Each parameter's weighted posterior mean in each generation (rows: parameters)."""
    means = []
    for t in generations:
        frame, weights = history.get_distribution(m=0, t=int(t))
        weights = np.asarray(weights, float)
        means.append(_weighted_mean(frame[names].to_numpy(float), weights / weights.sum()))
    return np.array(means).T


def _kernel_class():
    from pyabc.distance import SCALE_LOG, StochasticKernel

    class LikelihoodKernel(StochasticKernel):
        """The log-likelihood of the observations given a candidate's runs
        (``Objective.log_likelihood`` of ``Objective.likelihood_form``, up to a constant: the
        acceptor divides by the largest it has found)."""

        def __init__(self, objective: Objective):
            super().__init__(ret_scale=SCALE_LOG, pdf_max=0.0)
            self.objective = objective

        def __call__(self, x, x_0, t=None, par=None):
            return float(self.objective.log_likelihood(x["values"][None])[0])

    return LikelihoodKernel


def fit_abc(design: CalibrationDesign, evaluator: Evaluator, batch: int, make_objective=Objective.from_pilot) -> Fit:
    """ABC-SMC in two steps, as SMM's two steps (``smm.fit_smm``): the first on the distance
    ``make_objective(design, pilot values)`` gives, to find where the posterior lies; for a
    territory's observations (an ``Objective``) runs at its mean then give the likelihood of
    the data (``Objective.likelihood_form``: another history of the territory, with the shock
    all municipalities share, and the measurement error, stated or read off the residuals),
    and the second step samples the posterior under it: pyabc's stochastic acceptor
    (Wilkinson 2013, ABC exact under a model of the data's error, doi:10.1515/sagmb-2013-0010)
    accepts a candidate with probability exp(log-likelihood / T), the temperature T falling
    toward 1 (``_temperature``: reached only if ``generations`` allow; above it the posterior
    is tempered, wider than the data say, and the calibration warns). The first step's
    posterior holds the parameters' uncertainty of the seeds' mean only, too narrow for data
    that carry any error (session 30's note); a distance threshold cannot tell how wide it
    should be.

    The second step continues the first's pyabc run (``ABCSMC.load`` on its database, pyabc's
    way to resume a run) with the likelihood kernel, the stochastic acceptor and the
    temperature in place of the distance and its threshold, so it starts from the first step's
    last population rather than from the prior (session 35: from the prior, the log-likelihood
    varied so much over the prior that on the toy calibration of ``tests/test_calibration.py``
    the temperature started at 187 and stayed at 132, and the posterior was almost the prior).
    Why it still samples p(theta) L(theta)^(1/T), the data counted once: every pyabc generation
    proposes theta from K(theta) = sum_j w_j N(theta; theta_j, S), a kernel density estimate
    fitted to the previous generation's weighted particles (``MultivariateNormalTransition``,
    Silverman's bandwidth), drawn again where it falls outside the prior's bounds; the acceptor
    accepts with probability min(1, exp((l(theta) - c) / T)), l the candidate's log-likelihood
    and c the largest found, and pyabc weighs an accepted particle by p(theta) / K(theta) times
    the acceptor's max(1, exp((l - c) / T)) (its correction where l > c). The expected weight
    of a candidate drawn at theta is K(theta) min(1, a) p(theta) / K(theta) max(1, a) =
    p(theta) a with a = exp((l(theta) - c) / T): the weighted population targets the prior
    times the tempered likelihood (E exp(l / T) over the candidate's runs; exact at T = 1)
    whatever K is. The first step's particles only say where candidates are drawn, and K is
    divided out by the weights, so the data they saw do not enter the target a second time;
    the bounds scale K by a constant, which the normalised weights drop. The first
    generation's temperature is pyabc's acceptance-rate rule (30 % accepted) applied to the
    first step's last particles, whose log-likelihoods also give c's first value. Importance
    weights stay tame where K is at least as wide as the target: on the toy the first step's
    last population had stay sd 0.195 and the second step's 0.157, 0.099, 0.092 (effective
    sizes 19, 26, 21 of 30; temperature 7.62 throughout, stay 3.59 [3.45, 3.75] for the truth
    3.5). Where the likelihood's posterior is much wider than the first step's (little data,
    large measurement error at T near 1), K's tails are thin and the effective size falls for a
    generation or two before the populations widen."""
    import pyabc  # checked when the calibration file was read
    logging.getLogger("ABC").setLevel(logging.WARNING)
    opts = design.options
    names = list(design.parameters)
    pilot = latin_hypercube(design, opts["pilot"] * len(names), design.sampler_seed)
    objective = make_objective(design, evaluator.values(pilot, "pilot"))

    def stored(pars) -> np.ndarray:
        """The candidate's stored runs (seeds, municipalities, statistics); in the proposal pass
        of a batch, ``_NeedsRun`` for one not run yet."""
        theta = np.array([pars[n] for n in names], float)
        values = evaluator.cached(theta)
        if values is None:
            raise _NeedsRun(theta)
        return values

    def model(pars):
        values = stored(pars)
        out = {"statistics": objective.simulated(values[None])[0], "noise": objective.noise(values[None])[0]}
        if isinstance(objective, Objective):  # the second step's likelihood weighs the first's last particles too
            out["values"] = values
        return out

    def distance(x, x0):
        return objective.distance_of_vector(x["statistics"], x["noise"])

    with tempfile.TemporaryDirectory(prefix="territory_abm_abc_") as directory:
        # a database file, not pyabc's in-memory one: the second step loads the first's run from it
        return _two_steps(pyabc, design, evaluator, batch, objective, model, distance,
                          f"sqlite:///{Path(directory) / 'abc.db'}")


def _two_steps(pyabc, design: CalibrationDesign, evaluator: Evaluator, batch: int, objective, model, distance,
               database: str) -> Fit:
    """``fit_abc``'s two pyabc runs, the second continuing the first's in ``database``."""
    opts = design.options
    names = list(design.parameters)
    prior = pyabc.Distribution(**{n: pyabc.RV("uniform", lo, hi - lo) for n, (lo, hi) in zip(names, design.bounds)})
    sampler = _sampler_class()(evaluator, design.sampler_seed, batch)
    sampler.show_progress = False
    abc = pyabc.ABCSMC(model, prior, distance, population_size=opts["population_size"], sampler=sampler,
                       eps=pyabc.QuantileEpsilon(alpha=0.5))
    abc.new(database, {"statistics": objective.observed, "noise": np.zeros_like(objective.observed)})
    history = abc.run(minimum_epsilon=opts["min_epsilon"], max_nr_populations=opts["generations"])
    draws, weights, table = _posterior(history, names, step=1)
    estimate = _weighted_mean(draws, weights)
    notes = [f"pyabc {pyabc.__version__} ABC-SMC: {len(table)} generations, final threshold "
             f"{table['epsilon'].iloc[-1]:.4g}, {int(table['evaluations'].sum())} candidates"]
    if not isinstance(objective, Objective):  # patterns: one step
        return Fit("abc_smc", estimate, draws, weights, table, objective, notes)
    runs = evaluator.realizations(estimate, REALIZATIONS)
    likelihood = objective.likelihood_form(runs, len(design.seeds))
    if likelihood is None:  # the runs give no spread: the first step's posterior, its check drawing the data
        objective = objective.with_realizations(runs)
        notes.append("no second step: the runs at the estimate give no covariance across municipalities to weigh "
                     "by (they do not vary, or the statistics are territory moments alone with stated errors)")
        return Fit("abc_smc", estimate, draws, weights, table, objective, notes)

    sampler = _sampler_class()(evaluator, design.sampler_seed, batch, step=2)
    sampler.show_progress = False
    first = history.max_t + 1  # the second step's first generation, proposed from the first step's last
    abc = pyabc.ABCSMC(model, prior, _kernel_class()(likelihood), population_size=opts["population_size"],
                       sampler=sampler, eps=_temperature(first),
                       acceptor=pyabc.StochasticAcceptor())  # normalised by the largest likelihood found
    history = abc.load(database, history.id, {"values": objective.observed_values[None]})
    history = abc.run(max_nr_populations=opts["generations"])
    draws, weights, second = _posterior(history, names, step=2, since=first)
    second = second.rename(columns={"epsilon": "temperature"})
    table = pd.concat([table, second], ignore_index=True)
    estimate = _weighted_mean(draws, weights)
    notes.append(f"second step, candidates accepted by the likelihood of the data (another history from "
                 f"{REALIZATIONS} runs at the first step's mean, measurement error stated or read off the "
                 f"residuals): {len(second)} generations, final temperature {second['temperature'].iloc[-1]:.4g}, "
                 f"{int(second['evaluations'].sum())} candidates")
    noise = likelihood_noise(likelihood, runs, len(design.seeds))
    if noise is not None:
        notes.append(f"the log-likelihood varies over sets of {len(design.seeds)} seeds with sd {noise:.3g} (at the first "
                     "step's mean): at a temperature much below that few candidates are accepted, so more seeds, not "
                     "only more generations, let it fall")
    objective = likelihood.with_realizations(evaluator.realizations(estimate, REALIZATIONS))
    return Fit("abc_smc", estimate, draws, weights, table, objective, notes)


TARGET_ACCEPTANCE = 0.3
"""The second step's temperature falls no faster than keeps this share of candidates accepted
(pyabc's ``AcceptanceRateScheme``) and no faster than an exponential decay that would reach 1
at the last generation (``ExpDecayFixedIterScheme``): the larger of the two, so it is 1 at the
last generation only where this share would still be accepted there (more generations make the
approach gentler, more seeds the log-likelihood less noisy: ``likelihood_noise``). Forced to 1
in one generation from 7.4 instead, the toy calibration of
``tests/test_calibration.py`` accepted 30 of 2,188 candidates (5,634 runs in all against 638 for
the first step alone; session 31)."""


def _temperature(first: int):
    """The second step's temperature schedule, its generations numbered on from ``first``:
    at the first, the temperature at which ``TARGET_ACCEPTANCE`` of the first step's last
    particles would be accepted; then the larger of the two schemes' proposals, the last
    generation's left where that puts it (above 1: the posterior is tempered, wider than the
    data say, and the calibration warns)."""
    from pyabc.epsilon import AcceptanceRateScheme, ExpDecayFixedIterScheme, Temperature

    class Decay(ExpDecayFixedIterScheme):
        """pyabc's exponential decay to 1 at the last generation of this run (pyabc counts a
        continued run's generations on from the loaded ones but passes the run's own number of
        generations), asked for a generation after it as well (pyabc prepares one more; its own
        scheme then divides by zero)."""

        def __call__(self, t, max_nr_populations, **kwargs):
            if max_nr_populations - (t - first) <= 1:
                return 1.0
            return super().__call__(t=t - first, max_nr_populations=max_nr_populations, **kwargs)

    return Temperature(schemes=[AcceptanceRateScheme(target_rate=TARGET_ACCEPTANCE), Decay()],
                       initial_temperature=AcceptanceRateScheme(target_rate=TARGET_ACCEPTANCE),  # pyabc's rule, our rate
                       aggregate_fun=max, enforce_exact_final_temperature=False)


def likelihood_noise(likelihood: Objective, runs: np.ndarray, seeds: int) -> float | None:
    """The standard deviation of ``likelihood``'s log-likelihood over disjoint sets of
    ``seeds`` runs among ``runs`` (independent runs at one vector), None with fewer than two
    sets: how much a candidate's log-likelihood moves with its seeds alone. The stochastic
    acceptor accepts with probability exp((log-likelihood - the largest found) / T), and the
    largest found is that noise's upper tail, so a temperature far below this sd accepts few
    candidates (the example calibration's: 1.68 over sets of 4 seeds, session 31)."""
    sets = len(runs) // seeds
    if sets < 2:
        return None
    values = runs[: sets * seeds].reshape(sets, seeds, *runs.shape[1:])
    noise = float(np.std(likelihood.log_likelihood(values), ddof=1))
    return noise if np.isfinite(noise) else None


def _posterior(history, names: list[str], step: int, since: int = 0) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """The last generation's particles and normalised weights, and one row per generation from
    ``since`` (the step's first): candidates, threshold (or temperature), each parameter's
    posterior mean (whether it had settled: ``report.still_moving``) and the ``step``."""
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    draws = frame[names].to_numpy(float)
    weights = np.asarray(weights, float) / np.sum(weights)
    populations = history.get_all_populations()
    populations = populations[populations["t"] >= since]
    generations = populations["t"].to_numpy(int)
    table = pd.DataFrame({"generation": generations, "evaluations": populations["samples"].to_numpy(int),
                          "epsilon": populations["epsilon"].to_numpy(float)})
    for name, means in zip(names, generation_means(history, names, generations)):
        table[f"mean_{name}"] = means
    table["step"] = step
    return draws, weights, table


def _weighted_mean(draws: np.ndarray, weights: np.ndarray) -> np.ndarray:
    return (draws * weights[:, None]).sum(axis=0)
