"""Carrying out the scenario's policy levers, with their costs and the households reached.

Each policy has an index ``k``; bit ``k`` of a household's ``programmes`` mask is set
once the policy reaches it (beneficiaries versus non-beneficiaries for impact
accounting). Costs are recorded per policy and node every year.
"""

from __future__ import annotations

import numpy as np

from ..scenarios.loader import Policy, check_targets
from .network import path_edges


class PolicyEngine:
    """Applies a scenario's policies to a :class:`TerritoryModel`."""

    def __init__(self, model, policies: tuple[Policy, ...]) -> None:
        self.model = model
        self.policies = policies
        self.labels = [p.label for p in policies]
        check_targets(model.scenario, model.territory)
        self.cost = np.zeros((len(policies), model.n_nodes))
        self.active: list[int] = []
        self._road_edges: dict[int, list[tuple[str, str]]] = {}
        self._targets: dict[int, np.ndarray] = {}

    # ------------------------------------------------------------------ targeting
    def target_nodes(self, k: int) -> np.ndarray:
        """Boolean mask over nodes targeted by policy ``k`` this year."""
        m, target = self.model, self.policies[k].target
        if target == "all":
            return m.populated.copy()
        if isinstance(target, tuple):
            mask = np.zeros(m.n_nodes, bool)
            mask[[m.territory.index(t) for t in target]] = True
            return mask
        if "poverty_above" in target:
            return m.populated & (np.nan_to_num(m.node_stats["poverty_headcount"]) > target["poverty_above"])
        return m.territory.kinds == target["kind"]

    def _households_in(self, nodes: np.ndarray) -> np.ndarray:
        hh = self.model.households
        return hh.alive & nodes[hh.node]

    def _reach(self, k: int, eligible: np.ndarray, coverage: float) -> np.ndarray:
        """Extend policy ``k`` to a random set of eligible households until ``coverage`` of
        them are reached; returns the rows newly reached."""
        hh = self.model.households
        bit = np.int64(1) << np.int64(k)
        reached = eligible & ((hh.programmes & bit) != 0)
        need = int(round(coverage * eligible.sum())) - int(reached.sum())
        if need <= 0:
            return np.zeros(0, np.int64)
        pool = np.flatnonzero(eligible & ~reached)
        new = np.sort(self.model.streams["policies"].choice(pool, size=min(need, pool.size), replace=False))
        hh.programmes[new] |= bit
        return new

    def _reached(self, k: int) -> np.ndarray:
        hh = self.model.households
        return hh.alive & ((hh.programmes & (np.int64(1) << np.int64(k))) != 0)

    def _charge(self, k: int, nodes_of_spending: np.ndarray, amount: np.ndarray | float) -> None:
        """Add costs of policy ``k`` per node: ``amount`` by household node or a node array."""
        self.cost[k] += np.bincount(nodes_of_spending, np.broadcast_to(amount, nodes_of_spending.shape),
                                    minlength=self.model.n_nodes)

    def costs_by_node(self) -> np.ndarray:
        return self.cost

    def set_policy(self, policy: Policy) -> int:
        """Add ``policy``, or replace the policy with the same label (keeping its index, so the
        households it reached stay marked); it takes effect from the next year the model
        steps through. Returns its index. Used to change levers mid-run (classroom)."""
        check_targets(self.model.scenario.replace(policies=(policy,)), self.model.territory)
        if policy.label in self.labels:
            k = self.labels.index(policy.label)
            self.policies = self.policies[:k] + (policy,) + self.policies[k + 1:]
            self._road_edges.pop(k, None)
            return k
        if len(self.policies) >= 63:
            raise ValueError("at most 63 policies per run (one bit each in a household's programme mask)")
        self.policies = self.policies + (policy,)
        self.labels.append(policy.label)
        self.cost = np.vstack([self.cost, np.zeros((1, self.model.n_nodes))])
        return len(self.policies) - 1

    # ------------------------------------------------------------------ yearly
    def start_year(self, year: int) -> None:
        """Apply structural levers of the policies active this year."""
        self.cost[:] = 0.0
        self.active = [k for k, p in enumerate(self.policies) if p.active(year)]
        self._targets = {k: self.target_nodes(k) for k in self.active}
        for k in self.active:
            handler = getattr(self, f"_start_{self.policies[k].lever}", None)
            if handler is not None:
                handler(k, self.policies[k].values, self._targets[k])

    def _smallholders(self, nodes: np.ndarray, limit_ha: float) -> np.ndarray:
        hh = self.model.households
        return self._households_in(nodes) & (hh.land <= limit_ha) & (hh.land > 0)

    def _start_roads(self, k, v, nodes) -> None:
        m, p = self.model, self.policies[k]
        g = m.graph
        if k not in self._road_edges:
            hubs = {m.territory.ids[i] for i in range(m.n_nodes) if m.territory.kinds[i] != "municipality"}
            edges = set()
            for i in np.flatnonzero(nodes):
                node_id = m.territory.ids[i]
                goal = hubs - {node_id} if m.territory.kinds[i] == "municipality" else \
                    {m.territory.ids[j] for j in np.flatnonzero(m.is_market)}
                edges.update(tuple(sorted(e)) for e in path_edges(g, node_id, goal))
            self._road_edges[k] = sorted(edges)
        edges = self._road_edges[k]
        years_left = p.end - m.year + 1
        factor = (1.0 - v["travel_time_cut"]) ** (1.0 / (p.end - p.start + 1))
        for a, b in edges:
            data = g.edges[a, b]
            data["travel_time"] *= factor
            data["road_quality"] += max(v["quality_to"] - data["road_quality"], 0.0) / years_left
        if edges:
            ends = np.array([m.territory.index(x) for e in edges for x in e])
            self._charge(k, ends, v["budget"] / len(ends))
            m.ledger.record("government", "rest_of_world", "road works", v["budget"])

    def _start_land_redistribution(self, k, v, nodes) -> None:
        m, hh = self.model, self.model.households
        bit = np.int64(1) << np.int64(k)
        for i in np.flatnonzero(nodes):
            rows = np.flatnonzero(hh.alive & (hh.node == i))
            if rows.size < 2:
                continue
            n_top = max(1, int(round(v["top_share"] * rows.size)))
            n_rec = max(1, int(round(v["recipient_share"] * rows.size)))
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
            hh.programmes[recipients] |= bit
            m.ledger.record("government", "households", "land purchases", payment.sum())
            self.cost[k, i] += payment.sum()

    def _start_credit(self, k, v, nodes) -> None:
        m, hh = self.model, self.model.households
        eligible = self._smallholders(nodes, v["smallholder_ha"])
        borrowing = eligible & (hh.loan_balance > 0)
        need = int(round(v["coverage"] * eligible.sum())) - int(borrowing.sum())
        pool = np.flatnonzero(eligible & (hh.loan_balance <= 0))
        if need <= 0 or pool.size == 0:
            return
        new = np.sort(m.streams["policies"].choice(pool, size=min(need, pool.size), replace=False))
        r, term = v["interest"], int(v["term"])
        payment = v["loan"] * (r / (1 - (1 + r) ** -term) if r > 0 else 1.0 / term)
        hh.assets[new] += v["loan"]
        hh.loan_balance[new] = payment * term
        hh.loan_payment[new] = payment
        hh.loan_policy[new] = k
        hh.programmes[new] |= np.int64(1) << np.int64(k)
        m.ledger.record("government", "households", "loans", v["loan"] * new.size)
        self._charge(k, hh.node[new], v["loan"])

    def _start_technical_assistance(self, k, v, nodes) -> None:
        hh = self.model.households
        eligible = self._smallholders(nodes, v["smallholder_ha"])
        new = self._reach(k, eligible, v["coverage"])
        hh.tfp[new] *= 1.0 + v["tfp_gain"]
        self._charge_services(k, eligible, v["cost_per_household"], "technical assistance")

    def _start_market_linkage(self, k, v, nodes) -> None:
        m, hh = self.model, self.model.households
        eligible = self._smallholders(nodes, v["smallholder_ha"])
        new = self._reach(k, eligible, v["coverage"])
        hh.price_share[new] = 1.0 - m.params.intermediary_margin * (1.0 - v["margin_cut"])
        self._charge_services(k, eligible, v["cost_per_household"], "market linkage services")

    def _charge_services(self, k, eligible, unit_cost, item) -> None:
        served = eligible & self._reached(k)
        rows = np.flatnonzero(served)
        self._charge(k, self.model.households.node[rows], unit_cost)
        self.model.ledger.record("government", "rest_of_world", item, unit_cost * rows.size)

    def _start_education(self, k, v, nodes) -> None:
        hh = self.model.households
        rows = np.flatnonzero(self._households_in(nodes))
        children = (hh.members[rows] - hh.adults[rows]).astype(float)
        self._charge(k, hh.node[rows], v["cost_per_child"] * children)
        self.model.ledger.record("government", "rest_of_world", "schooling", v["cost_per_child"] * children.sum())

    def _start_environmental_governance(self, k, v, nodes) -> None:
        m, hh = self.model, self.model.households
        self.cost[k, nodes] += v["enforcement_budget"]
        for i in np.flatnonzero(nodes):
            m.municipalities[i].treasury += v["enforcement_budget"]
        m.ledger.record("government", "municipalities", "enforcement grants", v["enforcement_budget"] * nodes.sum())
        landholders = self._households_in(nodes) & (hh.land > 0)
        self._reach(k, landholders, v["pes_coverage"])

    def _start_fiscal_decentralisation(self, k, v, nodes) -> None:
        m = self.model
        pop = m.populations()
        extra = np.maximum(v["share"] - m.params.decentralisation_share, 0.0) * m.params.national_transfer_pc * pop
        self.cost[k] += np.where(nodes, extra, 0.0)

    # ------------------------------------------------------------------ queries used by the model
    def _active_of(self, lever: str):
        return [k for k in self.active if self.policies[k].lever == lever]

    def decentralisation_share(self, node: int) -> float:
        share = self.model.params.decentralisation_share
        for k in self._active_of("fiscal_decentralisation"):
            if self._targets[k][node]:
                share = max(share, self.policies[k].values["share"])
        return share

    def enforcement_budget(self, node: int) -> float:
        """Extra enforcement money (USD/yr) granted to a municipality this year.

        The grant enters the treasury through the ledger and is spent on enforcement.
        """
        total = 0.0
        for k in self._active_of("environmental_governance"):
            if self._targets[k][node]:
                total += self.policies[k].values["enforcement_budget"]
        return total

    def schooling_gain(self, household_nodes: np.ndarray) -> np.ndarray:
        """Years of schooling added to new adults, per household."""
        gain = np.zeros(self.model.n_nodes)
        for k in self._active_of("education"):
            gain += np.where(self._targets[k], self.policies[k].values["years"], 0.0)
        return gain[household_nodes]

    def pay_households(self, year: int) -> np.ndarray:
        """Cash transfers and payments for ecosystem services this year (USD per household)."""
        m, hh = self.model, self.model.households
        paid = np.zeros(hh.n)
        for k in self._active_of("cash_transfer"):
            v = self.policies[k].values
            rows = np.flatnonzero(self._households_in(self._targets[k]))
            n_benef = int(round(v["coverage"] * rows.size))
            if n_benef == 0:
                continue
            score = (np.log1p(hh.assets[rows]) + 0.3 * np.log1p(hh.land[rows]) + 0.1 * hh.education[rows]
                     + 0.5 * hh.adults[rows] / np.maximum(hh.members[rows], 1))
            chosen = rows[np.argsort(score, kind="stable")[:n_benef]]
            paid[chosen] += v["amount"]
            hh.programmes[chosen] |= np.int64(1) << np.int64(k)
            admin = v["admin_cost_share"] * v["amount"]
            self._charge(k, hh.node[chosen], v["amount"] + admin)
            m.ledger.record("government", "households", "cash transfers", v["amount"] * chosen.size)
            m.ledger.record("government", "rest_of_world", "transfer administration", admin * chosen.size)
        for k in self._active_of("environmental_governance"):
            v = self.policies[k].values
            rows = np.flatnonzero(self._reached(k) & self._targets[k][hh.node])
            paid[rows] += v["pes_payment"]
            self._charge(k, hh.node[rows], v["pes_payment"])
            m.ledger.record("government", "households", "payments for ecosystem services", v["pes_payment"] * rows.size)
        return paid

    def collect_repayments(self, cash: np.ndarray) -> np.ndarray:
        """Loan payments due this year; a household that cannot pay defaults on the rest."""
        m, hh = self.model, self.model.households
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
            m.ledger.record("households", "government", "loan repayments", paid.sum())
            lender = hh.loan_policy
            for k in np.unique(lender[owing]):
                rows = owing & (lender == k)
                self.cost[k] -= np.bincount(hh.node[rows], paid[rows], minlength=m.n_nodes)
        return paid

    def limit_clearing(self, want: np.ndarray, enforcement: np.ndarray) -> np.ndarray:
        """Apply clearing caps (complied with where enforced) and PES enrolment (no clearing)."""
        m, hh = self.model, self.model.households
        levers = self._active_of("environmental_governance")
        if not levers:
            return want
        cap = np.full(m.n_nodes, np.inf)
        for k in levers:
            cap = np.where(self._targets[k], np.minimum(cap, self.policies[k].values["clearing_cap"]), cap)
            want = np.where(self._reached(k) & self._targets[k][hh.node], 0.0, want)
        complies = m.streams["policies"].random(hh.n) < enforcement[hh.node]
        return np.where(complies, np.minimum(want, cap[hh.node]), want)
