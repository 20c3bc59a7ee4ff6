"""Every figure the classroom guides (``scenarios/classroom/*.md``) state, measured per seed.

Each exercise is driven as a group's page drives it: a :class:`GroupStore` with the no-policy
twin stepped alongside, the levers switched with ``app.set_field`` / ``set_target`` /
``set_years`` / ``apply``, the comparison read from the group's ``track`` and from
``app.read_view`` (the figures as the page writes them). Over the seeds each guide names, it
prints one line per seed and run, then the range over the seeds of each figure the guide
states. The shared-territory game (exercise 4, through :class:`Game`) is played with one
government choosing at a time, seeds 1-9, for the spill-overs its guide describes. Seeded: the
same commit prints the same figures.

    python benchmarks/classroom_claims.py [transfers] [roads] [forest] [game]

All four parts take about 40 s of CPU once the kernels are compiled (2a032c0).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import territory_abm  # noqa: F401  # first: numpy then leaves its AVX-512 paths off (territory_abm.vector_paths)
import networkx as nx
import numpy as np

from territory_abm.dashboard import app
from territory_abm.dashboard.app import exercise
from territory_abm.dashboard.compare import in_both, incomes_of_others
from territory_abm.dashboard.game import Game
from territory_abm.dashboard.groups import Group, GroupStore
from territory_abm.dashboard.text import outcome_text
from territory_abm.model import labour

CLASSROOM = Path(__file__).resolve().parents[1] / "scenarios" / "classroom"
TRANSFER_SEEDS = range(1, 10)
"""Exercise 1's guide: seeds 1-9."""
ROAD_SEEDS = (1, 2, 3, 4, 5, 7, 8)
"""Exercise 2's guide: seeds 1-5, 7 and 8."""
FOREST_SEEDS = range(1, 6)
"""Exercise 3's guide: seeds 1-5."""
BEFORE = 5
"""Years stepped without policy before exercises 1 and 2 switch their lever on."""
LARGEST_ROAD_BUDGET = 2e6
"""The road budget slider's largest value (USD/yr)."""


@contextmanager
def group(name: str, seed: int) -> Iterator[Group]:
    """A group of exercise ``name`` (its scenario file's stem) at ``seed``, with its twin."""
    factory, _ = exercise(CLASSROOM / f"{name}.toml")
    store = GroupStore(factory, seed=seed, twins=True)
    try:
        with store.use("A") as g:
            yield g
    finally:
        store.clear()


def steps(g: Group, years: int) -> None:
    """Step the group (and its twin) ``years`` years, as pressing **Step** does."""
    for _ in range(years):
        g.step()


def switch_on(g: Group, lever: str, target: str = "all", years: int | None = None, **fields: float) -> None:
    """Switch ``lever`` on as its panel does: its ``fields``, "Where" (``target``: "all" or a
    node id) and ``years`` (default its own) set first, from the next year."""
    for name, value in fields.items():
        app.set_field(g, lever, name, value)
    app.set_target(g, lever, target)
    if years is not None:
        app.set_years(g, lever, years)
    app.apply(g, lever, True)


def points(row: dict, name: str = "poverty_headcount") -> float:
    """This run's ``name`` minus the twin's in a track or node row, in percentage points."""
    return 100 * (row[name] - row[f"twin_{name}"])


def others_gain(row: dict) -> float:
    """Income per person (USD/yr) of the households no programme reached, minus theirs in the twin."""
    return row["income_others"] - row["twin_income_others"]


def cost_this_year(g: Group) -> float:
    """The selected municipality's "Policy cost this year (USD)" as its details show it."""
    return float(dict(app.read_view(g).details)["Policy cost this year (USD)"].replace(",", ""))


def node_difference(g: Group, name: str, node: str) -> float:
    """Outcome ``name`` of municipality ``node``, this run minus the twin."""
    i = g.model.territory.index(node)
    return float(g.model.node_stats[name][i] - g.twin.node_stats[name][i])


def summary(label: str, values, digits: int = 1) -> None:
    """Print the range of ``values`` over the seeds and how many are above zero."""
    values = np.asarray(values, float)
    print(f"  {label}: {values.min():.{digits}f} to {values.max():.{digits}f}, mean {values.mean():.{digits}f},"
          f" above 0 in {int((values > 0).sum())} of {values.size}, below in {int((values < 0).sum())}")


# ---------------------------------------------------------------------------- exercise 1


def transfers() -> None:
    """Exercise 1: the transfer for Cerro Azul only, then for all municipalities, each
    switched on after five years and run five more; then for all with 3 years only."""
    print("Exercise 1, transfer for Cerro Azul only (years 1 and 5 of the transfer):")
    print("  seed  C table poverty (this, twin, diff)  territory pts  C others  territory others"
          "  cost y1  cost y5  C pts y5  C people y5")
    rows = []
    for seed in TRANSFER_SEEDS:
        with group("poverty_and_transfers", seed) as g:
            steps(g, BEFORE)
            g.selected = "C"
            switch_on(g, "cash_transfer", "C", amount=300.0, coverage=0.3)  # the guide's step 2
            g.step()
            (poverty, _, others) = app.read_view(g).compared
            first = (points(g.track[-1]), others_gain(g.track[-1]), cost_this_year(g))
            shown = (outcome_text("poverty_headcount", first[0] / 100, "en", signed=True),
                     outcome_text("mean_income_pc", first[1], "en", signed=True))
            steps(g, 4)
            fifth = (cost_this_year(g), 100 * node_difference(g, "poverty_headcount", "C"),
                     node_difference(g, "population", "C"))
        rows.append((float(poverty[3]), float(others[3]), *first, *fifth))
        print(f"  {seed:4d}  {poverty[1]:>5s} {poverty[2]:>5s} {poverty[3]:>5s}  {first[0]:+7.2f} {shown[0]:>5s}  {others[3]:>8s}"
              f"  {first[1]:+11.1f} {shown[1]:>4s}  {first[2]:7.0f}  {fifth[0]:7.0f}  {fifth[1]:+8.2f}  {fifth[2]:+11.0f}")
    r = np.array(rows)
    for k, label in enumerate(("C's table, first year (points)", "C's non-recipients, first year (USD, as shown)",
                               "territory's poverty, first year (points)", "territory's non-reached, first year (USD)",
                               "policy cost, first year (USD)", "policy cost, fifth year (USD)",
                               "C's poverty after 5 years (points)", "C's population after 5 years (persons)")):
        summary(label, r[:, k], digits=0 if "USD" in label and "cost" in label else 2)

    print("Exercise 1, transfer for all municipalities (non-recipients' gain, USD/person, years 1-5; poverty, points):")
    gains, poverty = [], []
    for seed in TRANSFER_SEEDS:
        with group("poverty_and_transfers", seed) as g:
            steps(g, BEFORE)
            switch_on(g, "cash_transfer")
            steps(g, 5)
            gains.append([others_gain(row) for row in g.track[-5:]])
            poverty.append([points(row) for row in g.track[-5:]])
        print(f"  {seed:4d}  gain {np.round(gains[-1], 1)}  poverty {np.round(poverty[-1], 2)}")
    gains, poverty = np.array(gains), np.array(poverty)
    summary("non-recipients' gain, first year (USD)", gains[:, 0])
    summary("non-recipients' gain, fifth year (USD)", gains[:, -1])
    fifth = gains[:, -1]
    print(f"  non-recipients' gain, fifth year, mean over the seeds {fifth.mean():.1f} USD, standard deviation"
          f" {fifth.std(ddof=1):.1f}, noise bound (t 2.306 standard errors) {2.306 * fifth.std(ddof=1) / np.sqrt(fifth.size):.1f}")
    summary("territory's poverty, first year (points)", poverty[:, 0], digits=2)
    summary("territory's poverty, fifth year (points)", poverty[:, -1], digits=2)

    print("Exercise 1, transfer for all municipalities for 3 years (territory's poverty, points, years 1-5):")
    poverty = []
    for seed in TRANSFER_SEEDS:
        with group("poverty_and_transfers", seed) as g:
            steps(g, BEFORE)
            switch_on(g, "cash_transfer", years=3)
            steps(g, 5)
            poverty.append([points(row) for row in g.track[-5:]])
        print(f"  {seed:4d}  poverty {np.round(poverty[-1], 2)}")
    poverty = np.array(poverty)
    for year in range(5):
        summary(f"year {year + 1}", poverty[:, year], digits=2)
        print(f"    standard error of the mean {poverty[:, year].std(ddof=1) / np.sqrt(len(poverty)):.2f}")


# ---------------------------------------------------------------------------- exercise 2


def trip(model, start: str, end: str = "T", weight: str = "travel_time") -> float:
    """Quickest travel time (hours) from node ``start`` to ``end`` over the model's roads: as the
    map labels its roads (``travel_time``), or as commuters and traders travel them
    (``effective_time``: longer on poor roads, ``road_quality_penalty``)."""
    return nx.shortest_path_length(model.graph, start, end, weight=weight)


def town_over_alto(model) -> float:
    """The town's mean posted wage per skill unit over Alto Verde's (``labour.job_offers``)."""
    wage = labour.job_offers(model, model.firm_table.vacancies * model.firm_table.alive).unit_wage
    return float(wage[model.territory.index("T")] / wage[model.territory.index("A")])


def commute_share(model, start: str, end: str = "T") -> float:
    """The share of a wage at ``end`` a commuter from ``start`` keeps, as the job rule weighs it
    (``labour.commuting_share`` over ``model.commute``'s pairs; 0 beyond ``commute_limit``)."""
    pairs, index = model.commute, model.territory.index
    pair = np.flatnonzero((pairs.origin() == index(start)) & (pairs.dest == index(end)))
    return float(labour.commuting_share(model)[pair[0]]) if pair.size else 0.0


def commuting_flows(model) -> dict[str, float]:
    """This year's workers employed away from home, by "home>job" node ids."""
    c = model.commuting.tocoo()
    ids = model.territory.ids
    return {f"{ids[h]}>{ids[j]}": round(float(w)) for h, j, w in zip(c.row, c.col, c.data) if h != j and w >= 0.5}


def roads() -> None:
    """Exercise 2: the road for Cerro Azul after five years, with the budget as given and the
    largest, then ten more years."""
    first = True
    for budget in (None, LARGEST_ROAD_BUDGET):
        print(f"Exercise 2, road for Cerro Azul, budget {'as given' if budget is None else f'{budget:,.0f}'}:")
        print("  seed  trip C-T (start, y5, works end, +5)  price C (y5, works end, +5; twin +5)"
              "  min price gap y10-15  commuters (most; twin most; C)  y9  C people y15")
        rows = []
        for seed in ROAD_SEEDS:
            with group("remote_roads", seed) as g:
                model, twin = g.model, g.twin
                c = model.territory.index("C")
                if first:
                    print(f"  seed {seed} at the start: C-T {trip(model, 'C'):.2f} h, A-T {trip(model, 'A'):.2f} h")
                trips, prices, gaps, commuters, twin_commuters, c_commuters = [trip(model, "C")], [], [], [], [], []
                felt = {"A": [trip(model, "A", weight="effective_time")], "C": [trip(model, "C", weight="effective_time")]}
                for year in range(1, BEFORE + 11):
                    if year == BEFORE + 1:
                        switch_on(g, "roads", "C", **({} if budget is None else {"budget": budget}))
                    g.step()
                    trips.append(trip(model, "C"))
                    for node in felt:
                        felt[node].append(trip(model, node, weight="effective_time"))
                    if year == BEFORE + 5:
                        ratio, kept = town_over_alto(model), commute_share(model, "A")
                    prices.append(float(model.farm_gate[c]))
                    gaps.append(float(model.farm_gate[c] - twin.farm_gate[c]))
                    commuters.append(round(model.territory_stats["commuters"]))  # workers, summed from shares
                    twin_commuters.append(round(twin.territory_stats["commuters"]))
                    c_commuters.append(round(model.node_stats["commuters"][c]))
                    if year == BEFORE + 4:
                        flows = commuting_flows(model)
                    if year == BEFORE + 10:
                        people = node_difference(g, "population", "C")
            y5, end, later = BEFORE, BEFORE + 5, BEFORE + 10
            rows.append((trips[end], trips[later], prices[end - 1], prices[later - 1], min(gaps[end - 1:]),
                         max(commuters[BEFORE:]), commuters[BEFORE + 3], people, felt["A"][0], felt["A"][end],
                         felt["A"][later], felt["C"][end], felt["C"][later], ratio, kept * ratio))
            print(f"  {seed:4d}  {trips[0]:.2f} {trips[y5]:.2f} {trips[end]:.2f} {trips[later]:.2f}"
                  f"  {prices[y5 - 1]:.3f} {prices[end - 1]:.3f} {prices[later - 1]:.3f}; {prices[later - 1] - gaps[-1]:.3f}"
                  f"  {min(gaps[end - 1:]):+.4f}  {max(commuters[BEFORE:]):5.0f}; {max(twin_commuters[BEFORE:]):5.0f};"
                  f" {max(c_commuters):.0f}  {commuters[BEFORE + 3]:5.0f}  {people:+5.0f}")
            print(f"        commuters' trip A-T (start, works end, +5) {felt['A'][0]:.2f} {felt['A'][end]:.2f}"
                  f" {felt['A'][later]:.2f} h, C-T {felt['C'][0]:.2f} {felt['C'][end]:.2f} {felt['C'][later]:.2f} h;"
                  f" at the works' end the town's wage per skill unit over Alto Verde's {ratio:.3f}, kept by an"
                  f" Alto Verde commuter {kept:.3f}, so the town's net over home {kept * ratio:.3f}")
            print(f"        C's price in the years after the works {np.round(prices[end:], 3)}")
            print(f"        commuters by year after the switch {np.array(commuters[BEFORE:])},"
                  f" twin {np.array(twin_commuters[BEFORE:])}; flows 4 years after: {flows}")
        first = False
        r = np.array(rows)
        for k, label in enumerate(("C-T trip at the works' end (h)", "C-T trip 5 years later (h)",
                                   "C's price at the works' end", "C's price 5 years later",
                                   "C's price minus the twin's, least from the works' end",
                                   "most commuters after the switch", "commuters 4 years after the switch",
                                   "C's population after 10 years (persons)",
                                   "trip A-T road quality counted, at the start (h)",
                                   "trip A-T road quality counted, at the works' end (h)",
                                   "trip A-T road quality counted, 5 years later (h)",
                                   "trip C-T road quality counted, at the works' end (h)",
                                   "trip C-T road quality counted, 5 years later (h)",
                                   "the town's wage per skill unit over Alto Verde's, works' end",
                                   "the town's wage net of the trip over Alto Verde's, works' end")):
            summary(label, r[:, k], digits=0 if "commuters" in label or "persons" in label else 3)


# ---------------------------------------------------------------------------- exercise 3


def reached_incomes(model, twin) -> tuple[float, float]:
    """Income per person (USD/yr) of the start's households a programme reached that live in
    both runs, in this run and in the twin (the same households)."""
    both, reached = in_both(model, twin)
    n = both.size
    out = []
    for run in (model, twin):
        h = run.households
        out.append(float(h.by_id(h.income)[:n][reached].sum() / h.by_id(h.members)[:n][reached].sum()))
    return out[0], out[1]


def governance(seed: int, **values: float) -> dict:
    """Exercise 3 with environmental governance (``values`` its fields) switched on at the start, 10 years."""
    with group("forest_frontier", seed) as g:
        switch_on(g, "environmental_governance", **values)
        start = g.model.node_stats["forest_cover"].copy()
        steps(g, 10)
        forest, twin_forest = g.model.node_stats["forest_cover"], g.twin.node_stats["forest_cover"]
        kept = (forest - twin_forest) / (start - twin_forest)
        first, last = g.track[0], g.track[-1]
        cost = [row["policy_cost"] for row in g.track[1:]]
        reached, twin_reached = reached_incomes(g.model, g.twin)
        return {"forest pts": points(last, "forest_cover"),
                "loss kept": (last["forest_cover"] - last["twin_forest_cover"])
                / (first["forest_cover"] - last["twin_forest_cover"]),
                "poverty pts": points(last), "cost 10 y": sum(cost), "cost min/yr": min(cost),
                "cost max/yr": max(cost), "enrolled gain": reached - twin_reached,
                **{f"kept {node}": float(kept[g.model.territory.index(node)]) for node in "ABCD"}}


def forest() -> None:
    """Exercise 3: ten years without policy, with a run without the frontier's pull over 20;
    then governance at its defaults, enforcement only and payments only."""
    print("Exercise 3 without policy (forest cover %, each year's fall in points; with the pull minus without):")
    for seed in FOREST_SEEDS:
        factory, _ = exercise(CLASSROOM / "forest_frontier.toml")
        model, still = factory(seed), factory(seed, frontier_clearing_rate=0.0)
        cover = [model.territory_stats["forest_cover"]]
        gains = []
        for year in range(1, 21):
            model.step()
            still.step()
            cover.append(model.territory_stats["forest_cover"])
            if year in (10, 20):
                gains.append({name: model.territory_stats[name] - still.territory_stats[name]
                              for name in ("farm_sales", "mean_income_pc", "natural_capital", "poverty_headcount")})
        fall = -100 * np.diff(cover[:11])
        print(f"  {seed:4d}  {100 * cover[0]:.2f} -> {100 * cover[10]:.2f} in 10 years, a year {fall.min():.2f}"
              f" to {fall.max():.2f}; pull minus none at 10, 20 years: "
              + "; ".join(", ".join(f"{k} {v:+.4g}" for k, v in gain.items()) for gain in gains))
        model.release()
        still.release()

    for label, values in (("governance at its defaults", {}), ("enforcement only", {"pes_payment": 0.0}),
                          ("payments only", {"enforcement_budget": 0.0}),
                          ("payments only at 500 USD", {"enforcement_budget": 0.0, "pes_payment": 500.0})):
        print(f"Exercise 3, {label}, 10 years:")
        results = [governance(seed, **values) for seed in FOREST_SEEDS]
        for seed, result in zip(FOREST_SEEDS, results):
            print(f"  {seed:4d}  " + ", ".join(f"{k} {v:.4g}" for k, v in result.items()))
        for key in results[0]:
            summary(key, [result[key] for result in results], digits=0 if "cost" in key else 2)


# ---------------------------------------------------------------------------- exercise 4

GAME_SEEDS = range(1, 10)
"""Exercise 4's guide names no seed: its claims are counted over seeds 1-9 (the exercise's is 7)."""
GAME_YEARS = 8
"""The guide's game lasts 6-8 years."""
GAME_CHOICES = {
    "Alto Verde asks for road works": ("A", {"programme": "roads"}),
    "Bajo Rio spends 60 % of its budget on services": ("B", {"split": {"services_spending_share": 0.6}}),
    "Dos Puentes asks for cash transfers": ("D", {"programme": "cash_transfer"}),
    "Alto Verde asks for environmental governance": ("A", {"programme": "environmental_governance"}),
}
"""One government's choice (every other government choosing nothing), by what the guide says of it."""


def play(seed: int, node: str, choice: dict) -> tuple[list[str], dict[str, np.ndarray]]:
    """The game at ``seed`` with one government, ``node``'s, choosing ``choice`` every year (the
    trainer advancing the years): per year (rows) and municipality (columns, the territory's
    order, the node ids first returned) the difference from the no-choice twin of the game's
    outcomes, prices and the income per person of the households no programme reached, and
    the twin's forest cover's change since the start."""
    factory, _ = exercise(CLASSROOM / "shared_territory.toml")
    g = Game(factory, seed)
    for player in g.municipalities():
        g.join(player)
    g.choose(node, **choice)
    names = ("poverty_headcount", "population", "forest_cover", "service_quality")
    out = {name: [] for name in (*names, "farm_gate", "others", "twin_forest")}
    start = np.asarray(g.twin.node_stats["forest_cover"], float)
    for _ in range(GAME_YEARS):
        g.advance()
        model, twin = g.model, g.twin
        for name in names:
            out[name].append(np.asarray(model.node_stats[name], float) - np.asarray(twin.node_stats[name], float))
        out["twin_forest"].append(np.asarray(twin.node_stats["forest_cover"], float) - start)
        out["farm_gate"].append(np.asarray(model.farm_gate, float) - np.asarray(twin.farm_gate, float))
        out["others"].append([np.subtract(*incomes_of_others(model, twin, where=i)) if model.populated[i] else np.nan
                              for i in range(model.n_nodes)])
    return list(g.model.territory.ids), {name: np.array(rows) for name, rows in out.items()}


def game() -> None:
    """Exercise 4: each spill-over the guide describes, one government choosing, per seed:
    the chooser's and its neighbours' differences from the no-choice twin, by year."""
    for label, (node, choice) in GAME_CHOICES.items():
        print(f"Exercise 4, {label} (differences from the no-choice twin, years 1-{GAME_YEARS}):")
        rows = []
        for seed in GAME_SEEDS:
            ids, d = play(seed, node, choice)
            i, c = ids.index(node), ids.index("C")
            rows.append((100 * d["poverty_headcount"][-1, i], 100 * d["poverty_headcount"][:, i].max(),
                         d["population"][-1, i], d["service_quality"][-1, i], d["others"][0, i],
                         100 * d["poverty_headcount"][-1, c], d["farm_gate"][-1, c],
                         100 * np.nanmax(np.abs(d["forest_cover"])), 100 * np.nanmax(np.abs(d["twin_forest"]))))
            print(f"  {seed:4d}  {node}: poverty pts {np.round(100 * d['poverty_headcount'][:, i], 1)},"
                  f" people {d['population'][:, i].astype(int)}, services {d['service_quality'][-1, i]:+.3f},"
                  f" forest pts {100 * d['forest_cover'][-1, i]:+.2f}, non-reached USD {d['others'][0, i]:+.1f}"
                  f" (y1) {d['others'][-1, i]:+.1f} (y{GAME_YEARS})")
            print(f"        C: poverty pts {np.round(100 * d['poverty_headcount'][:, c], 1)},"
                  f" farm-gate {d['farm_gate'][-1, c]:+.4f}, forest pts {100 * d['forest_cover'][-1, c]:+.2f};"
                  f" the twin's forest since the start, most of any municipality"
                  f" {100 * np.nanmax(np.abs(d['twin_forest'])):.2f} pts")
        r = np.array(rows)
        for k, label in enumerate((f"{node}'s poverty after {GAME_YEARS} years (points)",
                                   f"{node}'s poverty, most above the twin's in any year (points)",
                                   f"{node}'s population after {GAME_YEARS} years (persons)",
                                   f"{node}'s service quality after {GAME_YEARS} years",
                                   f"{node}'s non-reached households, first year (USD/person)",
                                   f"C's poverty after {GAME_YEARS} years (points)",
                                   f"C's farm-gate price after {GAME_YEARS} years",
                                   "forest, most of any municipality and year from the twin's (points)",
                                   "the twin's forest, most of any municipality and year from the start (points)")):
            summary(label, r[:, k], digits=4 if "farm-gate" in label or "forest" in label
                    else 3 if "service" in label else 0 if "persons" in label else 1)


PARTS = {"transfers": transfers, "roads": roads, "forest": forest, "game": game}

if __name__ == "__main__":
    for part in sys.argv[1:] or PARTS:
        PARTS[part]()
