"""Context drivers: what moves a territory without any local policy.

Declared in a scenario's ``[context]`` table (registry entries of group ``context``, so that
sensitivity analysis and calibration can treat them as uncertainties): national income
growth and its pass-through to wages and transfers, growth outside the territory, the
dynamic-market price path (trend and shocks), climate shocks, and birth and death rates
over time. With every driver flat (the registry defaults) nothing outside moves.

The random parts of the path (price shocks, shock years) are drawn once at the start from
the run's own ``context`` stream, so every scenario run with the same seed meets the same
context (common random numbers: ``compare`` measures policies, not luck of the context), in
blocks of years so that a shorter run meets the first years of a longer one's. Context
parameters changed during a run (``TerritoryModel.set_parameters``) move the path from the
next year on, with the same random numbers. The drivers set by years since the start (the birth and
death rates' trends, the national transfer's coverage, the returns to schooling's trend) take a
changed value as if it had held since the start.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


def years_since_start(model) -> int:
    """Whole years from the run's start to its current year (0 at the start): what the drivers
    set by years since the start (the trends, the national transfer's coverage) and the path's
    index read."""
    return max(model.year - model.start_year, 0)


class ContextPath(NamedTuple):
    """The context of every year of a run, by years since the start (index 0: the start)."""

    price_index: np.ndarray      # dynamic-market price relative to the start (1)
    climate_loss: np.ndarray     # share of farm output lost to a climate shock (0 in normal years)
    national_index: np.ndarray   # national income per person relative to the start
    outside_index: np.ndarray    # income per person outside the territory relative to the start
    price_deviation: np.ndarray  # the log price's AR(1) deviation from its trend

    def at(self, model) -> int:
        """Index of the model's current year (clipped to the path)."""
        return min(years_since_start(model), len(self.price_index) - 1)


CONTEXT_BLOCK_YEARS = 21
"""The context's random numbers are drawn this many years at a time (the price shocks of the
block's years, then their climate draws), so that a run's first years meet the same context
whatever its horizon (``steps``): a 6-year run is the first 6 years of the 20-year run of its
seed, and a 60-year run continues it. 21 is the path of the shipped 20-year horizon (its start
and 20 years), whose draws are therefore those made before the blocks."""


class ContextDraws(NamedTuple):
    """The random numbers of a context path, by years since the start (index 0: the start)."""

    price_shocks: np.ndarray   # standard normal shocks of the log price's deviation
    climate_draws: np.ndarray  # uniform draws: a climate shock where below its probability


def draw_numbers(years: int, rng: np.random.Generator) -> ContextDraws:
    """The random numbers of ``years`` years after the start, from ``rng`` (the context
    stream), :data:`CONTEXT_BLOCK_YEARS` at a time."""
    blocks = -(-(years + 1) // CONTEXT_BLOCK_YEARS)
    shocks, draws = [], []
    for _ in range(blocks):
        shocks.append(rng.normal(0.0, 1.0, CONTEXT_BLOCK_YEARS))
        draws.append(rng.random(CONTEXT_BLOCK_YEARS))
    return ContextDraws(np.concatenate(shocks)[:years + 1], np.concatenate(draws)[:years + 1])


def path_from(params, draws: ContextDraws, since: int = 0, before: ContextPath | None = None) -> ContextPath:
    """The context path at ``params`` from its random numbers ``draws``.

    Log price: the trend ``market_price_trend`` plus an AR(1) deviation (persistence
    ``market_price_persistence``, yearly shocks of sd ``market_price_volatility``); climate
    shocks: each year with ``climate_shock_probability``, costing ``climate_shock_loss`` of farm
    output; national and outside incomes grow at their rates. The draws are made whatever the
    parameters, so the path's random numbers are the same for every scenario of a seed.

    With ``before`` (the path so far) the years up to ``since`` are kept and the later ones
    continue from year ``since`` at ``params`` (parameters changed during a run: the price's
    deviation goes on from where it stands, the indices grow from their level)."""
    years = len(draws.price_shocks) - 1
    t = np.arange(years + 1)
    deviation = np.zeros(years + 1)  # log price around its trend, AR(1) from 0 at the start
    if before is not None:
        deviation[:since + 1] = before.price_deviation[:since + 1]
    for k in range(since + 1, years + 1):
        deviation[k] = (params.market_price_persistence * deviation[k - 1]
                        + params.market_price_volatility * draws.price_shocks[k])
    # each series goes on from its level in year ``since`` (the start: price 1, indices 1)
    log_price0, national0, outside0 = ((0.0, 1.0, 1.0) if before is None else
                                       (np.log(before.price_index[since]), before.national_index[since],
                                        before.outside_index[since]))
    ahead = t - since
    path = ContextPath(
        price_index=np.exp(log_price0 + params.market_price_trend * ahead + deviation - deviation[since]),
        climate_loss=np.where((draws.climate_draws < params.climate_shock_probability) & (t > 0),
                              params.climate_shock_loss, 0.0),
        national_index=national0 * (1.0 + params.national_income_growth) ** ahead,
        outside_index=outside0 * (1.0 + params.outside_income_growth) ** ahead,
        price_deviation=deviation)
    if before is not None:  # the years simulated keep their path as it was
        for field in ("price_index", "climate_loss", "national_index", "outside_index"):
            getattr(path, field)[:since + 1] = getattr(before, field)[:since + 1]
    return path


def draw_path(params, years: int, rng: np.random.Generator) -> tuple[ContextPath, ContextDraws]:
    """The context path for ``years`` years after the start from ``rng`` (the context stream),
    and its random numbers (:func:`draw_numbers`, :func:`path_from`)."""
    draws = draw_numbers(years, rng)
    return path_from(params, draws), draws


def birth_rate(model) -> float:
    """This year's births per person (1/yr)."""
    p = model.params
    return max(p.birth_rate + p.birth_rate_trend * years_since_start(model), 0.0)


def death_rate(model) -> float:
    """This year's deaths per person (1/yr)."""
    p = model.params
    return max(p.death_rate + p.death_rate_trend * years_since_start(model), 0.0)


def national_transfer_pc(model) -> float:
    """This year's national transfer per person (USD/yr): the parameter grown with national
    income times ``transfer_pass_through``."""
    p, path = model.params, model.context
    growth = path.national_index[path.at(model)] ** p.transfer_pass_through
    return p.national_transfer_pc * growth


def education_return(model) -> float:
    """This year's wage premium per year of schooling: ``education_return`` moved by
    ``education_return_trend`` a year since the start (at least 0; at the start the parameter)."""
    p = model.params
    return max(p.education_return + p.education_return_trend * years_since_start(model), 0.0)


def national_cct_coverage(model) -> float:
    """This year's coverage of the national conditional cash transfer: the share of the
    territory's households with children it reaches, ``national_cct_coverage_growth`` a year
    since the start, at most ``national_cct_coverage_max`` (none at the start, whose incomes
    hold what programmes paid before it)."""
    p = model.params
    return min(p.national_cct_coverage_growth * years_since_start(model), p.national_cct_coverage_max)


def national_cct_amount(model) -> float:
    """This year's national conditional cash transfer per beneficiary household (USD/yr): the
    parameter grown with national income times ``transfer_pass_through``."""
    p, path = model.params, model.context
    return p.national_cct_amount * path.national_index[path.at(model)] ** p.transfer_pass_through


def national_cash_transfers(model) -> np.ndarray:
    """This year's national conditional cash transfer (USD per household; zeros where there is
    none): the poorest ``national_cct_coverage`` of the territory's households with children by
    proxy means test are offered ``national_cct_amount``, and those that meet its school
    condition are paid (``scenarios.levers.meet_school_condition``). In each year it runs, every
    alive household without a value of a child's time is given one first, from the run's own
    ``national_programmes`` stream in row order: the households of the start all draw theirs in
    its first year, before any policy, so a policy run and its reference share them (a scenario's
    conditional transfer then draws none for them), and the programme's draws part between the
    two runs only as their populations do. The money comes from the national government (ledger
    item "national cash transfers", and the year's ``flows.national_cash_transfers`` by node); it
    is context, not a policy of the scenario: no policy's cost, and its households are not counted
    as any programme's beneficiaries."""
    from ..scenarios.levers import lognormal_costs, meet_school_condition, poorest_with_children

    hh = model.households
    paid = np.zeros(hh.n)
    coverage, amount = national_cct_coverage(model), national_cct_amount(model)
    if coverage <= 0 or amount <= 0:
        return paid
    unset = np.flatnonzero(hh.alive & (hh.child_time_value <= 0))
    hh.child_time_value[unset] = lognormal_costs(model, model.params.child_work_value, unset, "national_programmes")
    offered = poorest_with_children(hh, hh.alive & model.populated[hh.node], coverage)
    chosen = meet_school_condition(model, offered, amount, stream="national_programmes")
    paid[chosen] = amount
    model.ledger.record("government", "households", "national cash transfers", amount * chosen.size)
    # by node for the yearly outcome, from the paid rows alone (in row order, as a sum over all rows adds them)
    model.flows.national_cash_transfers = np.bincount(hh.node[chosen], paid[chosen], minlength=model.n_nodes)
    return paid


def minimum_wage(model) -> float:
    """This year's minimum wage (USD/yr), grown with national income."""
    return model.params.minimum_wage * model.context.national_index[model.context.at(model)]


def wage_drift(model) -> float:
    """Proportional change of posted wages this year passed on from national growth."""
    p = model.params
    return (1.0 + p.national_income_growth) ** p.wage_pass_through - 1.0


def productivity_drift(model) -> float:
    """Proportional change of the firms' productivity this year passed on from national growth."""
    p = model.params
    return (1.0 + p.national_income_growth) ** p.productivity_pass_through - 1.0


def pass_on_productivity(model) -> None:
    """National growth raises the productivity of the territory's producers by
    ``productivity_drift`` a year: the firms' TFP and the typical entrant's, the estates'
    productivity (from which the land market re-derives their TFP each year, ``land_market.rent``),
    the farms' TFP and a settler's, and the household enterprises' scale and sales outside the
    territory at the same capital (their TFP). Without growth the factor is 1.0, which leaves
    every value as it is."""
    growth = 1.0 + productivity_drift(model)
    ft, hh = model.firm_table, model.households
    ft.tfp = ft.tfp * growth
    model.entrant_tfp = model.entrant_tfp * growth
    model.estates.productivity = model.estates.productivity * growth
    hh.tfp = hh.tfp * growth
    model.settler_tfp = model.settler_tfp * growth
    hh.enterprise_scale = hh.enterprise_scale * growth
    hh.enterprise_outside = hh.enterprise_outside * growth
    if model.outside_held is not None:
        model.outside_held = model.outside_held * growth
        model.outside_waiting = model.outside_waiting * growth
        model.outside_for_entrants = model.outside_for_entrants * growth


def external_income_pc(model) -> float:
    """This year's income per person outside the territory (USD/yr)."""
    return model.params.external_income_pc * model.context.outside_index[model.context.at(model)]


def market_price(model) -> float:
    """This year's dynamic-market price (USD per unit of output)."""
    return model.params.dynamic_market_price * model.context.price_index[model.context.at(model)]


def farm_output_factor(model) -> float:
    """Share of farm output a climate shock leaves this year (1 in normal years)."""
    return 1.0 - model.context.climate_loss[model.context.at(model)]
