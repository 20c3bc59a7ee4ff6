"""Loading and validating a territory: a municipalities table and an edges table.

The territory is a networkx graph. Nodes are municipalities, intermediate cities and
external ("dynamic") markets; edges carry ``travel_time`` (hours) and ``road_quality``
(0-1). See ``calibration/data/README.md`` for the meaning of every column.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

from ..errors import InputError
from ..fields import FieldSpec
from ..suggest import CUTOFF, did_you_mean, not_found
from .tables import Problems, read_table

NODE_KINDS = ("municipality", "city", "market")
SECTORS = ("commercial_agriculture", "agro_processing", "commerce_services", "manufacturing")
TRADABLE_SECTORS = ("commercial_agriculture", "agro_processing", "manufacturing")


SHARE_SUM_TOLERANCE = 0.01
"""Largest accepted gap between a node's sector shares' sum and 1."""
AREA_TOLERANCE = 1e-4
"""Relative slack allowed when farmland plus forest is compared with a node's area."""


def _column(name, unit, low, high, meaning, kind="float") -> FieldSpec:
    """One numeric column of a data table: a required :class:`FieldSpec` (no default)."""
    return FieldSpec(name, unit, None, low, high, meaning, kind)


def _text(name, meaning, choices=()) -> FieldSpec:
    """One text column of a data table."""
    return FieldSpec(name, "-", None, meaning=meaning, kind="str", choices=choices)


START_INCOME_MIX_TOLERANCE = 0.05
"""A unit whose starting non-farm share of income differs from its table's
``nonfarm_income_share`` by more than this is named under a run's summary (the start backs farm
income out of what incomes hold beyond wages, public income and remittances: where the farms
cannot earn the table's farm share, as in a town whose few land holders would need five to ten
times the territory's farm productivity, the rest is non-farm; ``output.tables.start_income_mix``)."""
START_POVERTY_TOLERANCE = 0.03
"""A unit whose starting poverty headcount differs from its table's ``poverty_rate`` by more than
this (share of people) beyond the draw's sampling error (two standard errors of a share over its
simulated households, ``output.tables.start_poverty``) is named under a run's summary: the start draws incomes
from ``mean_income`` and ``income_gini`` (a lognormal per person), and the poverty rate is a check
on them, not a target (survey error of a point or two, and the lognormal's fit, are within it)."""


NODE_COLUMNS: tuple[FieldSpec, ...] = (
    _text("id", "unique node identifier"),
    _text("name", "display name (default: the id)"),
    _text("kind", "municipality, city (intermediate city) or market (external dynamic market)", NODE_KINDS),
    _column("population", "persons", 1, 1e8, "residents at the start date", "int"),
    _column("households", "households", 1, 1e8, "households at the start date", "int"),
    _column("mean_income", "USD/person/yr", 1, 1e6, "mean per-capita household income", "float"),
    _column("poverty_rate", "1", 0, 1, "share of people below the poverty line (observed; a check on mean_income and income_gini, from which the start draws incomes: a unit whose starting poverty misses it by more than " f"{START_POVERTY_TOLERANCE:g} beyond the draw's sampling error is named under run's summary)", "float"),
    _column("income_gini", "1", 0, 0.95, "Gini of per-capita household income", "float"),
    _column("land_gini", "1", 0, 0.98, "Gini of household landholdings", "float"),
    _column("mean_farm_ha", "ha/household", 0, 1e4, "mean land per household", "float"),
    _column("area_ha", "ha", 1, 1e9, "land area of the municipality", "float"),
    _column("forest_cover", "1", 0, 1, "share of the area under forest (natural capital)", "float"),
    _column("wage_share", "1", 0, 1, "share of working-age adults in wage jobs", "float"),
    _column("nonfarm_income_share", "1", 0, 1, "share of the unit's total household income (the unit's sums, transfers and remittances in the total) earned from wage jobs (farm wage labour included: the model pays this share to every wage job, commercial agriculture's too) and non-farm enterprises; public transfers, pensions, remittances and dividends are not counted in it (from a survey: wages plus non-farm self-employment income over all household income). The start pays this share as wages; farm income is what is left after public income, dividends and remittances", "float"),
    _column("share_commercial_agriculture", "1", 0, 1, "share of wage jobs in commercial agriculture", "float"),
    _column("share_agro_processing", "1", 0, 1, "share of wage jobs in agro-processing", "float"),
    _column("share_commerce_services", "1", 0, 1, "share of wage jobs in commerce and services", "float"),
    _column("share_manufacturing", "1", 0, 1, "share of wage jobs in manufacturing", "float"),
    _column("dynamic_market_share", "1", 0, 1, "share of tradable-sector firms selling to dynamic markets", "float"),
    _column("mean_education", "years", 0, 20, "mean schooling of working-age adults", "float"),
    _column("service_quality", "1", 0, 1, "quality of public services (0-1)", "float"),
    _column("governance", "1", 0, 1, "governance quality: baseline probability that environmental rules are enforced", "float"),
)

EDGE_COLUMNS: tuple[FieldSpec, ...] = (
    _text("from", "node id at one end"),
    _text("to", "node id at the other end"),
    _column("travel_time", "h", 1e-6, 200, "travel time in hours at the current road quality", "float"),
    _column("road_quality", "1", 1e-6, 1, "road quality (0 = track, 1 = paved highway)", "float"),
)

_NUMERIC_NODE = [c for c in NODE_COLUMNS if c.kind != "str"]
_NODE_KIND = next(c for c in NODE_COLUMNS if c.name == "kind")
_EDGE = {c.name: c for c in EDGE_COLUMNS}


@dataclass
class Territory:
    """A validated territory.

    Attributes
    ----------
    ids : list of str
        Node ids in table order; node index ``i`` refers to ``ids[i]``.
    kinds : numpy.ndarray of str
        Node kinds.
    table : dict of str to numpy.ndarray
        Numeric node columns (NaN for market nodes where not given).
    names : list of str
    graph : networkx.Graph
        Nodes by id, edges with ``travel_time`` and ``road_quality``.
    source : str
        Directory or files it was read from.
    """

    ids: list[str]
    names: list[str]
    kinds: np.ndarray
    table: dict[str, np.ndarray]
    graph: nx.Graph
    source: str

    def __post_init__(self) -> None:
        self._index = {node_id: i for i, node_id in enumerate(self.ids)}

    @property
    def n_nodes(self) -> int:
        return len(self.ids)

    @property
    def populated(self) -> np.ndarray:
        """Boolean mask of nodes with households (municipalities and cities)."""
        return self.kinds != "market"

    def index(self, node_id: str) -> int:
        """Node index of ``node_id``, or of the only node with that name (KeyError otherwise,
        saying what was expected: see :func:`resolve_node`)."""
        if node_id in self._index:
            return self._index[node_id]
        return self._index[resolve_node(node_id, self.ids, self.names)]


def resolve_node(ref: str, ids: list[str], names: list[str]) -> str:
    """The node id that ``ref`` means: an id, or a name that only one node has.

    Names are compared ignoring case, accents and surrounding spaces.

    Raises
    ------
    KeyError
        With what was expected (the candidates of an ambiguous name, or the closest id or
        name of an unknown one) as its message.
    """
    if ref in ids:
        return ref
    key = _name_key(ref)
    matches = [i for i, name in enumerate(names) if _name_key(name) == key] if key else []
    if len(matches) == 1:
        return ids[matches[0]]
    if matches:
        candidates = ", ".join(f"{ids[i]} ({names[i]})" for i in matches)
        raise KeyError(f"a node id, or a name only one node has; {ref!r} names {len(matches)} nodes: {candidates}")
    raise KeyError(f"a node id or name from the municipalities table, got {ref!r}{did_you_mean(ref, [*ids, *names])}")


def _name_key(name: str) -> str:
    """``name`` without case, accents or surrounding spaces (for matching names to nodes)."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def header_suggestions(missing: list[str], header: list[str], known: tuple[FieldSpec, ...]) -> str:
    """For each ``missing`` column, a name in the ``header`` that is not one of the ``known``
    columns and looks like a misspelling of it (difflib, as ``suggest.did_you_mean``):
    ``" (is 'povrty_rate' meant to be 'poverty_rate'?)"``, or "" where none does (a correct
    column is never offered: without ``land_gini``, ``income_gini`` is not it)."""
    names = {c.name for c in known}
    found = []
    for name in missing:
        close = difflib.get_close_matches(name, [h for h in header if h not in names], n=1, cutoff=CUTOFF)
        if close:
            found.append(f" (is {close[0]!r} meant to be {name!r}?)")
    return "".join(found)


def load_nodes(path: Path) -> tuple[list[str], list[str], np.ndarray, dict[str, np.ndarray]]:
    """Read and validate a municipalities table; every problem found is reported in one InputError."""
    problems = Problems(path)
    data = read_table(path, problems)  # a row with too many cells is reported with the rows' other problems
    missing = [c.name for c in NODE_COLUMNS if c.name not in data.header]
    if missing:
        problems.add(f"column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                     f"{'columns' if len(missing) > 1 else 'a column'} of that name (see the data format docs); "
                     f"the header has {', '.join(data.header)}{header_suggestions(missing, data.header, NODE_COLUMNS)}")
    if not data.rows:
        problems.add("rows", "at least one node")
    present = [c for c in _NUMERIC_NODE if c.name in data.header]
    ids, names, kinds = [], [], []
    table = {c.name: np.full(len(data.rows), np.nan) for c in _NUMERIC_NODE}
    first_row = {}
    for i, (row, row_no) in enumerate(zip(data.rows, data.lines)):
        node_id = row.get("id", "")
        if "id" in data.header and not node_id:
            problems.add(f"row {row_no}, column id", "a non-empty id")
        elif node_id in first_row:
            problems.add(f"row {row_no}, column id", f"a unique id; {node_id!r} repeats row {first_row[node_id]}")
        first_row.setdefault(node_id, row_no)
        at = f"row {row_no} ({node_id})" if node_id else f"row {row_no}"  # as init names a unit's row
        kind = problems.parse(_NODE_KIND, row.get("kind", ""), f"{at}, column kind") if "kind" in data.header else None
        ids.append(node_id)
        names.append(row.get("name", "") or node_id)
        kinds.append(kind or "")
        ok = True
        for col in present:
            text = row[col.name]
            if text == "" and kind in ("market", None):  # None: the kind itself is at fault
                continue
            field = f"{at}, column {col.name}"
            if text == "":
                problems.add(field, f"a value ({col.unit}); empty only for market nodes")
                ok = False
                continue
            value = problems.parse(col, text, field)
            if value is None:
                ok = False
            else:
                table[col.name][i] = value
        if kind not in (None, "market") and ok and not missing:
            _check_node_consistency(problems, at, {c.name: table[c.name][i] for c in _NUMERIC_NODE})
    if "kind" in data.header and data.rows and "market" not in kinds:
        problems.add("kind", "at least one node of kind market (an external dynamic market)")
    problems.raise_if_any()
    return ids, names, np.array(kinds), table


def check_households(problems: Problems, at: str, households: float, population: float) -> None:
    """A unit (row ``at``) with more households than persons is a problem (``init`` checks its
    table's given pairs so, before it fills the rest)."""
    if households > population:
        problems.add(f"{at}, column households",
                     f"at most the population, got {households:g} households for {population:g} persons")


def _check_node_consistency(problems: Problems, at: str, v: dict[str, float]) -> None:
    check_households(problems, at, v["households"], v["population"])
    shares = sum(v[f"share_{s}"] for s in SECTORS)
    if abs(shares - 1.0) > SHARE_SUM_TOLERANCE:
        problems.add(f"{at}, columns share_*", f"sector shares that sum to 1, got {shares:.3f}")
    farmland = v["households"] * v["mean_farm_ha"]
    forest = v["forest_cover"] * v["area_ha"]
    if farmland + forest > v["area_ha"] * (1.0 + AREA_TOLERANCE):
        problems.add(f"{at}, columns mean_farm_ha/forest_cover",
                     f"farmland (households x mean_farm_ha) plus forest within area_ha, got {farmland:g} + "
                     f"{forest:g} = {farmland + forest:g} ha for {v['area_ha']:g} ha")


def load_edges(path: Path, ids: list[str], names: list[str] | None = None) -> list[tuple[str, str, float, float]]:
    """Read and validate an edges table against the nodes; ``from`` and ``to`` may be node
    names that only one node has (see :func:`resolve_node`). Every problem found is
    reported in one InputError."""
    names = list(ids) if names is None else names
    problems = Problems(path)
    data = read_table(path, problems)  # a row with too many cells is reported with the rows' other problems
    missing = [c.name for c in EDGE_COLUMNS if c.name not in data.header]
    if missing:
        problems.add(f"column{'s' if len(missing) > 1 else ''} {', '.join(missing)}",
                     "a column of that name (from, to, travel_time, road_quality); "
                     f"the header has {', '.join(data.header)}{header_suggestions(missing, data.header, EDGE_COLUMNS)}")
        problems.raise_if_any()
    edges = []
    for row, row_no in zip(data.rows, data.lines):
        ends = []
        for end in ("from", "to"):
            try:
                ends.append(resolve_node(row[end], ids, names))
            except KeyError as exc:
                problems.add(f"row {row_no}, column {end}", exc.args[0])
        if len(ends) == 2 and ends[0] == ends[1]:
            problems.add(f"row {row_no}, column to", f"a node other than 'from' (no self-loops), got {ends[1]!r} twice")
            continue
        t, q = (problems.parse(_EDGE[c], row[c], f"row {row_no}, column {c}") for c in ("travel_time", "road_quality"))
        if len(ends) == 2 and t is not None and q is not None:
            edges.append((ends[0], ends[1], t, q))
    problems.raise_if_any()
    return edges


def load_territory(directory: str | Path) -> Territory:
    """Load ``municipalities.csv`` and ``edges.csv`` from a directory and validate them.

    Raises
    ------
    InputError
        For any malformed file, missing column, out-of-range value, unknown node, or a
        populated node that cannot reach any market.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(directory, "territory", not_found(directory, "a directory holding municipalities.csv and edges.csv"))
    nodes_path, edges_path = directory / "municipalities.csv", directory / "edges.csv"
    ids, names, kinds, table = load_nodes(nodes_path)
    edges = load_edges(edges_path, ids, names)
    graph = nx.Graph()
    for i, node_id in enumerate(ids):
        graph.add_node(node_id, kind=str(kinds[i]), name=names[i])
    for a, b, t, q in edges:
        graph.add_edge(a, b, travel_time=t, road_quality=q)
    markets = {ids[i] for i in range(len(ids)) if kinds[i] == "market"}
    for component in nx.connected_components(graph):
        if not component & markets:
            stranded = min(component)
            raise InputError(edges_path, "edges", f"a path from every node to a market; {stranded!r} has none")
    return Territory(ids, names, kinds, table, graph, str(directory))
