"""What a run starts from: its scenario (with the constructor's overrides) and its random
streams, all derived from one seed."""

from __future__ import annotations

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
           "initial_migrants", "enterprises", "land")


def random_streams(seed: int) -> dict[str, np.random.Generator]:
    """One generator per source of randomness, all derived from the run's seed.

    Separate streams keep common random numbers across scenarios: a policy that draws
    (e.g. who a programme reaches) does not shift the draws of births, deaths, migration or
    job assignment, so paired differences between scenarios measure the policy, not luck.
    """
    return {name: np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(k,)))
            for k, name in enumerate(STREAMS)}
