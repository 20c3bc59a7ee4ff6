"""Births, deaths and ageing; households that die out or leave the territory dissolve.

The territory's births per person are the context's rate. They go first to the households
that lost members (deaths, members who left) below their usual size, the size they had at
the start or when they formed, in proportion to the members they lack: births replace
losses, so each household keeps its size and the start's sizes by income, which the data
give, are the ones the demography keeps (:func:`household_births`). Births beyond what
replaces the losses (a growing population) fall more on poorer households: a household's
share of them goes as its members times (y / Y)^-e, y its income per person, Y the
territory's, e ``fertility_income_elasticity`` (:func:`household_birth_rates`).

Children reach working age with their node's cohort schooling plus their household's
schooling gap, its adults' schooling above the node's mean at the start (``schooling_gap``):
schooling persists across generations, so the start's schooling by income is the one the
demography keeps (before, every new adult had the node's mean, and the schooling of the
richest fifth fell 0.1 years in 20 years while the poorest fifth's rose as much)."""

from __future__ import annotations

import numpy as np

from . import context
from .environment import give_up_land
from .demography_kernels import adult_schooling, income_per_person, lacking_members, scaled_weights, share_births
from .kernels import demography


def births_and_deaths(model) -> None:
    """Births, deaths and children reaching working age; empty households dissolve."""
    hh, rng, n = model.households, model.streams["demography"], model.n_nodes
    alive = hh.alive
    # a draw for the dying workers' jobs only where they open (at ``death_job_share`` 0 the stream
    # gives the draws of the rule up to session 46)
    frees = model.params.death_job_share > 0
    u_birth, u_death, u_adult, *rest = hh.uniforms(rng, 4 if frees else 3)
    u_job = rest[0] if frees else np.zeros(hh.n)
    cohort = model.cohort_education + model.policies.schooling_gain(np.arange(n))
    # children reach their node's cohort schooling plus their household's place in it, and
    # what a conditional transfer bought them
    schooling = adult_schooling(cohort=cohort, node=hh.node, schooling_gap=hh.schooling_gap,
                                child_schooling=hh.child_schooling)
    model.flows.births, model.flows.deaths = demography(
        alive=alive, members=hh.members, adults=hh.adults, education=hh.education, employed=hh.employed,
        node=hh.node, u_birth=u_birth, u_death=u_death, u_adult=u_adult, u_job=u_job,
        birth_rate=household_births(model.params, context.birth_rate(model), hh, model.city_nodes)
        / np.maximum(hh.members, 1),
        death_rate=context.death_rate(model),
        maturation_rate=model.maturation_rate, adult_schooling=schooling,
        death_job_share=model.params.death_job_share, n_nodes=n)
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


def household_births(params, rate: float, hh, city: np.ndarray | None = None) -> np.ndarray:
    """Expected births of each household this year (persons): the territory's ``rate`` times
    its persons, shared first among the alive households below their usual size in
    proportion to the members they lack (at most what they lack), and what is left beyond
    that by :func:`household_birth_rates` (more to poorer households).

    With ``city_birth_ratio`` other than 1 and ``city`` (per node: an intermediate city) given,
    the cities' households have that ratio times the rural municipalities' births per person,
    the two rates set so that the territory's births stay ``rate`` times its persons, and each
    kind shares its own births as above."""
    if city is None or params.city_birth_ratio == 1.0:
        return _births_among(params, rate, hh, hh.alive)
    return sum(_births_among(params, kind_rate, hh, among) for among, kind_rate in kind_birth_rates(params, rate, hh, city))


def kind_birth_rates(params, rate: float, hh, city: np.ndarray) -> tuple[tuple[np.ndarray, float], ...]:
    """The rural municipalities' and the intermediate cities' births per person (1/yr), each
    with the alive households it applies to: the cities' ``city_birth_ratio`` times the rural
    rate, the two set so that the territory's births are ``rate`` times its persons. Shared by
    the year's births (:func:`household_births`) and the start's ages (``start.maturation_rate``)
    so that the start ages children at the births the run gives."""
    ratio = params.city_birth_ratio
    in_city = city[hh.node] & hh.alive
    in_rural = hh.alive & ~in_city
    persons_city, persons_rural = float(hh.members[in_city].sum()), float(hh.members[in_rural].sum())
    rural_rate = rate * (persons_city + persons_rural) / max(persons_rural + ratio * persons_city, 1e-12)
    return (in_rural, rural_rate), (in_city, ratio * rural_rate)


def _births_among(params, rate: float, hh, alive: np.ndarray) -> np.ndarray:
    """:func:`household_births` over the households ``alive`` marks (0 for the others)."""
    need = lacking_members(members=hh.members, usual_size=hh.usual_size, alive=alive)
    lack, lacking = need.lack, need.lacking
    total = rate * need.persons
    if lacking >= total:
        return lack * (total / lacking) if lacking > 0 else lack
    rates = household_birth_rates(params, 1.0, hh.income, hh.members, alive, ids=hh.id, ever=hh.ever)
    return share_births(lack=lack, rates=rates, members=hh.members, alive=alive, extra=total - lacking, ids=hh.id,
                        ever=hh.ever)


def household_birth_rates(params, rate: float, income: np.ndarray, members: np.ndarray,
                          alive: np.ndarray, ids: np.ndarray | None = None, ever: int | None = None) -> np.ndarray:
    """Births per person of each household (1/yr) if births were shared by income only:
    ``rate`` times (y / Y)^-e normalised so
    that the members of alive households have ``rate`` births per person on average (y income
    per person, at least 1 USD; Y the mean over persons; e ``fertility_income_elasticity``).
    Sums of a value per household are numpy's over the rows of a run never compacted
    (``ids`` and ``ever`` of a population's rows, ``HouseholdPopulation.total``; default: the
    rows given are all there are)."""
    if ids is None:
        ids, ever = np.zeros(0, np.int64), len(income)
    shares = income_per_person(income=income, members=members, alive=alive, ids=ids, ever=ever)
    mean = max(shares.income / max(shares.persons, 1.0), 1.0)
    weight = (shares.income_pc / mean) ** -params.fertility_income_elasticity
    return scaled_weights(weight=weight, members=members, alive=alive, persons=shares.persons, rate=rate, ids=ids,
                          ever=ever)
