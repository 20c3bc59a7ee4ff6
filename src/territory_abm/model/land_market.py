"""The land rental market: estates and households with nobody left on their farm let land
for the year to farming households, at the rent that clears each node's market.

Land is traded in effective hectares: a household's hectare is worth ``exp(land_quality_log)``
effective hectares, an estate's ``Estates.quality``. The start backs the qualities out
(:func:`start`) so that every farm's and every estate's marginal value of an effective
hectare at the land it holds is the node's starting rent r0 = a F / T (a the farms' land
elasticity, F and T the node's farm income and farmed land: the marginal product of its
mean hectare): at r0 nobody gains by renting in or letting, so the starting tenancy is
none and r0 clears the market (a start the market's rule keeps). The qualities are what
the farms' backed-out productivities say beyond the land they hold (a large holding whose
farm income is low is extensive, poor or idle land); a farm's output is unchanged by them.

Each year (:func:`rent`), before the labour market:

- a farming household with an adult on the farm last year farms the effective hectares at
  which an effective hectare's marginal value, a R L^b E^(a-1) (R its expected farm revenue
  per unit of labour^b and land^a this year, L last year's family labour on the farm), is the
  rent: it rents in up to there, or lets what it holds beyond there (never its garden plot).
  Both sides are needed for a start at rest: with the years' shocks to family labour and
  prices some farms want more land and others less; a market in which farms only rent in
  (as on this branch before) let every such shock raise the rent, and estates let ever more
  land to farms (12 % of their land in 20 stationary years, their jobs falling with it);
- a farming household whose adults all held wage jobs last year lets all its land (a
  household that does not farm, such as a city household on a house plot, keeps it);
- an estate lets the land beyond what it wants at the rent: g Y / E, Y its output's value at
  the farm gate with last year's workers on E farmed effective hectares (g
  ``estate_land_elasticity``).

The node's rent solves demand = supply (regula falsi on log r, ``land_kernels.clear_rents``). Farms work
their own land plus what they rent (:func:`farmed_land`); estates' TFP follows their farmed
land as land^g. In the year's budgets (:func:`collect_rents`, ``budgets``) tenants pay the year's rent;
households letting land receive it (households -> households "land rents", both in
``other_income``) and estates in cash, which they pay their owners with their profits
(households -> firms "land rents").
"""

from __future__ import annotations

import numpy as np

from . import labour
from .exact import nan_to_num
from .kernels import bincount
from .labour_kernels import farmed_land as farmed
from .land_kernels import clear_rents, sell_land

RENT_STEPS = 50
"""Most steps of the search for each node's rent (it stops when the bracket of log rents is
narrower than ``land_kernels.RENT_TOLERANCE``; a handful of steps usually)."""
RENT_BRACKET = 100.0
"""The rent is sought between the starting rent over and times this factor."""


def land_quality(model) -> np.ndarray:
    """Effective hectares per hectare of each household's land, exp(``land_quality_log``): the
    year's rental market, labour market and land sale read it, and it changes for few
    households between them (an ``exact.Memo`` of the model's, ``model.land_quality_memo``)."""
    return model.land_quality_memo(model.households.land_quality_log)


def own_effective_land(model) -> np.ndarray:
    """Effective hectares each household holds (its land, at least the garden plot where it
    farms, times its land quality)."""
    hh, p = model.households, model.params
    return np.exp(hh.land_quality_log) * np.maximum(hh.land, p.garden_plot_ha)


def held_effective_land(model, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Effective hectares of the land households ``rows`` hold (without the garden plot)."""
    hh = model.households
    return np.exp(hh.land_quality_log[rows]) * hh.land[rows]


def add_land(model, rows: np.ndarray, hectares: np.ndarray, effective: np.ndarray,
             quality_now: np.ndarray | None = None) -> None:
    """Households ``rows`` receive ``hectares`` of land worth ``effective`` effective hectares
    (distinct rows): their quality becomes what they hold in effective hectares (the garden
    plot at their quality included) over their new holding, so that land moving between
    households carries its quality and creates no effective land. ``quality_now``: their land
    quality, exp(``land_quality_log``), where the caller has it (:func:`land_quality`'s)."""
    hh, garden = model.households, model.params.garden_plot_ha
    now = np.exp(hh.land_quality_log[rows]) if quality_now is None else quality_now
    before = now * np.maximum(hh.land[rows], garden)
    hh.land[rows] += hectares
    with np.errstate(invalid="ignore", divide="ignore"):
        quality = (before + effective) / np.maximum(hh.land[rows], garden)
    hh.land_quality_log[rows] = np.where(quality > 0, np.log(np.where(quality > 0, quality, 1.0)),
                                         hh.land_quality_log[rows])


def farmed_land(model) -> np.ndarray:
    """Effective hectares each household farms this year: its own plus what it rents in
    (less what it lets)."""
    hh = model.households
    return farmed(quality=land_quality(model), land=hh.land, garden_plot=model.params.garden_plot_ha,
                  rented=hh.rented)


def start(model) -> None:
    """Starting rents and land qualities at which nobody gains by renting (sets
    ``model.land_rent``, the households' ``land_quality_log`` and TFP, the estates' quality,
    productivity and farmed land). Farm output is unchanged: TFP falls as quality^(-a). A farm
    whose adults all hold jobs at the start (turnover's rest) is valued at what it yields with
    one adult (``model.start_idle_farm_income``)."""
    p, hh, e, ft, n = model.params, model.households, model.estates, model.firm_table, model.n_nodes
    a, g = p.farm_land_elasticity, p.estate_land_elasticity
    income = hh.farm_income if model.start_idle_farm_income is None else hh.farm_income + model.start_idle_farm_income
    farms = hh.alive & (hh.tfp > 0) & (income > 0)
    land = np.maximum(hh.land, p.garden_plot_ha)
    with np.errstate(invalid="ignore", divide="ignore"):
        rent = a * np.bincount(hh.node, income * farms, minlength=n) / np.bincount(hh.node, land * farms, minlength=n)
    model.land_rent = np.where(np.isfinite(rent) & (rent > 0), rent, np.nan)
    model.start_land_rent = model.land_rent.copy()
    r = nan_to_num(model.land_rent)[hh.node]
    quality = np.where(farms & (r > 0), a * income / np.maximum(r * land, 1e-300), 1.0)
    hh.land_quality_log = np.log(quality)
    hh.tfp = hh.tfp * np.power(quality, -a)
    hh.rented = 0.0
    if e.n == 0:
        return
    revenue = ft.revenue[e.firm_row]
    r_e = nan_to_num(model.land_rent)[e.node]
    effective = np.where(r_e > 0, g * revenue / np.maximum(r_e, 1e-300), e.land)
    e.quality = np.where(e.land > 0, effective / np.maximum(e.land, 1e-300), 1.0)
    e.farmed = effective
    e.productivity = ft.tfp[e.firm_row] / np.power(np.maximum(effective, 1e-300), g)


def rent(model, parts: labour.FarmRevenueParts | None = None) -> None:
    """This year's tenancy: the rent that clears each node's market, what each household
    rents in or lets (``households.rented``, effective ha) and each estate's farmed land.
    ``parts``: the year's ``labour.farm_revenue_parts`` (default: computed here)."""
    p, hh, e, ft = model.params, model.households, model.estates, model.firm_table
    g = p.estate_land_elasticity
    # this year's expected farm revenue per effective hectare^a, with last year's family labour
    revenue = labour.farm_revenue_at_one_worker(model, 1.0, parts)
    has = np.isfinite(model.start_land_rent)
    # an estate's revenue per effective hectare^g at last year's workers, at the farm gate
    e_per_land = (model.farm_gate[e.node] * e.productivity * np.power(ft.capital[e.firm_row], p.firm_capital_elasticity)
                  * np.power(ft.labour[e.firm_row], p.firm_labour_elasticity))
    total_e = e.quality * e.land
    centre = np.log(np.where(has, model.start_land_rent, 1.0))
    tenancy = clear_rents(revenue_per_land=revenue, adults=hh.adults, employed=hh.employed,
                          quality=land_quality(model), land=hh.land, garden_plot=p.garden_plot_ha, alive=hh.alive,
                          tfp=hh.tfp, node=hh.node, estate_coef=np.power(g * e_per_land, 1.0 / (1.0 - g)), estate_land=total_e,
                          estate_node=e.node, low=centre - np.log(RENT_BRACKET), high=centre + np.log(RENT_BRACKET),
                          has=has, land_elasticity=p.farm_land_elasticity, labour_elasticity=p.farm_labour_elasticity,
                          estate_exponent=1.0 / (1.0 - g), iterations=RENT_STEPS)
    hh.rented = tenancy.net
    model.land_coef = tenancy.coef  # what each farm would farm at each rent, for the year's land sales
    e.let = tenancy.estate_let
    e.farmed = total_e - e.let
    ft.tfp[e.firm_row] = e.productivity * np.power(np.maximum(e.farmed, 0.0), g)
    model.land_rent = np.exp(tenancy.log_rent)


def collect_rents(model) -> tuple[np.ndarray, float]:
    """Estates receive this year's rent for the land they let, in cash, which goes to their
    owners with their profits. Returns the rent by node (USD per effective ha, 0 where there
    is no market), at which tenants pay and households letting land receive it
    (``budget_kernels.rents_and_profits``: both in ``other_income``; farm income stays the
    farm's sales), and what the estates received (USD/yr)."""
    e, ft = model.estates, model.firm_table
    r = nan_to_num(model.land_rent)
    to_estates = r[e.node] * e.let
    cash = ft.cash
    cash[e.firm_row] += to_estates
    return r, to_estates.sum()


SELLERS = ("households", "rest_of_world", "municipalities")
"""Who is paid for land given up: the households themselves (they moved within the territory),
the rest of the world (they emigrated and took the money) or the municipality (they died out,
and their other assets go there too)."""
SOLD_OUT = 1e-9
"""A node whose land for sale sold but for this share has none left to hand over."""
PRICE_BRACKET = 100.0
"""The land price is sought from the starting price over this factor up to the year's rent's
worth."""


def give_up_land(model, rows: np.ndarray, seller: str = "households") -> None:
    """Households ``rows`` give up their land; it is sold at the end of the year
    (:func:`sell`) and ``seller`` (one of :data:`SELLERS`) is paid for it."""
    hh = model.households
    effective = held_effective_land(model, rows)
    model.freed_land += np.bincount(hh.node[rows], hh.land[rows], minlength=model.n_nodes)
    model.freed_effective_land += np.bincount(hh.node[rows], effective, minlength=model.n_nodes)
    model.land_for_sale.append((hh.node[rows].copy(), effective, rows.copy(), seller))
    hh.land[rows] = 0.0


def sell(model) -> None:
    """Sell the year's land given up, node by node, at the price that clears (sets
    ``model.land_price``, USD per effective ha by node, nan where nothing sold): farms buy
    up to where a hectare's value over ``land_price_years`` years (its marginal value at the
    rent, from the year's rental market) is the price, within their assets, and nobody pays
    more than the year's rent over those years (renting is the alternative: tenants, who
    would otherwise bid up thin sales to their marginal value on their own land, are served
    pro rata at that price), and the land
    carries the mean quality of the node's land for sale. Sellers are paid pro rata to the
    effective hectares they gave up. What is not sold stays in ``model.freed_land`` for the
    hand-over (``environment.hand_over``). At the start every farm's marginal value is the
    starting rent, so land for sale goes at about the starting price (the rent's years) to
    farms in proportion to their land, as the hand-over gave it."""
    p, hh, n = model.params, model.households, model.n_nodes
    batches, model.land_for_sale = model.land_for_sale, []
    model.land_price = np.full(n, np.nan)
    if not model.freed_effective_land.any():
        return
    years, k = p.land_price_years, 1.0 / (1.0 - p.farm_land_elasticity)
    # nobody pays more than the year's rent over the years: renting is the alternative
    highest = np.log(np.where(np.isfinite(model.land_rent), model.land_rent, 1.0) * years)
    lowest = np.log(np.where(np.isfinite(model.start_land_rent), model.start_land_rent, 1.0) * years / PRICE_BRACKET)
    # households formed this year (rows beyond the rental market's coefficients) do not buy yet
    quality_now = land_quality(model)  # also the buyers' quality before their purchase (``add_land``)
    sales = sell_land(coef=model.land_coef, quality=quality_now, land=hh.land,
                      garden_plot=p.garden_plot_ha, assets=hh.assets, node=hh.node, alive=hh.alive,
                      for_sale=model.freed_effective_land, low=np.minimum(lowest, highest), high=highest, years=years,
                      exponent=k, iterations=RENT_STEPS)
    model.land_price = np.exp(sales.log_price)
    rows = np.flatnonzero(sales.bought > 0)
    if rows.size == 0:
        return
    price = model.land_price[hh.node[rows]]
    paid = np.minimum(sales.bought[rows] * price, hh.assets[rows])
    hh.assets[rows] -= paid
    with np.errstate(invalid="ignore", divide="ignore"):
        quality = nan_to_num(model.freed_effective_land / model.freed_land)
    sold = bincount(hh.node[rows], sales.bought[rows], minlength=n)
    hectares = sales.bought[rows] / quality[hh.node[rows]]
    add_land(model, rows, hectares, sales.bought[rows], quality_now[rows])
    proceeds = bincount(hh.node[rows], paid, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_effective = nan_to_num(proceeds / model.freed_effective_land)
        share_sold = nan_to_num(sold / model.freed_effective_land)
    left = share_sold < 1.0 - SOLD_OUT  # what the sale leaves for the hand-over
    model.freed_land = np.where(left, model.freed_land * (1.0 - share_sold), 0.0)
    model.freed_effective_land = np.where(left, model.freed_effective_land - sold, 0.0)
    _pay_sellers(model, batches, per_effective)


def _pay_sellers(model, batches, per_effective: np.ndarray) -> None:
    """Each batch of land given up is paid ``per_effective`` (USD per effective ha given up,
    by node) and booked households -> its seller, "land sales"."""
    hh = model.households
    for node, effective, rows, seller in batches:
        amount = effective * per_effective[node]
        model.ledger.record("households", seller, "land sales", amount.sum())
        if seller == "households":
            np.add.at(hh.assets, rows, amount)
        elif seller == "municipalities":
            by_node = np.bincount(node, amount, minlength=model.n_nodes)
            for m in model.active_municipalities():
                m.treasury += by_node[m.node]
