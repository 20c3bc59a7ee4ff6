"""Births, deaths and ageing; households that die out or leave the territory dissolve."""

from __future__ import annotations

import numpy as np

from . import context
from .environment import give_up_land
from .kernels import demography


def births_and_deaths(model) -> None:
    """Births, deaths and children reaching working age; empty households dissolve."""
    hh, rng, n = model.households, model.streams["demography"], model.n_nodes
    alive = hh.alive
    u_birth, u_death, u_adult = rng.random(hh.n), rng.random(hh.n), rng.random(hh.n)
    cohort = model.cohort_education + model.policies.schooling_gain(np.arange(n))
    model.flows.births, model.flows.deaths = demography(
        alive=alive, members=hh.members, adults=hh.adults, education=hh.education, node=hh.node, u_birth=u_birth,
        u_death=u_death, u_adult=u_adult, birth_rate=context.birth_rate(model), death_rate=context.death_rate(model),
        maturation_rate=model.maturation_rate, cohort_education=cohort, child_schooling=hh.child_schooling,
        n_nodes=n)
    gone = np.flatnonzero(alive & (hh.members <= 0))
    if gone.size:
        dissolve(model, gone, "estates of dissolved households", "municipalities")


def dissolve(model, rows: np.ndarray, item: str, payee: str) -> None:
    """Households ``rows`` leave the model; their assets go to ``payee`` (booked as
    ``item``); their land passes to the node's other landholders at the end of the year."""
    hh = model.households
    give_up_land(model, rows)
    estate = np.bincount(hh.node[rows], hh.assets[rows], minlength=model.n_nodes)
    model.ledger.record("households", payee, item, estate.sum())
    if payee == "municipalities":
        for m in model.active_municipalities():
            m.treasury += estate[m.node]
    hh.assets[rows] = 0.0
    hh.alive[rows] = False
    hh.members[rows] = 0
    hh.adults[rows] = 0
    hh.employed[rows] = 0
