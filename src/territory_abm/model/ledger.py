"""Money accounting: every flow has a payer and a payee.

Internal sectors hold stocks (household assets, firm cash, municipal treasuries);
``government`` (national) and ``rest_of_world`` are outside the territory, so flows with
them are territory inflows or outflows. Tests check that each internal sector's change
in stock equals its net recorded flows every year.
"""

from __future__ import annotations

from collections import defaultdict

INTERNAL = ("households", "firms", "municipalities")
EXTERNAL = ("government", "rest_of_world")
ACCOUNTS = INTERNAL + EXTERNAL


class Ledger:
    """Yearly record of money flows, in USD."""

    def __init__(self) -> None:
        self.years: list[dict[tuple[str, str, str], float]] = []
        self.current: dict[tuple[str, str, str], float] = defaultdict(float)

    def new_year(self) -> None:
        """Close the current year and open a new one."""
        self.current = defaultdict(float)
        self.years.append(self.current)

    def record(self, payer: str, payee: str, item: str, amount: float) -> None:
        """Record ``amount`` USD paid by ``payer`` to ``payee`` for ``item``."""
        if payer not in ACCOUNTS or payee not in ACCOUNTS:
            raise ValueError(f"unknown account in flow {payer}->{payee}")
        self.current[(payer, payee, item)] += float(amount)

    def net_flow(self, account: str, year_index: int = -1) -> float:
        """Inflows minus outflows of ``account`` in one year."""
        total = 0.0
        for (payer, payee, _), amount in self.years[year_index].items():
            if payee == account:
                total += amount
            if payer == account:
                total -= amount
        return total

    def flows(self, year_index: int = -1) -> dict[tuple[str, str, str], float]:
        return dict(self.years[year_index])

    def territory_net_inflow(self, year_index: int = -1) -> float:
        """Net money entering the territory from government and rest of world."""
        return sum(self.net_flow(a, year_index) for a in INTERNAL)
