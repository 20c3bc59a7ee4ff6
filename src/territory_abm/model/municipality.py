"""Municipalities: one Mesa agent per node that is not an external market."""

from __future__ import annotations

import math

import mesa

from . import context


def sustained_quality(start: float, spending: float, reference: float, elasticity: float) -> float:
    """The quality (0-1) that yearly ``spending`` per resident sustains: the starting
    quality at the ``reference`` spending that sustained it, scaled by (spending /
    reference)^elasticity and capped at 1; the starting quality where there is no reference."""
    if reference <= 0:
        return start
    return min(start * (max(spending, 0.0) / reference) ** elasticity, 1.0)


class Municipality(mesa.Agent):
    """A municipality or intermediate city.

    Attributes
    ----------
    node : int
        Node index in the territory.
    node_id, name, kind : str
    treasury : float
        Money held (USD).
    service_quality, governance : float
        0-1 indices; governance is the enforcement probability at full enforcement effort.
    enforcement : float
        Probability (0-1) that illegal clearing is caught this year.
    natural_capital, capacity : float
        Forest (ha, simulated scale) and its carrying capacity (area not farmed, ha).
    decentralisation_share : float
        Share of national transfers reaching the budget this year (policies may change it).
    budget_split : tuple of float or None
        This municipality's own shares of its general budget for roads, services and
        enforcement (in that order), as its government chose them (the shared-territory game);
        None: the registry's ``infrastructure_spending_share``, ``services_spending_share`` and
        ``enforcement_spending_share``, as every municipality of a scenario.
    """

    def __init__(self, model: mesa.Model, node: int, node_id: str, name: str, kind: str,
                 service_quality: float, governance: float, natural_capital: float,
                 area_ha: float) -> None:
        super().__init__(model)
        self.node, self.node_id, self.name, self.kind = node, node_id, name, kind
        self.treasury = 0.0
        self.service_quality = self.service_quality_start = service_quality
        self.services_reference: float | None = None  # services spending per resident the start sustains (USD/yr)
        self.governance = governance
        self.enforcement = 0.0
        self.natural_capital = natural_capital
        self.area_ha = area_ha
        self.capacity = area_ha
        self.decentralisation_share = 0.0
        self.extra_enforcement = 0.0
        self.revenue = 0.0
        self.spending = 0.0
        self.local_payment = 0.0
        self.infrastructure_spending = 0.0
        self.budget_split: tuple[float, float, float] | None = None

    def govern(self, populations) -> None:
        """This year's budget: the policies' decentralised share and earmarked enforcement
        grants, revenue for the residents (``populations`` by node, persons), spending, and
        the local incomes it pays (``model.flows.public_local``)."""
        population = populations[self.node]
        policies = self.model.policies
        self.decentralisation_share = policies.decentralisation_share(self.node)
        self.extra_enforcement = policies.enforcement_budget(self.node)
        self.collect_revenue(population)
        self.spend(population)
        self.model.flows.public_local[self.node] = self.local_payment

    def collect_revenue(self, population: float) -> None:
        """Receive national transfers (USD) for this year's residents: the decentralised
        share of the national money for the municipality. The national level spends the rest
        there itself (:meth:`national_spending`), so decentralisation moves money from
        national to municipal hands rather than adding it."""
        pool = context.national_transfer_pc(self.model) * population
        transfers = pool * self.decentralisation_share
        self.treasury += transfers
        self.revenue = transfers + self.model.last_taxes[self.node]
        self.model.ledger.record("government", "municipalities", "national transfers", transfers)
        self.national_spending(pool - transfers)

    def national_spending(self, amount: float) -> None:
        """The national government's own spending in the municipality (USD): a share
        ``national_local_content_share`` is paid as local incomes, the rest buys outside."""
        model = self.model
        local = model.params.national_local_content_share * amount
        model.flows.national_local[self.node] += local
        model.ledger.record("government", "households", "national local spending", local)
        model.ledger.record("government", "rest_of_world", "national purchases", amount - local)

    def spend(self, population: float) -> None:
        """Spend the treasury on roads, services, enforcement and administration.

        A share (``local_content_share``) of spending is paid as local incomes; the rest
        leaves the territory. Service quality moves toward the quality its spending per
        resident sustains (``sustained_quality``); enforcement probability rises with
        spending per hectare of forest.
        """
        p = self.model.params
        budget = max(self.treasury, 0.0)
        self.treasury -= budget
        self.spending = budget
        general = max(budget - self.extra_enforcement, 0.0)  # earmarked grants are spent on enforcement
        per_person = general / max(population, 1.0)
        roads_share, services_share, enforcement_share = self.budget_split or (
            p.infrastructure_spending_share, p.services_spending_share, p.enforcement_spending_share)
        self.infrastructure_spending = roads_share * general
        services = services_share * per_person
        if self.services_reference is None:  # the data's quality is what the first year's budget sustains
            self.services_reference = p.services_spending_share * per_person  # on the scenario's split
        target = sustained_quality(self.service_quality_start, services, self.services_reference,
                                   p.services_spending_elasticity)
        self.service_quality += p.quality_adjustment * (target - self.service_quality)
        enforcement_spend = enforcement_share * general + (budget - general)
        effort = 1.0 - math.exp(-p.enforcement_effectiveness * enforcement_spend / max(self.natural_capital, 1.0))
        self.enforcement = self.governance * effort
        self.local_payment = p.local_content_share * budget
        self.model.ledger.record("municipalities", "households", "local public spending", self.local_payment)
        self.model.ledger.record("municipalities", "rest_of_world", "public purchases", budget - self.local_payment)

    def regrow_nature(self, farmland: float, forest_share: float = 1.0) -> None:
        """Logistic regrowth of natural capital toward ``forest_share`` of the area not
        farmed (ha); ``capacity`` is that area."""
        self.capacity = max(self.area_ha - farmland, 0.0)
        k, target = self.natural_capital, forest_share * self.capacity
        if target > 0:
            k += self.model.params.natural_capital_regrowth * k * (1.0 - k / target)
        self.natural_capital = min(max(k, 0.0), self.capacity)

    @property
    def forest_cover(self) -> float:
        return self.natural_capital / self.area_ha if self.area_ha > 0 else float("nan")

    def __repr__(self) -> str:
        return (f"Municipality({self.node_id} {self.name!r}, {self.kind}, treasury={self.treasury:.0f}, "
                f"services={self.service_quality:.2f}, enforcement={self.enforcement:.2f}, "
                f"forest_cover={self.forest_cover:.2f})")
