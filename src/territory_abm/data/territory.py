"""Loading and validating a territory: a municipalities table and an edges table.

The territory is a networkx graph. Nodes are municipalities, intermediate cities and
external ("dynamic") markets; edges carry ``travel_time`` (hours) and ``road_quality``
(0-1). See ``calibration/data/README.md`` for the meaning of every column.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

from ..errors import InputError
from ..suggest import not_found
from ..fields import FieldSpec

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


NODE_COLUMNS: tuple[FieldSpec, ...] = (
    _text("id", "unique node identifier"),
    _text("name", "display name (default: the id)"),
    _text("kind", "municipality, city (intermediate city) or market (external dynamic market)", NODE_KINDS),
    _column("population", "persons", 1, 1e8, "residents at the start date", "int"),
    _column("households", "households", 1, 1e8, "households at the start date", "int"),
    _column("mean_income", "USD/person/yr", 1, 1e6, "mean per-capita household income", "float"),
    _column("poverty_rate", "1", 0, 1, "share of people below the poverty line (observed; used as a check)", "float"),
    _column("income_gini", "1", 0, 0.95, "Gini of per-capita household income", "float"),
    _column("land_gini", "1", 0, 0.98, "Gini of household landholdings", "float"),
    _column("mean_farm_ha", "ha/household", 0, 1e4, "mean land per household", "float"),
    _column("area_ha", "ha", 1, 1e9, "land area of the municipality", "float"),
    _column("forest_cover", "1", 0, 1, "share of the area under forest (natural capital)", "float"),
    _column("wage_share", "1", 0, 1, "share of working-age adults in wage jobs", "float"),
    _column("nonfarm_income_share", "1", 0, 1, "share of household income from wages and other non-farm sources", "float"),
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
        """Node index of ``node_id``."""
        return self._index[node_id]


def read_csv_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (stripped strings) of a CSV file; InputError if missing or headless."""
    if not path.is_file():
        raise InputError(path, "file", not_found(path, "an existing CSV file"))
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    if not header:
        raise InputError(path, "header", "a header row with column names")
    return header, rows


def load_nodes(path: Path) -> tuple[list[str], list[str], np.ndarray, dict[str, np.ndarray]]:
    """Read and validate a municipalities table."""
    header, rows = read_csv_table(path)
    missing = [c.name for c in NODE_COLUMNS if c.name not in header]
    if missing:
        raise InputError(path, f"column {missing[0]}", "a column of that name (see the data format docs)")
    if not rows:
        raise InputError(path, "rows", "at least one node")
    ids, names, kinds = [], [], []
    table = {c.name: np.full(len(rows), np.nan) for c in _NUMERIC_NODE}
    for i, row in enumerate(rows):
        row_no = i + 2  # header is line 1
        node_id = row["id"]
        if not node_id:
            raise InputError(path, f"row {row_no}, column id", "a non-empty id")
        if node_id in ids:
            raise InputError(path, f"row {row_no}, column id", f"a unique id; {node_id!r} repeats")
        kind = _NODE_KIND.check(row["kind"], path, f"row {row_no}, column kind")
        ids.append(node_id)
        names.append(row["name"] or node_id)
        kinds.append(kind)
        for col in _NUMERIC_NODE:
            text = row[col.name]
            if kind == "market" and text == "":
                continue
            if text == "":
                raise InputError(path, f"row {row_no}, column {col.name}", f"a value ({col.unit}); empty only for market nodes")
            table[col.name][i] = col.parse(text, path, f"row {row_no}, column {col.name}")
        if kind != "market":
            _check_node_consistency(path, row_no, {c.name: table[c.name][i] for c in _NUMERIC_NODE})
    if "market" not in kinds:
        raise InputError(path, "kind", "at least one node of kind market (an external dynamic market)")
    return ids, names, np.array(kinds), table


def _check_node_consistency(path: Path, row_no: int, v: dict[str, float]) -> None:
    if v["households"] > v["population"]:
        raise InputError(path, f"row {row_no}, column households", "at most the population")
    shares = sum(v[f"share_{s}"] for s in SECTORS)
    if abs(shares - 1.0) > SHARE_SUM_TOLERANCE:
        raise InputError(path, f"row {row_no}, columns share_*", f"sector shares that sum to 1, got {shares:.3f}")
    farmland = v["households"] * v["mean_farm_ha"]
    if farmland + v["forest_cover"] * v["area_ha"] > v["area_ha"] * (1.0 + AREA_TOLERANCE):
        raise InputError(path, f"row {row_no}, columns mean_farm_ha/forest_cover",
                         "farmland (households x mean_farm_ha) plus forest within area_ha")


def load_edges(path: Path, ids: list[str]) -> list[tuple[str, str, float, float]]:
    """Read and validate an edges table against the node ids."""
    header, rows = read_csv_table(path)
    missing = [c.name for c in EDGE_COLUMNS if c.name not in header]
    if missing:
        raise InputError(path, f"column {missing[0]}", "a column of that name (from, to, travel_time, road_quality)")
    known = set(ids)
    edges = []
    for i, row in enumerate(rows):
        row_no = i + 2
        for end in ("from", "to"):
            if row[end] not in known:
                raise InputError(path, f"row {row_no}, column {end}", f"a node id from the municipalities table, got {row[end]!r}")
        if row["from"] == row["to"]:
            raise InputError(path, f"row {row_no}, column to", "a node other than 'from' (no self-loops)")
        t, q = (_EDGE[c].parse(row[c], path, f"row {row_no}, column {c}") for c in ("travel_time", "road_quality"))
        edges.append((row["from"], row["to"], t, q))
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
    edges = load_edges(edges_path, ids)
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
