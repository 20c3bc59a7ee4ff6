"""Household formation: adult children leave to form households of their own, taking their
share of the family's land and assets (partible inheritance, the rule of most of rural
Latin America: each adult heir gets an equal share).

How many households form follows headship (the headship-rate method of household
projections, UN 1973 *Methods of projecting households and families*): each node keeps the
households per adult of its start, so households form as adults outgrow them, and no more.
Each year a node whose households fall short of its starting headship times its adults
(households that died out or left, children come of age) gets ``household_formation_adjustment``
of the shortfall as new households (the fraction drawn), each from a household with
k >= 2 adults drawn with weight k - 1 (weighted sampling without replacement, Efraimidis &
Spirakis 2006, doi:10.1016/j.ipl.2005.11.003). Where nothing changes, nothing forms: a
fixed chance per adult (this branch before, 0.005 per adult beyond the first) made 17 % more
households in 20 stationary years with the population flat, smaller households for the same
people, and poverty +0.009 and Gini +0.008 above the run without it (clearing and migration
off, 8 seeds).

The new household lives in the same node
with that one adult, the family's schooling, price share and land quality, a 1/k share of
the land and of the assets, the job if the adult held one (drawn with chance
employed / k), and a 1/k share of the family's non-farm enterprise, if it runs one
(:func:`enterprise_shares`: a 1/k share of its output with this year's labour, of its
capital and of its sales outside the territory; before session 22 the new household took
none, so the enterprises became a closed cohort of ever larger households whose labour,
and supply, grew: docs/model_choices.md, 'Household enterprises over 60 years'). An estate
stays with the household that owns it; the year's tenancy stays with the parent household
(the next year's rental market includes the new one).
Farm productivity is split as well: with land and labour elasticities a and b, a + b < 1
means the farm has a fixed factor (management, tools, buildings) earning the rest; it is
partitioned like the land, so the new farm's TFP is the family's times (1/k)^(1 - a - b)
and the parent's times (1 - 1/k)^(1 - a - b). Splitting a farm with its land and labour
in shares s and 1 - s then produces what the whole did (s F + (1 - s) F): formation
does not create output. Persons, land and assets move between households and nothing is created:
population, land and household wealth are conserved (the transfer is booked as
households -> households, "inheritance shares"). Households dissolve when they die out
(``demography``); their land passes to the node's other holders (``environment.hand_over``).
Ported from branch ``land`` (61ba49b).
"""

from __future__ import annotations

import numpy as np

from .enterprises import adults_in_enterprise, labour_power
from .estates import owners
from .exact import nan_to_num
from .households import joined_tfp, split_tfp
from .land_kernels import headcount, pick_formers, pick_in_nodes, redirect_ties, union_candidates
from .land_market import add_land


def headship(model) -> np.ndarray:
    """Households per adult by node (nan where a node has no adults)."""
    hh, n = model.households, model.n_nodes
    now = headcount(node=hh.node, alive=hh.alive, adults=hh.adults, n_nodes=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return now.households / now.adults


def forming(model, rng) -> np.ndarray:
    """Rows of the households an adult child leaves this year (sorted): by node, the
    adjustment share of the shortfall against the starting headship (``model.headship``),
    drawn among households with two or more adults with weight adults - 1."""
    p, hh, n = model.params, model.households, model.n_nodes
    now = headcount(node=hh.node, alive=hh.alive, adults=hh.adults, n_nodes=n)
    gap = p.household_formation_adjustment * np.maximum(nan_to_num(model.headship) * now.adults - now.households, 0.0)
    count = (np.floor(gap) + (rng.random(n) < gap - np.floor(gap))).astype(np.int64)
    if not count.any():
        return np.zeros(0, np.int64)
    return pick_formers(node=hh.node, alive=hh.alive, adults=hh.adults, count=count, key=hh.draw(rng.exponential))


def form_households(model) -> np.ndarray:
    """Adult children form new households this year; returns the new households' rows."""
    p, hh, rng = model.params, model.households, model.streams["land"]
    rows = forming(model, rng)
    u_job = rng.random(rows.size)
    if rows.size == 0:
        return rows
    adults = hh.adults
    share = 1.0 / adults[rows]
    land, assets = hh.land[rows] * share, hh.assets[rows] * share
    tfp, hh.tfp[rows] = split_tfp(p, hh.tfp[rows], share)
    job = (u_job < hh.employed[rows] * share).astype(np.int32)
    # this year's incomes go with who earned them (the year's outcomes are recorded after):
    # the worker's wage, and a share of the farm and of local public income
    wage = np.where(job > 0, hh.wage_income[rows] / np.maximum(hh.employed[rows], 1), 0.0)
    farm, other = hh.farm_income[rows] * share, hh.other_income[rows] * share
    for column, amount in (("land", land), ("assets", assets), ("wage_income", wage), ("farm_income", farm),
                           ("other_income", other), ("income", wage + farm + other)):
        getattr(hh, column)[rows] -= amount
    business = enterprise_shares(model, rows, share, job)
    hh.members[rows] -= 1
    hh.adults[rows] -= 1
    hh.employed[rows] -= job
    model.ledger.record("households", "households", "inheritance shares", assets.sum())
    k = rows.size
    return hh.append({
        "alive": np.ones(k, bool), "node": hh.node[rows], "members": np.ones(k, np.int32),
        "adults": np.ones(k, np.int32), "education": hh.education[rows], "schooling_gap": hh.schooling_gap[rows],
        "usual_size": formed_usual_size(p.formed_household_growth, hh.usual_size[rows]),
        "skill_residual": hh.skill_residual[rows],
        "land": land, "assets": assets,
        "land_quality_log": hh.land_quality_log[rows],
        "tfp": tfp, "price_share": hh.price_share[rows], "employed": job, "wage_income": wage,
        "farm_income": farm, "other_income": other, "income": wage + farm + other, **business,
    })


def formed_usual_size(growth: float, parents: np.ndarray) -> np.ndarray:
    """The size births restore after losses (``usual_size``) of households formed by adult
    children of households of usual size ``parents``: 1 + ``formed_household_growth`` times
    (``parents`` - 1), rounded (1 at growth 0: a new household of one)."""
    return np.maximum(np.rint(1.0 + growth * (parents.astype(float) - 1.0)), 1.0).astype(np.int32)


def enterprise_shares(model, rows: np.ndarray, share: np.ndarray, job: np.ndarray) -> dict[str, np.ndarray]:
    """The enterprise columns of the households that adult children leave (``rows``; the
    child takes ``share`` = 1/k and the ``job`` drawn) and of the new households, set on the
    first and returned for the second. An enterprise's local sales are scale (1 + L)^e
    (``enterprises.labour_power``; L its adults not in wage jobs, 0 on a farm), so the new
    household's scale is what makes its sales with its labour (1 - job; 0 on a farm) a
    ``share`` of the family's with its labour before the split, and the parent's the rest
    with the labour it keeps: formation moves output between households and creates none
    (test), as for the farm. Capital and sales outside the territory split in the shares; an
    own-account enterprise's share is one too (``enterprise_own_account``)."""
    hh = model.households
    power = labour_power(model)
    tfp, adults, employed = hh.tfp[rows], hh.adults[rows], hh.employed[rows]
    output = hh.enterprise_scale[rows] * power[adults_in_enterprise(tfp, adults, employed)]
    capital, outside = hh.enterprise_capital[rows] * share, hh.enterprise_outside[rows] * share
    hh.enterprise_scale[rows] = output * (1.0 - share) / power[adults_in_enterprise(tfp, adults - 1, employed - job)]
    hh.enterprise_capital[rows] -= capital
    hh.enterprise_outside[rows] -= outside
    return {"enterprise_scale": output * share / power[adults_in_enterprise(tfp, 1, job)],
            "enterprise_capital": capital, "enterprise_outside": outside,
            "enterprise_own_account": hh.enterprise_own_account[rows] & (capital > 0)}


def union_partners(model, rng) -> tuple[np.ndarray, np.ndarray]:
    """The unions of this year: rows of the adults living alone who join a household (``single``)
    and of the households of one adult they join (``host``), pairwise, sorted by node.

    By node, ``household_union_adjustment`` of the excess of households over the starting
    headship times the adults (the fraction drawn), at most as many as the node's singles and
    half its households of one adult. A single is a household of one person without an
    enterprise, a programme loan or an estate (its land, if any, joins its host's farm); singles
    are drawn uniformly among the node's, hosts (independently) among its households of one
    adult that are not joining, and the k-th single of a node (in row order) joins its k-th host."""
    p, hh, n = model.params, model.households, model.n_nodes
    empty = np.zeros(0, np.int64)
    if p.household_union_adjustment <= 0:
        return empty, empty
    found = union_candidates(alive=hh.alive, adults=hh.adults, members=hh.members,
                             enterprise_capital=hh.enterprise_capital, loan_balance=hh.loan_balance,
                             owner=owners(model), node=hh.node, n_nodes=n)
    excess = p.household_union_adjustment * np.maximum(found.households - nan_to_num(model.headship) * found.adults,
                                                       0.0)
    count = (np.floor(excess) + (rng.random(n) < excess - np.floor(excess))).astype(np.int64)
    if not count.any():
        return empty, empty
    singles, alone = found.singles[count[hh.node[found.singles]] > 0], found.alone[count[hh.node[found.alone]] > 0]
    count = np.minimum(count, np.minimum(found.singles_by_node, found.alone_by_node // 2))
    if not count.any():
        return empty, empty
    # the candidates are alive rows in row order, the order of their ids whichever rows were
    # compacted, so a draw per candidate is the same in a run never compacted
    singles = singles[pick_in_nodes(node=hh.node[singles], count=count, key=rng.random(singles.size))]
    joining = np.zeros(hh.n, np.bool_)
    joining[singles] = True
    alone = alone[~joining[alone]]
    hosts = alone[pick_in_nodes(node=hh.node[alone], count=count, key=rng.random(alone.size))]
    return singles, hosts


def unite(model) -> int:
    """Unions (:func:`union_partners`): each single moves into its host with its assets, job, land
    (with its quality; the two farms' management added, ``households.joined_tfp``), this year's
    income and former members abroad; the host's usual size grows by one, its adults' schooling,
    schooling gap and wage premium become the two adults' means. Households that remitted to
    the single remit to the host. Persons, adults, jobs and household wealth
    are conserved (the assets booked households -> households, "unions"). Returns the unions."""
    hh = model.households
    single, host = union_partners(model, model.streams["unions"])
    if single.size == 0:
        return 0
    for column in ("members", "adults", "employed", "migrants_abroad", "assets", "wage_income", "other_income",
                   "remittance_income", "transfer_income", "income", "consumption", "farm_income"):
        getattr(hh, column)[host] += getattr(hh, column)[single]
    hh.usual_size[host] += 1
    for column in ("education", "schooling_gap", "skill_residual"):
        values = getattr(hh, column)
        values[host] = 0.5 * (values[host] + values[single])
    hh.programmes[host] |= hh.programmes[single]
    # the single's land joins the host's farm (with its quality), and its management the host's
    land = hh.land[single]
    effective = np.exp(hh.land_quality_log[single]) * land
    add_land(model, host, land, effective)
    hh.rented[host] += hh.rented[single]
    hh.tfp[host] = joined_tfp(model.params, hh.tfp[host], hh.tfp[single])
    hh.remits_to[host] = np.where(hh.remits_to[host] >= 0, hh.remits_to[host], hh.remits_to[single])
    model.ledger.record("households", "households", "unions", hh.assets[single].sum())
    order = np.argsort(hh.id[single])
    redirect_ties(remits_to=hh.remits_to, ids=hh.id[single][order], to=hh.id[host][order])
    hh.remits_to[host[hh.remits_to[host] == hh.id[host]]] = -1  # a host that remitted to its single
    for column in ("assets", "land", "rented", "tfp", "wage_income", "other_income", "remittance_income",
                   "transfer_income", "income", "consumption", "farm_income", "migrants_abroad", "employed", "members",
                   "adults"):
        getattr(hh, column)[single] = 0
    hh.alive[single] = False
    return single.size
