"""The policy levers a scenario can pull: one class each, in one registry.

Each class declares its fields (unit, default, range, meaning), the ledger items its
spending is booked under, and what it does each year it is active (the hooks of
:class:`~territory_abm.scenarios.lever_base.Lever`). Every lever also takes the common
fields ``lever``, ``label``, ``start`` and ``end`` (calendar years, inclusive) and
``target`` (see :func:`~territory_abm.scenarios.loader.validate_target`).

To add a lever, write a subclass here and list it in ``REGISTRY``: scenario files, the
dashboard and the common checks (``tests/test_levers.py``) pick it up.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np

from ..fields import FieldSpec
from .lever_base import Lever

# The hooks use model functions (path_edges), imported where they are
# called: the model package imports the scenario loader, which imports this module.

LeverField = FieldSpec
"""Former name of a lever field's spec (kept for imports)."""


def _f(name, unit, default, low, high, meaning, kind="float") -> FieldSpec:
    return FieldSpec(name, unit, float(default), float(low), float(high), meaning, kind)


def _coverage(default: float, meaning: str) -> FieldSpec:
    return _f("coverage", "1", default, 0, 1, meaning)


_SMALLHOLDER_HA = _f("smallholder_ha", "ha", 5, 0, 1000, "largest landholding counted as a smallholder")


def lognormal_costs(model, median: float, rows: np.ndarray, stream: str = "policies") -> np.ndarray:
    """Heterogeneous yearly costs (USD) for households ``rows``: lognormal around ``median``
    with log sd ``assistance_effort_spread``, from the run's ``stream``."""
    spread = model.params.assistance_effort_spread
    return median * np.exp(spread * model.streams[stream].standard_normal(rows.size))


MAX_CHILD_SCHOOLING = 6.0
"""Extra years of schooling attendance can add to a household's children (a school career)."""

PMT_LAND_WEIGHT = 0.3
"""Proxy means test: weight of log(1 + land in ha) next to log(1 + assets in USD)."""
PMT_EDUCATION_WEIGHT = 0.1
"""Proxy means test: weight per year of schooling."""
PMT_ADULT_SHARE_WEIGHT = 0.5
"""Proxy means test: weight of the working-age share of members."""


def proxy_means_score(hh, rows: np.ndarray) -> np.ndarray:
    """Proxy means test score of households ``rows`` (lower is poorer): what a programme can
    observe of a household (assets, land, schooling, its working-age share), not its income."""
    return (np.log1p(hh.assets[rows]) + PMT_LAND_WEIGHT * np.log1p(hh.land[rows])
            + PMT_EDUCATION_WEIGHT * hh.education[rows]
            + PMT_ADULT_SHARE_WEIGHT * hh.adults[rows] / np.maximum(hh.members[rows], 1))


def poorest_with_children(hh, eligible: np.ndarray, coverage: float) -> np.ndarray:
    """Rows offered a conditional transfer: the poorest ``coverage`` of the ``eligible``
    households (mask) with children, by proxy means test, in row order."""
    rows = np.flatnonzero(eligible & (hh.members > hh.adults))
    return rows[lowest_first(proxy_means_score(hh, rows), round(coverage * rows.size))]


def lowest_first(score: np.ndarray, k: int) -> np.ndarray:
    """Mask of the ``k`` lowest ``score`` s, ties taken in order: the first ``k`` of a stable
    argsort (NaN last), found by a partition rather than a sort of all of them."""
    mask = np.zeros(score.size, bool)
    if k <= 0:
        return mask
    if k >= score.size:
        mask[:] = True
        return mask
    cut = np.partition(score, k - 1)[k - 1]
    if np.isnan(cut):  # fewer than k scores are numbers: the sort's order among the NaN is by position
        mask[np.argsort(score, kind="stable")[:k]] = True
        return mask
    mask[score < cut] = True
    mask[np.flatnonzero(score == cut)[:k - int(mask.sum())]] = True
    return mask


def meet_school_condition(model, offered: np.ndarray, amount: float, stream: str = "policies") -> np.ndarray:
    """The ``offered`` rows that meet a transfer's school-attendance condition and are paid
    ``amount`` (USD/household/yr): those whose children already attend this year because an
    earlier programme's condition holds them (``model.school_attending``, a mask over the
    households that ``budgets.household_budgets`` starts each year: the condition then costs
    nothing more), and those whose children's time out of school, ``(1 - school_attendance) x
    children x`` their value of a child's time (drawn once per household around
    ``child_work_value`` from the run's ``stream`` when first offered any conditional transfer,
    unless drawn before), is worth no more than the transfer. The children of the households it
    brings to school gain ``(1 - school_attendance) x schooling_per_attended_year`` years of
    schooling (at most ``MAX_CHILD_SCHOOLING``), in place on ``child_schooling``, once a year
    whatever the number of programmes that pay them."""
    hh, p = model.households, model.params
    attending = getattr(model, "school_attending", None)
    if attending is None or attending.shape[0] != hh.n:
        attending = model.school_attending = np.zeros(hh.n, bool)
    already = attending[offered]
    fresh = offered[~already & (hh.child_time_value[offered] <= 0)]
    hh.child_time_value[fresh] = lognormal_costs(model, p.child_work_value, fresh, stream)
    missed = 1.0 - p.school_attendance
    children = (hh.members[offered] - hh.adults[offered]).astype(float)
    meets = amount >= missed * children * hh.child_time_value[offered]
    newly = offered[~already & meets]
    hh.child_schooling[newly] = np.minimum(hh.child_schooling[newly] + missed * p.schooling_per_attended_year,
                                           MAX_CHILD_SCHOOLING)
    attending[newly] = True
    return offered[already | meets]


class CashTransfer(Lever):
    """Yearly transfers, conditional on children's school attendance, to the poorest
    households with children of the targeted nodes by proxy means test.

    Without the transfer children attend ``school_attendance`` of the school year. A
    beneficiary meets the condition (all its children attend) when the transfer is worth at
    least the time its children would otherwise spend out of school,
    ``(1 - school_attendance) x children x`` its value of a child's time (drawn once per
    household around ``child_work_value``); a household that does not is not paid. Each
    year the condition is met adds ``(1 - school_attendance) x schooling_per_attended_year``
    years to its children's schooling (at most ``MAX_CHILD_SCHOOLING``), which they carry
    when they reach working age (household ``child_schooling``): their schooling raises the
    wage they earn per hour of work, exp(``education_return`` x years above the mean) times the
    wage per skill unit (``labour.skill``), and so also the wage their household weighs
    against its farm when deciding who seeks work.
    """

    name = "cash_transfer"
    meaning = "cash transfers to the poorest households with children, conditional on school attendance"
    fields = (
        _f("amount", "USD/household/yr", 300, 0, 10000, "transfer per beneficiary household"),
        _coverage(0.3, "share of households with children offered the transfer, poorest by proxy means test first"),
        _f("admin_cost_share", "1", 0.05, 0, 0.5, "administrative cost as a share of transfers"),
    )
    items = ("cash transfers", "transfer administration")

    def offered(self) -> np.ndarray:
        """Rows offered the transfer this year: the poorest ``coverage`` of the households
        with children in the targeted nodes, by proxy means test."""
        return poorest_with_children(self.model.households, self.households_in(self.nodes), self.values["coverage"])

    def pay(self, paid: np.ndarray) -> None:
        m, hh, v = self.model, self.model.households, self.values
        offered = self.offered()
        if offered.size == 0:
            return
        chosen = meet_school_condition(m, offered, v["amount"])
        paid[chosen] += v["amount"]
        hh.programmes[chosen] |= self.bit
        admin = v["admin_cost_share"] * v["amount"]
        self.charge(hh.node[chosen], v["amount"] + admin)
        m.ledger.record("government", "households", "cash transfers", v["amount"] * chosen.size)
        m.ledger.record("government", "rest_of_world", "transfer administration", admin * chosen.size)


class Roads(Lever):
    """Road works on the quickest paths from the targeted nodes to markets (municipalities
    to the nearest city or market, cities to the nearest market), bought with a yearly budget.

    An edge is ``travel_time x road_speed_kmh`` km long. Each year the budget first
    maintains the km already upgraded (``road_maintenance_share`` of their cost), then
    upgrades new km at ``road_upgrade_cost_per_km``, spread over the edges in proportion to
    their km not yet upgraded; an upgraded km loses ``road_upgrade_time_cut`` of its travel
    time and its share of the edge's road quality moves to ``quality_to``. Km left
    unmaintained (beyond what the budget covers, and every year after the programme) lose
    the upgrade at ``road_decay_rate``. ``road_works_local_share`` of the spending is paid
    as wages to residents of the edge's populated ends (a local income, in the ledger); the
    rest buys materials and machines outside the territory.
    """

    name = "roads"
    meaning = "a yearly road budget upgrading the roads towards markets at a unit cost per km"
    fields = (
        _f("budget", "USD/yr", 500000, 0, 1e10,
           "yearly spending on maintaining and upgrading the roads while the programme runs (real USD for the "
           "whole programme; the model spends it times households_scale)"),
        _f("quality_to", "1", 0.9, 0, 1, "road quality of an upgraded km"),
    )
    items = ("road works", "road works wages")
    scaled_fields = ("budget",)

    def __init__(self, policy, index, engine) -> None:
        super().__init__(policy, index, engine)
        self.edges: list[tuple[str, str]] | None = None  # chosen the first year it runs

    def _choose_edges(self) -> list[tuple[str, str]]:
        from ..model.network import path_edges

        m, t = self.model, self.model.territory
        hubs = {t.ids[i] for i in range(m.n_nodes) if t.kinds[i] != "municipality"}
        markets = {t.ids[j] for j in np.flatnonzero(m.is_market)}
        edges = set()
        for i in np.flatnonzero(self.nodes):
            node_id = t.ids[i]
            goal = hubs - {node_id} if t.kinds[i] == "municipality" else markets
            edges.update(tuple(sorted(e)) for e in path_edges(m.graph, node_id, goal))
        return sorted(edges)

    def _works(self) -> list[dict]:
        """The chosen edges' data. The works stay with the road, not the policy (a policy
        changed mid-run, or two programmes on one road, find the km already upgraded):
        ``travel_time_before_works`` (h), ``km`` (its length: that time at
        ``road_speed_kmh``) and ``km_upgraded``."""
        g, speed = self.model.graph, self.model.params.road_speed_kmh
        works = [g.edges[a, b] for a, b in self.edges]
        for data in works:
            if "km" not in data:
                data["travel_time_before_works"] = data["travel_time"]
                data["km"], data["km_upgraded"], data["decayed_in"] = data["travel_time"] * speed, 0.0, None
        return works

    def _decay(self, works: list[dict], share: float) -> None:
        """Upgraded km left unmaintained (``share`` of them) lose the upgrade at
        ``road_decay_rate``, once a year whichever programmes touch the road; travel times follow."""
        p, year = self.model.params, self.model.year
        for data in works:
            if data["decayed_in"] != year:
                data["km_upgraded"] *= 1.0 - p.road_decay_rate * share
                data["decayed_in"] = year
            data["travel_time"] = data["travel_time_before_works"] * (
                1.0 - p.road_upgrade_time_cut * data["km_upgraded"] / data["km"])

    def start_year(self) -> None:
        p, v = self.model.params, self.values
        if self.edges is None:
            self.edges = self._choose_edges()
        if not self.edges:
            return
        works = self._works()
        # km are real km, the budget simulated USD: the unit cost too, so the same km at every scale
        unit = p.road_upgrade_cost_per_km * self.households_scale
        upkeep = p.road_maintenance_share * unit * np.array([d["km_upgraded"] for d in works])
        maintained = min(1.0, v["budget"] / upkeep.sum()) if upkeep.sum() > 0 else 1.0
        self._decay(works, 1.0 - maintained)
        left = max(v["budget"] - upkeep.sum() * maintained, 0.0)
        missing = np.array([d["km"] - d["km_upgraded"] for d in works])
        new = missing * min(left / (unit * missing.sum()), 1.0) if missing.sum() > 0 else np.zeros_like(missing)
        for data, km in zip(works, new):
            data["road_quality"] += max(v["quality_to"] - data["road_quality"], 0.0) * km / data["km"]
            data["km_upgraded"] += km
        self._decay(works, 0.0)  # sets the travel times of the km upgraded
        self._pay(upkeep * maintained + new * unit)

    def _pay(self, spent: np.ndarray) -> None:
        """Charge each edge's spending (USD) to its populated ends (to the targeted nodes
        where an edge joins two markets) and pay the local share as wages there."""
        m = self.model
        if spent.sum() <= 0:
            return
        by_node = np.zeros(m.n_nodes)
        for k, edge in enumerate(self.edges):
            ends = np.array([m.territory.index(x) for x in edge])
            ends = ends[m.populated[ends]]
            if ends.size == 0:
                ends = np.flatnonzero(self.nodes)
            by_node[ends] += spent[k] / ends.size
        self.cost[:] += by_node
        wages = m.params.road_works_local_share * by_node
        m.flows.national_local += wages
        m.ledger.record("government", "households", "road works wages", wages.sum())
        m.ledger.record("government", "rest_of_world", "road works", by_node.sum() - wages.sum())

    def idle_year(self) -> None:
        if self.edges:
            self._decay(self._works(), 1.0)


class LandRedistribution(Lever):
    """Each year, a share of the largest holders' land is bought and divided among the
    smallest holders of the same node. Each effective hectare is paid at its value in the
    model's land market times ``land_purchase_markup``: ``land_price_years`` years of the node's
    rent (before this year's market clears: last year's; the starting rent before any), the most
    the market's buyers pay, and what land for sale fetches at rest (``land_market.sell``). A
    node without a land rent (no farm earns one) has no such value: its land is not bought."""

    name = "land_redistribution"
    meaning = "land bought from the largest holders and given to the smallest"
    fields = (
        _f("share", "1/yr", 0.02, 0, 0.5, "share of the largest holders' land moved each year"),
        _f("top_share", "1", 0.05, 0.001, 0.5, "share of households counted as largest holders"),
        _f("recipient_share", "1", 0.2, 0.001, 1, "share of households (smallest holdings first) receiving land"),
    )
    items = ("land purchases",)

    def start_year(self) -> None:
        from ..model import estates, land_market
        m, hh, v = self.model, self.model.households, self.values
        owned = estates.owned_land(m)
        for i in np.flatnonzero(self.nodes):
            rows = np.flatnonzero(hh.alive & (hh.node == i))
            if rows.size < 2:
                continue
            n_top = max(1, round(v["top_share"] * rows.size))
            n_rec = max(1, round(v["recipient_share"] * rows.size))
            order = rows[np.lexsort((rows, owned[rows]))]
            donors, recipients = order[-n_top:], order[:n_rec]
            recipients = recipients[~np.isin(recipients, donors)]
            price = self.price_per_effective_ha(i)
            if recipients.size == 0 or not price > 0:
                continue
            taken, effective = estates.take_share(m, donors, v["share"])  # from their farms and estates
            moved = taken.sum()
            # each hectare keeps its quality: the recipients gain the effective hectares taken
            land_market.add_land(m, recipients, np.full(recipients.size, moved / recipients.size),
                                 np.full(recipients.size, effective.sum() / recipients.size))
            payment = price * effective
            hh.assets[donors] += payment
            hh.programmes[recipients] |= self.bit
            m.ledger.record("government", "households", "land purchases", payment.sum())
            self.cost[i] += payment.sum()

    def price_per_effective_ha(self, node: int) -> float:
        """USD paid per effective hectare bought in ``node`` (0: the node has no land rent)."""
        m, p = self.model, self.model.params
        rent = m.land_rent[node] if np.isfinite(m.land_rent[node]) else m.start_land_rent[node]
        return p.land_purchase_markup * p.land_price_years * (rent if np.isfinite(rent) else 0.0)


class Credit(Lever):
    """Loans to smallholders without a loan, repaid in equal yearly payments (annuity);
    a household that cannot pay a payment defaults on the rest (see :func:`collect_repayments`)."""

    name = "credit"
    meaning = "annuity loans to smallholders"
    fields = (
        _f("loan", "USD/household", 800, 0, 50000, "loan per borrower"),
        _f("interest", "1/yr", 0.12, 0, 0.6, "interest rate"),
        _f("term", "yr", 3, 1, 15, "repayment period", kind="int"),
        _coverage(1.0, "share of eligible households reached"),
        _SMALLHOLDER_HA,
    )
    items = ("loans", "loan repayments")
    repaid = True

    def payment(self) -> float:
        """Yearly payment of a loan (USD/yr): the annuity at the interest rate over the term."""
        v = self.values
        r, term = v["interest"], int(v["term"])
        return v["loan"] * (r / (1 - (1 + r) ** -term) if r > 0 else 1.0 / term)

    def start_year(self) -> None:
        m, hh, v = self.model, self.model.households, self.values
        eligible = self.smallholders(self.nodes, v["smallholder_ha"])
        borrowing = eligible & (hh.loan_balance > 0)
        need = round(v["coverage"] * eligible.sum()) - int(borrowing.sum())
        pool = np.flatnonzero(eligible & (hh.loan_balance <= 0))
        if need <= 0 or pool.size == 0:
            return
        new = np.sort(m.streams["policies"].choice(pool, size=min(need, pool.size), replace=False))
        payment = self.payment()
        hh.assets[new] += v["loan"]
        hh.loan_balance[new] = payment * int(v["term"])
        hh.loan_payment[new] = payment
        hh.loan_policy[new] = self.index
        hh.programmes[new] |= self.bit
        m.ledger.record("government", "households", "loans", v["loan"] * new.size)
        self.charge(hh.node[new], v["loan"])


def collect_repayments(model, cost: np.ndarray, cash: np.ndarray) -> np.ndarray:
    """Loan payments due this year (USD per household), from every credit policy of the run,
    active or not; a household that cannot pay defaults on the rest. Repayments are
    subtracted from the lending policy's row of ``cost`` (policies x nodes)."""
    hh = model.households
    if not (hh.loan_balance.any() or hh.loan_payment.any()):  # no loans: nothing is due
        return np.zeros(hh.n)
    due = np.minimum(hh.loan_payment, hh.loan_balance) * hh.alive
    owing = due > 0
    pays = owing & (cash >= due)
    defaults = owing & ~pays
    paid = np.where(pays, due, 0.0)
    hh.loan_balance = np.where(defaults, 0.0, hh.loan_balance - paid)
    hh.loan_payment = np.where(hh.loan_balance > 0, hh.loan_payment, 0.0)
    if owing.any():
        model.ledger.record("households", "government", "loan repayments", hh.total(paid))
        lender = hh.loan_policy
        for k in np.unique(lender[owing]):
            rows = owing & (lender == k)
            cost[k] -= np.bincount(hh.node[rows], paid[rows], minlength=model.n_nodes)
    return paid


class _SmallholderService(Lever):
    """A yearly service to a growing share of the targeted smallholders, paid per household served."""

    item = ""

    def serve(self, new: np.ndarray) -> None:
        """What the service does to households newly reached."""

    def start_year(self) -> None:
        v = self.values
        eligible = self.smallholders(self.nodes, v["smallholder_ha"])
        self.serve(self.reach(eligible, v["coverage"]))
        rows = np.flatnonzero(eligible & self.reached())
        self.charge(self.model.households.node[rows], v["cost_per_household"])
        self.model.ledger.record("government", "rest_of_world", self.item, v["cost_per_household"] * rows.size)


class TechnicalAssistance(_SmallholderService):
    """Extension services offered to a growing share of the targeted smallholders.

    Each year an assisted household adopts the practices taught when the expected gain,
    ``tfp_gain`` times last year's farm sales, exceeds its own yearly cost of applying them
    (drawn once per household around ``assistance_effort_cost``, a cost in effort and risk,
    not money); an adopter's farm productivity is ``1 + tfp_gain`` times its own. Gains
    lose ``assistance_gain_decay`` a year when not assisted (so also after the programme).
    """

    name = "technical_assistance"
    meaning = "extension services raising the farm productivity of the smallholders who adopt"
    fields = (
        _f("tfp_gain", "1", 0.15, 0, 1, "proportional farm productivity gain of a household that adopts"),
        _coverage(0.3, "share of smallholders assisted"),
        _f("cost_per_household", "USD/household/yr", 150, 0, 10000, "yearly cost per assisted household"),
        _SMALLHOLDER_HA,
    )
    item = "technical assistance"
    items = (item,)

    def serve(self, new: np.ndarray) -> None:
        hh = self.model.households
        hh.adoption_cost[new] = lognormal_costs(self.model, self.model.params.assistance_effort_cost, new)

    def start_year(self) -> None:
        super().start_year()
        hh, gain = self.model.households, self.values["tfp_gain"]
        rows = np.flatnonzero(self.reached() & self.smallholders(self.nodes, self.values["smallholder_ha"]))
        adopt = rows[gain * hh.farm_income[rows] > hh.adoption_cost[rows]]
        hh.assistance_gain[adopt] = np.maximum(hh.assistance_gain[adopt], gain)


class MarketLinkage(_SmallholderService):
    """Links between smallholders and buyers who pay a better share of the farm-gate price
    (part of the intermediaries' margin) for as much as they buy.

    The buyers of each targeted municipality buy up to ``buyer_demand`` a year (USD at the
    farm-gate price); each linked producer sells them the same share of last year's farm
    sales, all of it while the linked producers' sales fit within that demand, and the rest
    at the usual share. So the gain is bounded by the buyers' demand: the more producers
    join, the less each gains.
    """

    name = "market_linkage"
    meaning = "links to buyers with a limited demand, paying smallholders more of the farm-gate price"
    fields = (
        _f("margin_cut", "1", 0.5, 0, 1, "share of the intermediary margin the buyers pay linked producers"),
        _coverage(0.3, "share of smallholders linked"),
        _f("cost_per_household", "USD/household/yr", 100, 0, 10000, "yearly cost per linked household"),
        _f("buyer_demand", "USD/yr", 200000, 0, 1e9,
           "yearly purchases of the buyers in each targeted municipality, at the farm-gate price (real USD; the "
           "model scales it by households_scale)"),
        _SMALLHOLDER_HA,
    )
    item = "market linkage services"
    items = (item,)
    scaled_fields = ("buyer_demand",)

    def start_year(self) -> None:
        super().start_year()
        m, hh, v = self.model, self.model.households, self.values
        base = 1.0 - m.params.intermediary_margin
        linked = self.reached() & self.nodes[hh.node]
        sold_at = self.engine.last_price_share
        value = np.where(linked & (sold_at > 0), hh.farm_income / np.where(sold_at > 0, sold_at, 1.0), 0.0)
        supply = np.bincount(hh.node, value, minlength=m.n_nodes)  # last year's sales at the farm-gate price
        with np.errstate(invalid="ignore", divide="ignore"):
            bought = np.where(supply > 0, np.minimum(v["buyer_demand"] / supply, 1.0), 0.0)
        premium = m.params.intermediary_margin * v["margin_cut"]
        hh.price_share = np.where(linked, base + premium * bought[hh.node], hh.price_share)


class Education(Lever):
    """More schooling for each new cohort of working-age adults, paid per child."""

    name = "education"
    meaning = "schooling added to new adults, paid per child"
    fields = (
        _f("years", "yr", 1.0, 0, 6, "schooling added to each new cohort of working-age adults"),
        _f("cost_per_child", "USD/child/yr", 60, 0, 5000, "yearly cost per child in the targeted nodes"),
    )
    items = ("schooling",)

    def start_year(self) -> None:
        hh, v = self.model.households, self.values
        rows = np.flatnonzero(self.households_in(self.nodes))
        children = (hh.members[rows] - hh.adults[rows]).astype(float)
        self.charge(hh.node[rows], v["cost_per_child"] * children)
        self.model.ledger.record("government", "rest_of_world", "schooling", v["cost_per_child"] * children.sum())

    def schooling_gain(self) -> np.ndarray:
        return np.where(self.nodes, self.values["years"], 0.0)


class EnvironmentalGovernance(Lever):
    """Enforcement grants to municipalities, a legal clearing cap, and payments for
    ecosystem services to enrolled landholders who do not clear."""

    name = "environmental_governance"
    meaning = "enforcement grants, a clearing cap and payments for ecosystem services"
    fields = (
        _f("clearing_cap", "ha/household/yr", 0.0, 0, 100, "largest legal clearing per household and year"),
        _f("enforcement_budget", "USD/yr", 50000, 0, 1e9,
           "yearly enforcement grant per targeted municipality (real USD; the model grants it times "
           "households_scale, as the municipality's forest is simulated at that scale)"),
        _f("pes_payment", "USD/household/yr", 100, 0, 10000,
           "payment for ecosystem services per enrolled household that does not clear"),
        _f("pes_coverage", "1", 0.3, 0, 1, "share of landholding households enrolled in payments for ecosystem services"),
    )
    items = ("enforcement grants", "payments for ecosystem services")
    scaled_fields = ("enforcement_budget",)

    def start_year(self) -> None:
        m, hh, v = self.model, self.model.households, self.values
        self.cost[self.nodes] += v["enforcement_budget"]
        for i in np.flatnonzero(self.nodes):
            m.municipalities[i].treasury += v["enforcement_budget"]
        m.ledger.record("government", "municipalities", "enforcement grants", v["enforcement_budget"] * self.nodes.sum())
        landholders = self.households_in(self.nodes) & (hh.land > 0)
        self.reach(landholders, v["pes_coverage"])

    def enforcement_budget(self, node: int) -> float:
        return self.values["enforcement_budget"] if self.nodes[node] else 0.0

    def pay(self, paid: np.ndarray) -> None:
        m, hh, v = self.model, self.model.households, self.values
        rows = np.flatnonzero(self.reached() & self.nodes[hh.node])
        paid[rows] += v["pes_payment"]
        self.charge(hh.node[rows], v["pes_payment"])
        m.ledger.record("government", "households", "payments for ecosystem services", v["pes_payment"] * rows.size)

    def limit_clearing(self, cap: np.ndarray, want: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        hh = self.model.households
        cap = np.where(self.nodes, np.minimum(cap, self.values["clearing_cap"]), cap)
        want = np.where(self.reached() & self.nodes[hh.node], 0.0, want)
        return cap, want


class FiscalDecentralisation(Lever):
    """A larger share of the national money for the targeted municipalities reaching their
    budgets, and less spent by the national level itself (``Municipality.national_spending``):
    money moves, it is not created (the government pays the same total).

    Its cost is the money moved to municipal budgets, booked in the ledger with the other
    national transfers (so it declares no ledger item of its own); the national spending
    it replaces falls by as much."""

    name = "fiscal_decentralisation"
    meaning = "national money for municipalities moved from national spending to municipal budgets"
    fields = (_f("share", "1", 0.9, 0.1, 1, "share of national transfers reaching municipal budgets"),)

    def start_year(self) -> None:
        from ..model.context import national_transfer_pc

        m = self.model
        pop = m.populations()
        extra = np.maximum(self.values["share"] - m.params.decentralisation_share, 0.0) * national_transfer_pc(m) * pop
        self.cost[:] += np.where(self.nodes, extra, 0.0)

    def municipal_share(self, node: int, share: float) -> float:
        return max(share, self.values["share"]) if self.nodes[node] else share


REGISTRY: Mapping[str, type[Lever]] = MappingProxyType({cls.name: cls for cls in (
    CashTransfer, Roads, LandRedistribution, Credit, TechnicalAssistance, Education, MarketLinkage,
    EnvironmentalGovernance, FiscalDecentralisation)})
"""Every policy lever by name."""

LEVERS: Mapping[str, Mapping[str, FieldSpec]] = MappingProxyType(
    {name: MappingProxyType(cls.field_specs()) for name, cls in REGISTRY.items()})
"""Policy levers by name: their numeric fields by name."""

COMMON_FIELDS = ("lever", "label", "start", "end", "target")
