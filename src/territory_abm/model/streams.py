"""What a run starts from: its scenario (with the constructor's overrides) and its random
streams, all derived from one seed; and :class:`ReplayedDraws`, a stream's next draws read
ahead without taking them."""

from __future__ import annotations

import copy
import secrets

import numpy as np

from ..errors import InputError
from ..scenarios.loader import REPLACE_CHECKED, Scenario, load_scenario


def resolve_scenario(scenario, seed, steps, households_scale, parameters) -> Scenario:
    """The scenario of a run: loaded from a path if need be, with the constructor's overrides
    (see :class:`TerritoryModel`)."""
    fresh = not isinstance(scenario, Scenario)
    if fresh:
        scenario = load_scenario(scenario)
    if "rng" in parameters:  # Mesa 3's other seed keyword
        raise InputError("TerritoryModel", "rng", "not taken: give seed= (a whole number); the model's random "
                                                  "streams are all derived from it")
    parameters = dict(parameters)
    changes = {key: parameters.pop(key) for key in REPLACE_CHECKED if key in parameters}  # the scenario's own fields
    if seed is not None:
        changes["seed"] = seed
    elif fresh:
        changes["seed"] = secrets.randbits(63)
    if steps is not None:
        changes["steps"] = steps
    if households_scale is not None:
        changes["households_scale"] = households_scale
    if parameters:
        changes["parameters"] = scenario.parameters.with_overrides(parameters, source="TerritoryModel")
    return scenario.checked_replace(changes, "TerritoryModel") if changes else scenario


STREAMS = ("population", "labour", "firms", "clearing", "demography", "migration", "policies", "context",
           "initial_migrants", "enterprises", "land", "unions", "national_programmes")


def random_streams(seed: int) -> dict[str, np.random.Generator]:
    """One generator per source of randomness, all derived from the run's seed.

    Separate streams keep common random numbers across scenarios: a policy that draws
    (e.g. who a programme reaches) does not shift the draws of births, deaths, migration or
    job assignment, so paired differences between scenarios measure the policy, not luck.
    """
    return {name: np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(k,)))
            for k, name in enumerate(STREAMS)}


class ReplayedDraws:
    """The uniforms that a copy of the generator ``rng`` gives from its present state: each
    ``random(size)`` returns its first ``size``, read-only (the draws ``start.firm_plan`` will take
    from the generator, weighed beforehand as often as needed without taking them). Raises if
    ``rng`` has drawn since: the replayed numbers would no longer be the ones it gives next."""

    def __init__(self, rng: np.random.Generator):
        self._source, self._state = rng, rng.bit_generator.state
        self._rng, self._drawn = copy.deepcopy(rng), np.zeros(0)

    def random(self, size: int) -> np.ndarray:
        if self._source.bit_generator.state != self._state:
            raise RuntimeError("the generator drew between the replayed draws and the draws they stand for")
        if size > self._drawn.size:
            self._drawn = np.concatenate([self._drawn, self._rng.random(size - self._drawn.size)])
        view = self._drawn[:size]
        view.flags.writeable = False
        return view
