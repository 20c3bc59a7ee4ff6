"""Compiled loops (numba) for the household rules and statistics that arrays express only
as many passes over all households.

Each kernel is a plain function of arrays, deterministic (random draws come in as arrays
drawn by the model's generators), compiled once and cached on disk (``cache=True``).
Kernels add in row order, so sums can differ from numpy's pairwise sums in the last bits.

Public kernels are declared with :func:`kernel`: they are called with keyword arguments
only (so two arrays of the same shape cannot be swapped silently) and return a named tuple
where they return more than one thing. The compiled function is ``KERNEL.compiled``
(positional, for other compiled code). Helpers used inside kernels are plain ``njit``.
Division by zero follows numpy, not Python (:data:`ERROR_MODEL`).
Units: persons, USD/yr, ha; ``farm_revenue_at_one_worker`` is a household's farm revenue
per unit of labour^b (USD/yr), i.e. its revenue with one worker on the farm.
"""

from __future__ import annotations

import functools
import inspect
from typing import NamedTuple

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core.extending import intrinsic


ERROR_MODEL = "numpy"
"""numba's ``error_model`` of the compiled kernels and their helpers: a division by zero gives
inf or nan, as in the numpy rules the kernels replace, where numba's default (``"python"``)
raises ZeroDivisionError. The check for a zero divisor costs a branch at every division of a
loop (about a fifth of ``labour_kernels.seek_work``'s time and a third of :func:`demography`'s
at 10^5 households); where no divisor is zero the results are the same, to the bit."""


def kernel(result: type | None = None):
    """Compile a function of arrays with numba and expose it keyword-only.

    Parameters
    ----------
    result : NamedTuple class, optional
        The kernel's tuple result (or the rows of its 2-D result) is returned as this
        named tuple.
    """
    def wrap(fn):
        compiled = njit(cache=True, error_model=ERROR_MODEL)(fn)
        signature = inspect.signature(fn)
        names = tuple(signature.parameters)
        expected = frozenset(names)

        @functools.wraps(fn)
        def call(**arguments):
            if arguments.keys() != expected:
                missing = [name for name in names if name not in arguments]
                unknown = sorted(set(arguments) - set(names))
                raise TypeError(f"{fn.__name__}(): missing keyword arguments {missing}" if missing
                                else f"{fn.__name__}(): unexpected keyword arguments {unknown}")
            # numba's dispatcher puts the keywords in the function's order itself (in C): the
            # same positional call as listing them here, at half the wrapper's cost
            out = compiled(**arguments)
            return out if result is None else result._make(out)

        call.__signature__ = signature.replace(parameters=[
            q.replace(kind=inspect.Parameter.KEYWORD_ONLY) for q in signature.parameters.values()])
        call.compiled = compiled
        return call
    return wrap


CLEARING_WISH_CAP = 2.0
"""A household wishes to clear at most this many times ``clearing_propensity`` (ha/yr) however
much clearing pays (an assumption; see ``clearing_wish``)."""
WAGE_FLOOR = 1e-9
"""Wages (USD/yr) below this count as this in ratios (no division by zero)."""


class HouseholdTotals(NamedTuple):
    """Sums over alive households by node."""

    persons: np.ndarray             # residents (persons)
    households: np.ndarray          # households
    adults: np.ndarray              # working-age adults (persons)
    income: np.ndarray              # total income (USD/yr)
    schooling: np.ndarray           # adult-years of schooling (adults x years)
    poor_persons: np.ndarray        # persons below the poverty line
    poverty_gap: np.ndarray         # person-weighted shortfalls as shares of the line (persons)
    farm_workers: np.ndarray        # adults of farming households not in wage jobs (persons)
    without_livelihood: np.ndarray  # persons of households with adults but no farm, job, enterprise or estate
    income_pc: np.ndarray           # (households,) income per person (members, at least 1) of every row (USD/yr)


class LabourIncomes(NamedTuple):
    wage_income: np.ndarray         # (households,) wages net of commuting (USD/yr)
    farm_income: np.ndarray         # (households,) farm sales (USD/yr)
    farm_sales: float               # total farm sales (USD/yr)


class DemographyFlows(NamedTuple):
    births_by_node: np.ndarray      # persons/yr
    deaths_by_node: np.ndarray      # persons/yr


class Receipts(NamedTuple):
    other_income: np.ndarray        # (households,) local public spending received (USD/yr)
    net_remittances: np.ndarray     # (households,) remittances received minus sent (USD/yr)
    income: np.ndarray              # (households,) total income (USD/yr)
    remittances_by_node: np.ndarray  # (n_nodes,) positive net remittances received (USD/yr)
    internal_remittances: float     # paid between households of the territory (USD/yr)
    remittances_from_abroad: float  # received from migrants outside the territory (USD/yr)


class Clearing(NamedTuple):
    cleared_by_node: np.ndarray     # forest cleared (ha/yr)
    fines_by_node: np.ndarray       # fines paid (USD/yr)
    costs_by_node: np.ndarray       # clearing costs paid (USD/yr)

@kernel(HouseholdTotals)
def node_household_totals(node, alive, members, adults, employed, income, education, tfp, enterprise_capital, owner,
                          poverty_line, n_nodes):
    """Sums over alive households by node, in one pass (rows: persons, households, adults,
    income USD/yr, adult-years of schooling, poor persons, person-weighted poverty gaps
    as shares of the line, adults of farming households not in wage jobs, persons of
    households with adults but no livelihood of their own: no farm, wage job, enterprise
    (``enterprise_capital``) or estate (``owner``), ``enterprises.without_livelihood``). A household farms
    where its farm TFP ``tfp`` is above 0, on its land or a garden plot (before, where it held
    land: a landless garden-plot farmer that bought 25 m^2 in the year's land sale started to
    count, and ``farm_workers`` rose 21 % in year 1 of a stationary run). Also returns each
    row's income per person, income over members (at least 1), as
    ``distribution_kernels.household_distributions`` takes it."""
    out = np.zeros((9, n_nodes))
    n = node.shape[0]
    per_person = np.empty(n)
    i = 0
    while i < n:  # a run of one node's rows: its sums in registers (the same additions in row order)
        if not alive[i]:  # rows not alive are passed over (their node is not read)
            per_person[i] = income[i] / max(float(members[i]), 1.0)
            i += 1
            continue
        g = node[i]
        s0, s1, s2, s3, s4, s5, s6, s7, s8 = out[0, g], out[1, g], out[2, g], out[3, g], out[4, g], out[5, g], \
            out[6, g], out[7, g], out[8, g]
        while i < n and (not alive[i] or node[i] == g):
            persons = float(members[i])
            income_pc = income[i] / max(persons, 1.0)
            per_person[i] = income_pc
            if alive[i]:
                grown = float(adults[i])
                s0 += persons
                s1 += 1.0
                s2 += grown
                s3 += income[i]
                s4 += education[i] * grown
                # the poor's terms chosen, not branched to (a branch on being poor, unpredictable,
                # cost 2/3 of the pass); the others add 0.0 (the line is positive), which leaves the
                # non-negative sums as they are; so for the farm workers (their sum is never -0.0)
                poor = income_pc < poverty_line
                s5 += persons if poor else 0.0
                s6 += persons * (poverty_line - income_pc if poor else 0.0) / poverty_line
                s7 += grown - employed[i] if tfp[i] > 0 else 0.0
                s8 += persons if (adults[i] > 0 and tfp[i] <= 0 and employed[i] <= 0 and enterprise_capital[i] <= 0
                                  and not owner[i]) else 0.0
            i += 1
        out[0, g], out[1, g], out[2, g], out[3, g], out[4, g], out[5, g], out[6, g], out[7, g], out[8, g] = \
            s0, s1, s2, s3, s4, s5, s6, s7, s8
    return out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7], out[8], per_person


@njit(cache=True, error_model=ERROR_MODEL)
def _farm_workers_wanted(revenue_at_one_worker, wage, labour_elasticity, thresholds, most):
    """Family workers a farm wants at ``wage``, rounded and capped at ``most`` (persons): the
    largest k <= most with b P / w >= thresholds[k - 1] = (k - 1/2)^(1 - b), i.e.
    round((b P / w)^(1 / (1 - b))) without a power per household; ``most`` where no wage is
    on offer. The thresholds rise with k (0 < b < 1; the enterprises' (k + 1/2)^(1 - e) as
    well), so k is how many of the first ``most`` the ratio reaches: counted over all of them
    (a dozen) rather than by a loop that stops at the first it misses, whose exit the
    processor mispredicts (a sixth of ``labour_kernels.seek_work``'s time at the example's
    scale)."""
    if wage <= 0:
        return most
    ratio = labour_elasticity * revenue_at_one_worker / max(wage, WAGE_FLOOR)
    k = 0
    for t in range(thresholds.shape[0]):
        k += (t < most) & (ratio >= thresholds[t])
    return k


@njit(cache=True, error_model=ERROR_MODEL)
def _staying_workers(employed, adults, revenue, best_wage, labour_elasticity, thresholds, in_enterprise):
    """Last year's workers of a household who keep seeking wage work: those the farm does not
    want back at the ``best_wage``; in a household ``in_enterprise`` all of them while a wage
    is on offer."""
    if in_enterprise:
        return min(employed, adults) if best_wage > 0 else 0
    return min(employed, adults - _farm_workers_wanted(revenue, best_wage, labour_elasticity, thresholds, adults))


@kernel(LabourIncomes)
def labour_incomes(skill_units, skill_units_by_node, net_wage_bill_by_node, adults, alive, jobs,
                   farm_revenue_at_one_worker, family_labour_power, node):
    """Wage income (each home node's wage bill net of commuting, ``net_wage_bill_by_node``,
    shared by skill units) and farm income (``farm_revenue_at_one_worker`` times family
    labour^b, from the table ``family_labour_power[k] = k^b``) per household (USD/yr), and total farm income."""
    n = skill_units.shape[0]
    wage_income = np.empty(n)
    farm_income = np.empty(n)
    total_farm = 0.0
    for i in range(n):
        g = node[i]
        # each income is computed and kept or not (a select, not a jump: which households
        # earn wages or farm follows no pattern a processor predicts; a third of the time)
        wage = net_wage_bill_by_node[g] * skill_units[i] / skill_units_by_node[g]
        wage_income[i] = wage if skill_units[i] > 0 and skill_units_by_node[g] > 0 else 0.0
        labour = (adults[i] if alive[i] else 0) - jobs[i]
        farm = farm_revenue_at_one_worker[i] * family_labour_power[max(labour, 0)]
        farm_income[i] = farm if labour > 0 else 0.0
        if labour > 0:
            total_farm += farm
    return wage_income, farm_income, total_farm


@njit(cache=True, error_model=ERROR_MODEL)
def _round_half_even(x):
    r = np.floor(x)
    rest = x - r
    if rest > 0.5 or (rest == 0.5 and r % 2 == 1):
        r += 1.0
    return r


@kernel(DemographyFlows)
def demography(alive, members, adults, education, employed, node, u_birth, u_death, u_adult, u_job, birth_rate,
               death_rate, maturation_rate, adult_schooling, death_job_share, n_nodes):
    """Births, deaths and children reaching working age, in place on ``members``,
    ``adults``, ``education`` and ``employed``; returns births and deaths by node (persons).

    Births are each household's yearly rate (``birth_rate``, by household) times its size,
    deaths the yearly rate times its size, rounded stochastically
    with the uniform draws ``u_birth`` and ``u_death``; deaths fall on adults in
    proportion to their share. Children reach working age at their node's ``maturation_rate`` a year
    (draws ``u_adult``) with the household's ``adult_schooling`` (years), which enters the
    household's mean. A household left with children only has its eldest count as adult.

    The d adults who die of a household's a, e of whom held wage jobs (at most a), held d e / a
    of them in expectation (each adult alike); ``death_job_share`` of those open to the next
    year's seekers, rounded stochastically with ``u_job`` (one death, nearly every case: a draw
    of chance e / a times the share; all adults dying: all e jobs at share 1), and the household
    keeps the rest. At ``death_job_share`` 0 (the rule up to session 46) the household keeps every
    job, beyond its adults until the next year's labour market if so (``labour.seekers``).
    """
    births_by_node = np.zeros(n_nodes)
    deaths_by_node = np.zeros(n_nodes)
    run = -1  # the node sums of a run of one node's rows in registers (the same additions in row order)
    born = died = 0.0
    for i in range(members.shape[0]):
        if not alive[i]:
            continue
        if node[i] != run:
            if run >= 0:
                births_by_node[run], deaths_by_node[run] = born, died
            run = node[i]
            born, died = births_by_node[run], deaths_by_node[run]
        m = members[i]
        a = adults[i]
        births = int(np.floor(birth_rate[i] * m + u_birth[i]))
        deaths = min(int(np.floor(death_rate * m + u_death[i])), m)
        adult_deaths = min(int(_round_half_even(min(deaths * a / max(m, 1), a))), a)
        child_deaths = min(deaths - adult_deaths, m - a)
        children = m - a - child_deaths + births
        new_adults = min(int(np.floor(maturation_rate[node[i]] * children + u_adult[i])), children)
        if adult_deaths > 0 and death_job_share > 0.0:
            held = min(employed[i], a)
            lost = int(np.floor(death_job_share * adult_deaths * held / a + u_job[i]))
            employed[i] = held - min(lost, held, adult_deaths)
        old_adults = a - adult_deaths
        grown = old_adults + new_adults
        if grown > 0:
            education[i] = (education[i] * old_adults + adult_schooling[i] * new_adults) / grown
        members[i] = m + births - adult_deaths - child_deaths
        adults[i] = 1 if grown == 0 and members[i] > 0 else grown
        born += births
        died += adult_deaths + child_deaths
    if run >= 0:
        births_by_node[run], deaths_by_node[run] = born, died
    return births_by_node, deaths_by_node


@njit(cache=True, error_model=ERROR_MODEL)
def _alive_node_sums(node, alive, values, offset, out):
    """Adds ``values[i] + offset`` of every alive row to ``out[node[i]]`` in row order, the sum
    of a run of one node's rows kept in a register (households come mostly in such runs): the
    same additions, in the same order, as a row-by-row sum through memory."""
    n = node.shape[0]
    i = 0
    while i < n:
        if not alive[i]:
            i += 1
            continue
        g = node[i]
        total = out[g]
        while i < n and (not alive[i] or node[i] == g):
            if alive[i]:
                total += values[i] + offset
            i += 1
        out[g] = total


@kernel(Receipts)
def household_receipts(alive, adults, node, public_local, remits_to, ids, farm_income, wage_income,
                       enterprise_income, transfer_income, migrants_abroad, remittance_propensity, remittance_abroad,
                       n_nodes):
    """Local public spending (each node's ``public_local`` shared per adult), remittances
    (internal migrant households pay a share of their earnings to the origin household, the
    ``remits_to`` id among the rows' ``ids`` (ascending), while both live; each migrant abroad
    sends ``remittance_abroad``, USD/yr) and total income per household (USD/yr). Returns (other income, net remittances, income,
    remittances received by node, internal remittances paid, remittances from abroad)."""
    n = node.shape[0]
    node_adults = np.zeros(n_nodes)
    _alive_node_sums(node, alive, adults, 0.0, node_adults)
    other = np.zeros(n)
    sent = np.zeros(n)
    received = np.zeros(n)
    internal = 0.0
    uncompacted = n == 0 or ids[n - 1] == n - 1  # ascending ids 0 .. n - 1: each id is its row
    for i in range(n):
        if not alive[i]:
            continue
        g = node[i]
        if node_adults[g] > 0:
            other[i] = public_local[g] * adults[i] / node_adults[g]
        tie = remits_to[i]
        if tie < 0:
            continue
        # the origin's row (a row no longer kept: not alive)
        origin = tie if uncompacted else np.searchsorted(ids, tie)
        if origin < n and ids[origin] == tie and alive[origin]:
            paid = remittance_propensity * (farm_income[i] + wage_income[i])
            sent[i] = paid
            received[origin] += paid
            internal += paid
    remit = np.zeros(n)
    income = np.zeros(n)
    remit_by_node = np.zeros(n_nodes)
    abroad_total = 0.0
    run = -1  # a run of one node's rows: its sum in a register (the same additions in row order)
    run_remit = 0.0
    for i in range(n):
        abroad = remittance_abroad * migrants_abroad[i] if alive[i] else 0.0
        abroad_total += abroad
        r = -sent[i] + received[i] + abroad
        remit[i] = r
        if node[i] != run:
            if run >= 0:
                remit_by_node[run] = run_remit
            run, run_remit = node[i], remit_by_node[node[i]]
        # the positive ones by node: 0.0 added for the others, which leaves the sum (never -0.0) as
        # it is, instead of a jump the processor mispredicts (who receives remittances follows no order)
        run_remit += r if r > 0 else 0.0
        income[i] = farm_income[i] + wage_income[i] + enterprise_income[i] + transfer_income[i] + r + other[i]
    if run >= 0:
        remit_by_node[run] = run_remit
    return other, remit, income, remit_by_node, internal, abroad_total


@njit(cache=True, error_model=ERROR_MODEL)
def _consumption(income, cash, members, subsistence_pc, consumption_share):
    """Consumption of one household (USD/yr): subsistence first (from savings if needed),
    then a share of the income above it, never more than the cash on hand."""
    need = subsistence_pc * members
    target = need + consumption_share * max(income - need, 0.0)
    return min(max(target, 0.0), max(cash, 0.0))


@kernel()
def consumption(income, cash, members, subsistence_pc, consumption_share):
    """Consumption of each household (USD/yr) by the rule of ``_consumption``."""
    spend = np.empty(income.shape[0])
    for i in range(income.shape[0]):
        spend[i] = _consumption(income[i], cash[i], members[i], subsistence_pc, consumption_share)
    return spend


@kernel()
def clearing_wish(farm_income, land, alive, adults, employed, assets, node, enforcement, time_cost, land_elasticity,
                  horizon, clearing_cost, fine, propensity, hurdle):
    """Forest each household would clear this year (ha): ``propensity`` times the excess
    of the expected gain of a hectare (the marginal farm income, ``land_elasticity`` times
    income per ha, over ``horizon`` years) over its cost times its node's ``hurdle`` (the
    gain a hectare must bring per USD of cost before anyone clears; 1: whenever it pays),
    capped at twice the propensity.
    The cost of a hectare is the money paid (``clearing_cost``: tools, fuel, hired help),
    the family's time (``time_cost`` by node: the person-years a hectare takes times the
    wage they could expect) and the expected fine. Only households with family labour on
    the farm clear, and no more than their assets pay for (USD)."""
    n = node.shape[0]
    want = np.zeros(n)
    for i in range(n):
        if not alive[i] or adults[i] <= employed[i]:
            continue
        want[i] = _wish(farm_income[i], land[i], assets[i], time_cost[node[i]], enforcement[node[i]], hurdle[node[i]],
                        land_elasticity, horizon, clearing_cost, fine, propensity)
    return want


@njit(cache=True, error_model=ERROR_MODEL)
def _wish(farm_income, land, assets, time_cost, enforcement, hurdle, land_elasticity, horizon, clearing_cost, fine,
          propensity):
    """One household's wish to clear (ha), :func:`clearing_wish`'s rule."""
    gain = land_elasticity * farm_income / max(land, 1.0) * horizon
    cost = clearing_cost + time_cost + enforcement * fine
    want = propensity * min(max(gain / (hurdle * cost) - 1.0, 0.0), CLEARING_WISH_CAP)
    if clearing_cost > 0:
        want = min(want, assets / clearing_cost)
    return want


@kernel()
def clearing_wish_by_node(farm_income, land, alive, adults, employed, assets, node, enforcement, time_cost,
                          land_elasticity, horizon, clearing_cost, fine, propensity, hurdle, n_nodes):
    """:func:`clearing_wish`'s wishes summed by node (ha), in row order as
    ``bincount(node, clearing_wish(...))`` sums them (the households that wish nothing add
    nothing), without the array of wishes: the start's search for the clearing hurdle
    (``environment.frontier_hurdle``) sums them at fifty hurdles."""
    out = np.zeros(n_nodes)
    for i in range(node.shape[0]):
        if not alive[i] or adults[i] <= employed[i]:
            continue
        g = node[i]
        out[g] += _wish(farm_income[i], land[i], assets[i], time_cost[g], enforcement[g], hurdle[g], land_elasticity,
                        horizon, clearing_cost, fine, propensity)
    return out


@kernel(Clearing)
def clear_forest(want, forest, u_caught, enforcement, fine, clearing_cost, assets, land, node):
    """Households clear what they want, scaled down where a node's forest (ha) cannot meet
    all wishes, and pay ``clearing_cost`` per hectare (USD/ha) from their assets; a clearer
    is caught with its node's enforcement probability (uniform draws ``u_caught``) and fined
    per hectare up to its remaining assets. Updates ``assets`` and ``land`` in place;
    returns the hectares cleared, the fines and the costs paid (USD) by node."""
    n_nodes = forest.shape[0]
    total = _bincount(node, want, n_nodes)  # by node, in row order (runs summed in registers)
    scale = np.ones(n_nodes)
    for g in range(n_nodes):
        if total[g] > forest[g]:
            scale[g] = forest[g] / total[g]
    cleared_by_node = np.zeros(n_nodes)
    fines_by_node = np.zeros(n_nodes)
    costs_by_node = np.zeros(n_nodes)
    for i in range(want.shape[0]):
        g = node[i]
        cleared = want[i] * scale[g]
        if cleared <= 0:
            continue
        paid = min(clearing_cost * cleared, assets[i])
        assets[i] -= paid
        costs_by_node[g] += paid
        if u_caught[i] < enforcement[g]:
            fined = min(fine * cleared, assets[i])
            assets[i] -= fined
            fines_by_node[g] += fined
        land[i] += cleared
        cleared_by_node[g] += cleared
    return cleared_by_node, fines_by_node, costs_by_node


LOGIT_MARGIN = 1e-6
"""Distance from log((1 - u) / u) within which :func:`choose_movers_by_draw` leaves a household's
choice to numpy's logarithms: its own logarithm (:func:`_log_near`) is within 1e-9 of the true
one, numpy's within 1e-13 (a few units in the last place of values below 40)."""


@intrinsic
def _float_bits(typingctx, x):
    """The bits of the float64 ``x`` as an int64."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))
    return types.int64(types.float64), codegen


@intrinsic
def _bits_float(typingctx, b):
    """The float64 whose bits are the int64 ``b``."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.int64), codegen


@njit(cache=True, error_model=ERROR_MODEL)
def _log_near(x):
    """log(x) within 1e-9 for a positive normal float64 ``x``, without the C library: x = m 2^e with
    m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(t), t = (m - 1) / (m + 1), |t| < 0.1716, by its
    series to t^9 (the rest below 2 |t|^11 / (11 (1 - t^2)) < 7.2e-10)."""
    b = _float_bits(x)
    e = (b >> 52) - 1023
    m = _bits_float((b & 0xFFFFFFFFFFFFF) | 0x3FF0000000000000)  # in [1, 2)
    if m > 1.4142135623730951:
        m *= 0.5
        e += 1
    t = (m - 1.0) / (m + 1.0)
    t2 = t * t
    return e * 0.6931471805599453 + t * (2.0 + t2 * (2.0 / 3.0 + t2 * (0.4 + t2 * (2.0 / 7.0 + t2 * (2.0 / 9.0)))))


class DrawnMovers(NamedTuple):
    movers: np.ndarray  # rows (ascending) that leave, decided without numpy's logarithms
    unsure: np.ndarray  # rows (ascending) within ``LOGIT_MARGIN`` of leaving: numpy's logarithms decide
    gap: np.ndarray     # their U - L (as ``choose_movers`` compares it)


@kernel(DrawnMovers)
def choose_movers_by_draw(log_income_pc, alive, adults, node, services, inclusive, u, stay_preference,
                          income_weight, services_weight):
    """Rows of the households that move this year, from their uniform draws ``u``. Nested
    logit: a household leaves with probability p = exp(L) / (exp(L) + exp(U)), L (``inclusive``,
    one per household) the inclusive value of the moves open to it
    (``migration.household_inclusive``), U = stay preference + income weight x log income per
    person + services weight x home services; it leaves when u < p, i.e. when
    U - L < log((1 - u) / u), numpy's np.log1p(-u) - np.log(u), which is +inf at u = 0.
    Households without adults, or with no move open (L = -inf), stay. The
    comparison is made with :func:`_log_near` of (1 - u) / u (within 2e-9 of numpy's value in all)
    except where the two sides are within ``LOGIT_MARGIN``: those rows and their U - L are
    returned for numpy's logarithms to decide (``migration.choose_movers``). Two of numpy's
    logarithms a household (log1p is the C library's, 20 ns a value) are about a tenth of a year
    at 10^5 households."""
    n = node.shape[0]
    near = np.empty(n)
    for i in range(n):  # every row, without a jump: a vectorised pass
        near[i] = _log_near((1.0 - u[i]) / u[i])
    movers = np.empty(n, np.int64)
    unsure = np.empty(n, np.int64)
    gap = np.empty(n)
    k = m = 0
    for i in range(n):
        if not alive[i] or adults[i] <= 0:
            continue
        g = node[i]
        stay = stay_preference + income_weight * log_income_pc[i] + services_weight * services[g]
        d = stay - inclusive[i]
        if u[i] == 0.0:  # log1p(-0) - log(0) = +inf
            if d < np.inf:
                movers[k] = i
                k += 1
            continue
        if d < near[i] - LOGIT_MARGIN:
            movers[k] = i
            k += 1
        elif not d > near[i] + LOGIT_MARGIN:  # NaN too: numpy's comparison says
            unsure[m] = i
            gap[m] = d
            m += 1
    return movers[:k], unsure[:m], gap[:m]


@kernel()
def node_populations(node, alive, members, n_nodes):
    """Residents by node (persons)."""
    out = np.zeros(n_nodes)
    _alive_node_sums(node, alive, members, 0.0, out)
    return out


@kernel()
def pay_dividends(local_dividends, assets, other_income, income, alive, node):
    """Each node's locally owned dividends (USD/yr) go to its alive households in
    proportion to assets + 1 (in place on ``assets``, ``other_income`` and ``income``).
    Returns the dividends paid by node (none where a node has no households)."""
    n_nodes = local_dividends.shape[0]
    weight = np.zeros(n_nodes)
    _alive_node_sums(node, alive, assets, 1.0, weight)
    paid = np.where(weight > 0, local_dividends, 0.0)
    for i in range(node.shape[0]):
        g = node[i]
        if alive[i] and paid[g] > 0:
            share = paid[g] * (assets[i] + 1.0) / weight[g]
            assets[i] += share
            other_income[i] += share
            income[i] += share
    return paid


@njit(cache=True, error_model=ERROR_MODEL)
def _hire_chance(chance, weight):
    """Chance of being hired of a new seeker of hiring ``weight`` where one of weight 1 has
    ``chance``: the odds scale with the weight, c w / (1 - c + c w)."""
    if chance >= 1.0:
        return 1.0
    return chance * weight / (1.0 - chance + chance * weight)


@njit(cache=True, error_model=ERROR_MODEL)
def _halve(low, high, mid, over):
    """One bisection step in place: the upper bound falls to ``mid`` where ``over``, else the
    lower bound rises to it."""
    for g in range(mid.shape[0]):
        if over[g]:
            high[g] = mid[g]
        else:
            low[g] = mid[g]


@kernel()
def lottery_chance(fresh, hiring_weight, node, hires, guess, n_nodes, iterations):
    """Chance of being hired of a new seeker of weight 1, per node, at which the ``fresh``
    seekers of each household, hired each with ``_hire_chance``, take ``hires`` jobs in
    expectation: Newton's method from ``guess`` (last year's chance), kept within a
    bracket that it halves when a step leaves it, until the expected hires are within 1e-9
    jobs (at most ``iterations`` steps). 1 where the jobs are as many as the seekers or
    more, or there are no seekers; 0 where there are no jobs."""
    rows = np.flatnonzero(fresh > 0)
    seekers, weight, where = fresh[rows], hiring_weight[rows], node[rows]
    total = _bincount(where, seekers, n_nodes)  # seekers by node, in row order (runs in registers)
    chance = np.empty(n_nodes)
    low, high = np.zeros(n_nodes), np.ones(n_nodes)
    open_ = np.zeros(n_nodes, np.bool_)
    for g in range(n_nodes):
        if total[g] <= hires[g]:
            chance[g] = 1.0
        elif hires[g] <= 0:
            chance[g] = 0.0
        else:
            chance[g] = min(max(guess[g], 1e-6), 1.0 - 1e-6)
            open_[g] = True
    taken, slope = np.zeros(n_nodes), np.zeros(n_nodes)
    for _ in range(iterations):
        taken[:] = 0.0
        slope[:] = 0.0
        run = -1  # a run of one node's rows: its sums in registers (the same additions in row order)
        run_taken = run_slope = 0.0
        for k in range(rows.shape[0]):
            g = where[k]
            if open_[g]:
                if g != run:
                    if run >= 0:
                        taken[run], slope[run] = run_taken, run_slope
                    run, run_taken, run_slope = g, taken[g], slope[g]
                c, w = chance[g], weight[k]
                q = 1.0 - c + c * w
                run_taken += seekers[k] * c * w / q
                run_slope += seekers[k] * w / (q * q)
        if run >= 0:
            taken[run], slope[run] = run_taken, run_slope
        done = True
        for g in range(n_nodes):
            if not open_[g]:
                continue
            gap = taken[g] - hires[g]
            if abs(gap) <= 1e-9:
                open_[g] = False
                continue
            done = False
            if gap > 0:
                high[g] = chance[g]
            else:
                low[g] = chance[g]
            step = chance[g] - gap / slope[g]
            chance[g] = step if low[g] < step < high[g] else 0.5 * (low[g] + high[g])
        if done:
            break
    return chance


@kernel()
def equilibrium_job_finding(adults, alive, employed, farm_revenue_at_one_worker, node, best_wage, hiring_weight,
                            hires, separated, farm_labour_elasticity, farm_labour_thresholds,
                            enterprise_thresholds, in_enterprise, n_nodes, iterations):
    """Chance of being hired of a new seeker of weight 1, per node, at which the new seekers
    (by the rule of ``labour_kernels.seek_work``, at the ``best_wage`` on offer and each household's
    chance ``_hire_chance``, and a share ``separated`` of the workers who keep seeking, who
    lost their job) take ``hires`` jobs in expectation: the chance new seekers expect is the
    one the year's hiring gives them. Bisection on [0, 1] (``iterations`` halvings); 1 where
    the hires exceed the new seekers even then."""
    revenue, b, thresholds = farm_revenue_at_one_worker, farm_labour_elasticity, farm_labour_thresholds
    n = adults.shape[0]
    rows = np.empty(n, np.int64)
    free = np.zeros(n, np.int64)
    lost = np.zeros(n)
    m = 0
    for i in range(n):
        a = adults[i] if alive[i] else 0
        if a <= 0:
            continue
        g = node[i]
        th = enterprise_thresholds if in_enterprise[i] else thresholds
        stay = _staying_workers(employed[i], a, revenue[i], best_wage[g], b, th, in_enterprise[i])
        if a - stay > 0 or (separated > 0 and stay > 0):
            rows[m] = i
            free[m] = a - stay
            lost[m] = separated * stay
            m += 1
    low = np.zeros(n_nodes)
    high = np.ones(n_nodes)
    for _ in range(iterations):
        mid = 0.5 * (low + high)
        taken = np.zeros(n_nodes)
        for k in range(m):
            i = rows[k]
            g = node[i]
            chance = _hire_chance(mid[g], hiring_weight[i])
            th = enterprise_thresholds if in_enterprise[i] else thresholds
            fresh = free[k] - _farm_workers_wanted(revenue[i], best_wage[g] * chance, b, th, free[k])
            taken[g] += (fresh + lost[k]) * chance
        _halve(low, high, mid, taken > hires)
    return low


@njit(cache=True, error_model=ERROR_MODEL)
def _row_cumsum(indptr, values):
    """Cumulative sums of ``values`` restarted at each row of the compressed rows ``indptr``."""
    out = np.empty(values.shape[0])
    for row in range(indptr.shape[0] - 1):
        total = 0.0
        for k in range(indptr[row], indptr[row + 1]):
            total += values[k]
            out[k] = total
    return out


@njit(cache=True, error_model=ERROR_MODEL)
def _bincount(index, weights, minlength):
    top = minlength
    for i in range(index.shape[0]):
        if index[i] < 0:
            raise ValueError("bincount: negative index")
        top = max(top, index[i] + 1)
    out = np.zeros(top)
    i = 0
    while i < index.shape[0]:  # a run of one index: its sum in a register, not in memory
        g = index[i]
        total = out[g]
        while i < index.shape[0] and index[i] == g:
            total += weights[i] * 1.0  # as float64 (bool and integer weights too)
            i += 1
        out[g] = total
    return out


def bincount(index: np.ndarray, weights: np.ndarray, minlength: int = 0) -> np.ndarray:
    """``np.bincount(index, weights, minlength)``, bit for bit: the weights (as float64) added
    in row order. Households come mostly in runs of one node, and numpy's loop adds each
    through memory (a store and a load per row, about 5 times the time at 10^5 households);
    this keeps a run's sum in a register. Weights are required (numpy counts without them)."""
    index, weights = np.asarray(index), np.asarray(weights)
    if index.ndim != 1 or weights.shape != index.shape:
        raise ValueError(f"bincount: index and weights must be 1-D of one length, not {index.shape} and {weights.shape}")
    if index.shape[0] == 0:  # numpy's answer: integer zeros, whatever the weights
        return np.zeros(int(minlength), np.intp)
    return _bincount(index, weights, int(minlength))
