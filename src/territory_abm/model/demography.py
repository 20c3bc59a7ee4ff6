"""Births, deaths and ageing; households that die out or leave the territory dissolve.

Poorer households have more children: a household's birth rate is the context's rate times
(y / Y)^-e, y its income per person, Y the territory's, e ``fertility_income_elasticity``,
scaled so that the territory's births per person are the context's rate
(:func:`household_birth_rates`)."""

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
        u_death=u_death, u_adult=u_adult,
        birth_rate=household_birth_rates(model.params, context.birth_rate(model), hh.income, hh.members, alive),
        death_rate=context.death_rate(model),
        maturation_rate=model.maturation_rate, cohort_education=cohort, child_schooling=hh.child_schooling,
        n_nodes=n)
    gone = np.flatnonzero(alive & (hh.members <= 0))
    if gone.size:
        dissolve(model, gone, "estates of dissolved households", "municipalities")


def dissolve(model, rows: np.ndarray, item: str, payee: str) -> None:
    """Households ``rows`` leave the model; their assets go to ``payee`` (booked as
    ``item``); their land is sold at the end of the year, ``payee`` paid for it."""
    hh = model.households
    give_up_land(model, rows, payee)  # the land is sold at the year's end and ``payee`` paid for it
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


def household_birth_rates(params, rate: float, income: np.ndarray, members: np.ndarray,
                          alive: np.ndarray) -> np.ndarray:
    """Births per person of each household (1/yr): ``rate`` times (y / Y)^-e normalised so
    that the members of alive households have ``rate`` births per person on average (y income
    per person, at least 1 USD; Y the mean over persons; e ``fertility_income_elasticity``)."""
    persons = np.where(alive, members, 0).astype(float)
    income_pc = np.maximum(income / np.maximum(members, 1), 1.0)
    mean = max(np.sum(income_pc * persons) / max(persons.sum(), 1.0), 1.0)
    weight = (income_pc / mean) ** -params.fertility_income_elasticity
    scale = persons.sum() / max(np.sum(weight * persons), 1e-12)
    return rate * weight * scale
