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


class CashTransfer(Lever):
    """Yearly transfers to the poorest households of the targeted nodes by proxy means test."""

    name = "cash_transfer"
    meaning = "conditional cash transfers to the poorest households by proxy means test"
    fields = (
        _f("amount", "USD/household/yr", 300, 0, 10000, "transfer per beneficiary household"),
        _coverage(0.3, "share of households reached, poorest by proxy means test first"),
        _f("admin_cost_share", "1", 0.05, 0, 0.5, "administrative cost as a share of transfers"),
    )
    items = ("cash transfers", "transfer administration")

    PMT_LAND_WEIGHT = 0.3
    """Proxy means test: weight of log(1 + land in ha) next to log(1 + assets in USD)."""
    PMT_EDUCATION_WEIGHT = 0.1
    """Proxy means test: weight per year of schooling."""
    PMT_ADULT_SHARE_WEIGHT = 0.5
    """Proxy means test: weight of the working-age share of members."""

    def proxy_means_score(self, rows: np.ndarray) -> np.ndarray:
        """Proxy means test score of households ``rows`` (lower is poorer)."""
        hh = self.model.households
        return (np.log1p(hh.assets[rows]) + self.PMT_LAND_WEIGHT * np.log1p(hh.land[rows])
                + self.PMT_EDUCATION_WEIGHT * hh.education[rows]
                + self.PMT_ADULT_SHARE_WEIGHT * hh.adults[rows] / np.maximum(hh.members[rows], 1))

    def pay(self, paid: np.ndarray) -> None:
        m, hh, v = self.model, self.model.households, self.values
        rows = np.flatnonzero(self.households_in(self.nodes))
        n_benef = round(v["coverage"] * rows.size)
        if n_benef == 0:
            return
        chosen = rows[np.argsort(self.proxy_means_score(rows), kind="stable")[:n_benef]]
        paid[chosen] += v["amount"]
        hh.programmes[chosen] |= self.bit
        admin = v["admin_cost_share"] * v["amount"]
        self.charge(hh.node[chosen], v["amount"] + admin)
        m.ledger.record("government", "households", "cash transfers", v["amount"] * chosen.size)
        m.ledger.record("government", "rest_of_world", "transfer administration", admin * chosen.size)


class Roads(Lever):
    """Road works on the quickest paths from the targeted nodes to markets (municipalities
    to the nearest city or market, cities to the nearest market), spread over the years."""

    name = "roads"
    meaning = "road works cutting travel time and raising road quality towards markets"
    fields = (
        _f("travel_time_cut", "1", 0.3, 0, 0.9, "share of travel time removed by the end year"),
        _f("quality_to", "1", 0.9, 0, 1, "road quality reached by the end year"),
        _f("budget", "USD/yr", 500000, 0, 1e10,
           "yearly spending while the works last (real USD for the whole programme; the model spends it "
           "times households_scale)"),
    )
    items = ("road works",)
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

    def start_year(self) -> None:
        m, p, v = self.model, self.policy, self.values
        if self.edges is None:
            self.edges = self._choose_edges()
        years_left = p.end - m.year + 1
        factor = (1.0 - v["travel_time_cut"]) ** (1.0 / (p.end - p.start + 1))
        for a, b in self.edges:
            data = m.graph.edges[a, b]
            data["travel_time"] *= factor
            data["road_quality"] += max(v["quality_to"] - data["road_quality"], 0.0) / years_left
        if self.edges:
            # each edge's works are charged to its populated ends (a market node has no budget
            # in the outputs), to the targeted nodes where an edge joins two markets
            ends = np.array([m.territory.index(x) for e in self.edges for x in e])
            ends = ends[m.populated[ends]]
            if ends.size == 0:
                ends = np.flatnonzero(self.nodes)
            self.charge(ends, v["budget"] / len(ends))
            m.ledger.record("government", "rest_of_world", "road works", v["budget"])


class LandRedistribution(Lever):
    """Each year, a share of the largest holders' land is bought at ``land_price`` and
    divided among the smallest holders of the same node."""

    name = "land_redistribution"
    meaning = "land bought from the largest holders and given to the smallest"
    fields = (
        _f("share", "1/yr", 0.02, 0, 0.5, "share of the largest holders' land moved each year"),
        _f("top_share", "1", 0.05, 0.001, 0.5, "share of households counted as largest holders"),
        _f("recipient_share", "1", 0.2, 0.001, 1, "share of households (smallest holdings first) receiving land"),
    )
    items = ("land purchases",)

    def start_year(self) -> None:
        m, hh, v = self.model, self.model.households, self.values
        for i in np.flatnonzero(self.nodes):
            rows = np.flatnonzero(hh.alive & (hh.node == i))
            if rows.size < 2:
                continue
            n_top = max(1, round(v["top_share"] * rows.size))
            n_rec = max(1, round(v["recipient_share"] * rows.size))
            order = rows[np.lexsort((rows, hh.land[rows]))]
            donors, recipients = order[-n_top:], order[:n_rec]
            recipients = recipients[~np.isin(recipients, donors)]
            if recipients.size == 0:
                continue
            taken = v["share"] * hh.land[donors]
            moved = taken.sum()
            hh.land[donors] -= taken
            hh.land[recipients] += moved / recipients.size
            payment = m.params.land_price * taken
            hh.assets[donors] += payment
            hh.programmes[recipients] |= self.bit
            m.ledger.record("government", "households", "land purchases", payment.sum())
            self.cost[i] += payment.sum()


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
        model.ledger.record("households", "government", "loan repayments", paid.sum())
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
    """Extension services raising reached smallholders' farm productivity once."""

    name = "technical_assistance"
    meaning = "extension services raising smallholders' farm productivity"
    fields = (
        _f("tfp_gain", "1", 0.15, 0, 1, "proportional farm productivity gain of a reached household"),
        _coverage(0.3, "share of smallholders reached"),
        _f("cost_per_household", "USD/household/yr", 150, 0, 10000, "yearly cost per reached household"),
        _SMALLHOLDER_HA,
    )
    item = "technical assistance"
    items = (item,)

    def serve(self, new: np.ndarray) -> None:
        self.model.households.tfp[new] *= 1.0 + self.values["tfp_gain"]


class MarketLinkage(_SmallholderService):
    """Links to buyers removing part of the intermediary margin for reached smallholders."""

    name = "market_linkage"
    meaning = "links to buyers cutting the intermediaries' margin for smallholders"
    fields = (
        _f("margin_cut", "1", 0.5, 0, 1, "share of the intermediary margin removed for reached smallholders"),
        _coverage(0.3, "share of smallholders reached"),
        _f("cost_per_household", "USD/household/yr", 100, 0, 10000, "yearly cost per reached household"),
        _SMALLHOLDER_HA,
    )
    item = "market linkage services"
    items = (item,)

    def serve(self, new: np.ndarray) -> None:
        m = self.model
        m.households.price_share[new] = 1.0 - m.params.intermediary_margin * (1.0 - self.values["margin_cut"])


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
    """A larger share of national transfers reaching the targeted municipalities' budgets.

    Its cost is the extra transfer, booked in the ledger with the other national
    transfers (so it declares no ledger item of its own)."""

    name = "fiscal_decentralisation"
    meaning = "a larger share of national transfers reaching municipal budgets"
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
