"""``territory-abm import`` and ``territory-abm init``: a territory directory from a user's data.

``import`` joins a boundaries file and CSV tables through a mapping file
(:mod:`territory_abm.data.mapping`), converts units, derives areas and edges from the
geography (:mod:`territory_abm.data.geography`) and fills what the data lack
(:mod:`territory_abm.data.fill`). ``init`` does the same from one table whose columns are
already named and in the model's units, with no geography: every unit is linked to one
assumed market. Both write, in a temporary directory next to the output that is renamed
into place only once the territory validates:

``municipalities.csv``, ``edges.csv``
    The territory (see ``docs/data_format.md``); edges say where each came from.
``filled.csv``
    One row per value not read from the data: node, column, value, ``derived`` (computed
    from the data, such as an area from a polygon), ``fitted`` (from the unit's own data
    through an assumed income distribution, such as a Gini backed out of the mean income and
    poverty rate) or ``assumed`` (a regional default, or a rule that takes one), and the rule
    as it applied.
``scenario.toml``
    A baseline scenario starting in the data's year.
``geometry.gpkg``
    Polygons and market points (import only).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..fields import FieldSpec
from ..params import DOCUMENTED_CONTEXT
from ..suggest import did_you_mean
from .fill import CITY_RULE, MAX_FARMLAND_SHARE, RULE, fill_missing, land_from_classes
from .geography import key_text
from .mapping import MONEY_COLUMNS, UNITS, Mapping, Source, load_mapping
from .tables import Problems, read_table
from .territory import EDGE_COLUMNS, NODE_COLUMNS, check_households, load_territory

FILLED_FILE = "filled.csv"
NOT_OBSERVED = ("assumed", "fitted")
"""The ``how`` of ``filled.csv``'s values that stand in for observations (``derived``: computed
from the unit's data, such as an area from its polygon)."""
NUMERIC = [c for c in NODE_COLUMNS if c.kind != "str"]
_SPEC = {c.name: c for c in NUMERIC}
_MONEY = FieldSpec("mean_income", "USD/person/yr", None, 1, 1e6, "mean income or consumption per person")
INIT_MARKET_HOURS = 3.0
"""Travel time (h) from every unit to the one market ``init`` assumes (assumption)."""
INIT_ROAD_QUALITY = 0.5
"""Road quality of those links (assumption)."""


class Nodes:
    """Node columns under construction: ids, names, kinds, numbers (NaN: not observed) and notes."""

    def __init__(self, ids: list[str], names: list[str]) -> None:
        self.ids, self.names = list(ids), list(names)
        self.kinds = ["municipality"] * len(ids)
        self.table = {c.name: np.full(len(ids), np.nan) for c in NUMERIC}
        self.notes: list[tuple[str, str, str, str]] = []  # (node id, column, derived/assumed, rule)

    def note(self, column: str, mask: np.ndarray, how: str, rule: str) -> None:
        self.notes += [(self.ids[i], column, how, rule) for i in np.flatnonzero(mask)]

    def add_markets(self, markets: list[tuple[str, str]]) -> None:
        n = len(markets)
        self.ids += [m for m, _ in markets]
        self.names += [name for _, name in markets]
        self.kinds += ["market"] * n
        self.table = {k: np.concatenate([v, np.full(n, np.nan)]) for k, v in self.table.items()}

    def fill(self, poverty_line: float, defaults: dict) -> None:
        """Fill the populated nodes' gaps (a city's from ``fill.CITY_DEFAULTS`` where it has one) and note
        each filled cell with the branch of its rule that applied (``fill.Filled``)."""
        populated = np.array([k != "market" for k in self.kinds])
        cities = np.array([k == "city" for k in self.kinds])
        for f in fill_missing(self.table, populated, poverty_line, defaults, cities=cities):
            self.note(f.column, f.nodes, f.how, f.rule)


def import_territory(mapping_path: str | Path, out: str | Path, force: bool = False) -> dict:
    """Build a territory directory at ``out`` from the mapping file; returns what was filled.

    Raises
    ------
    InputError
        Naming the file, field (or feature) and what was expected; ``out`` is left as it was.
    """
    from . import geography

    mapping = load_mapping(mapping_path)
    out = _check_out(Path(out), force, mapping.path)
    gdf = geography.read_boundaries(mapping)
    keys = list(gdf["_key"])
    names = [str(v) for v in gdf[mapping.boundary_name]] if mapping.boundary_name else list(keys)
    nodes = Nodes(list(keys), names)
    columns = _joined_columns(mapping, keys, gdf)
    _read_sources(mapping, nodes, columns)
    area, lon, lat, projected = geography.areas_and_centroids(gdf)
    observed_area = ~np.isnan(nodes.table["area_ha"])
    nodes.table["area_ha"] = np.where(observed_area, nodes.table["area_ha"], area)
    nodes.note("area_ha", ~observed_area, "derived", "the polygon's area on an equal-area projection")
    _land_classes(mapping, nodes, columns)
    _kinds(mapping, nodes, columns)
    classes = _road_classes(mapping, columns, len(keys))
    if mapping.road_network is not None:
        pairs, source = _road_network(mapping, keys, names), "road network"
    else:
        pairs, source = dict.fromkeys(geography.contiguity(projected)), "contiguity"
    market_xy = geography.market_points(mapping)
    edges = geography.build_edges(mapping, keys, lon, lat, classes, pairs, source, market_xy)
    nodes.add_markets([(m.id, m.name) for m in mapping.markets])
    _check_unique_ids(mapping, nodes)
    nodes.fill(mapping.poverty_line, mapping.defaults)
    rows = [(e.a, e.b, e.km / mapping.speeds[e.road_class], mapping.quality[e.road_class], e.source, round(e.km, 2),
             e.road_class) for e in edges]

    def extra(tmp: Path) -> None:
        geography.write_geometry(tmp / geography.GEOMETRY_FILE, gdf, keys, names, mapping, market_xy)

    return _write(out, nodes, rows, name=mapping.name, year=mapping.year, poverty_line=mapping.poverty_line,
                  source=mapping.path, extra=extra,
                  provenance={"mapping": str(mapping.path), "boundaries": str(mapping.boundaries),
                              "tables": [str(t.file) for t in mapping.tables], "currency": mapping.currency,
                              "per_usd": mapping.per_usd, "deflator": mapping.deflator, "edges_from": source})


def init_territory(table_path: str | Path, out: str | Path, year: int = 2010, poverty_line: float = 1200.0,
                   force: bool = False) -> dict:
    """A template territory from one table of whatever model columns a user has (named
    as in ``docs/data_format.md``, in the model's units), every unit linked to one
    assumed market; returns what was filled."""
    table_path = Path(table_path)
    out = _check_out(Path(out), force, table_path)
    problems = Problems(table_path)
    data = read_table(table_path, problems)  # a row with too many cells is reported with the other problems
    key = "id" if "id" in data.header else "name" if "name" in data.header else None
    known = {c.name for c in NODE_COLUMNS} | {"mean_consumption"}
    for column in data.header:
        if column not in known:
            problems.add(f"column {column}", f"a column of docs/data_format.md{did_you_mean(column, known)}, "
                         "or none (columns a territory does not use are not accepted, so that a typo is not lost)")
    if "population" not in data.header:
        problems.add("header", "a column named population (in persons; the minimal data are population and "
                     "mean_income or mean_consumption)")
    if not {"mean_income", "mean_consumption"} & set(data.header):
        problems.add("header", "a column named mean_income or mean_consumption (in USD/person/yr)")
    if key is None:  # the rows cannot be named: the cells wait for it
        problems.add("header", "a column named id (or name) identifying each unit")
        problems.raise_if_any()
    # every other problem of the table (header, ids, kinds, cells, households over population) is
    # gathered and reported in one error, as the README says (a user's trial, session 53, fixed a
    # table in six rounds)
    ids = [row[key] for row in data.rows]
    first: dict[str, int] = {}
    market = ("X1", "market (assumed)")
    for unit, line in zip(ids, data.lines):
        if not unit:
            problems.add(f"row {line}, column {key}", f"a non-empty {key} identifying the unit")
        elif unit == market[0]:
            problems.add(f"row {line}, column {key}", f"an {key} other than {market[0]!r}, which init gives the one "
                         "market it adds")
        elif unit in first:
            problems.add(f"row {line}, column {key}", f"a unique {key}; {unit!r} repeats row {first[unit]}")
        first.setdefault(unit, line)
    nodes = Nodes(ids, [row.get("name") or row[key] for row in data.rows])
    columns = {c: [row[c] for row in data.rows] for c in data.header}
    specs = [Source(c, c, next(iter(UNITS.get(c, {"-": 1.0}))) if c not in MONEY_COLUMNS else "USD/person/year")
             for c in data.header if c not in ("id", "name", "kind") and c in known]
    if "kind" in data.header:
        _read_kinds(nodes, table_path, data.lines, columns["kind"], "kind", "added by init: one assumed market",
                    into=problems)
    _parse(nodes, specs, {c: (table_path, data.lines, v) for c, v in columns.items()}, None, into=problems)
    households, population = nodes.table["households"], nodes.table["population"]
    for i in np.flatnonzero(population > 0):  # a valid population (NaN: False); households NaN where not given
        check_households(problems, f"row {data.lines[i]} ({ids[i]})", households[i], population[i])
    problems.raise_if_any()
    nodes.add_markets([market])  # ids checked unique and other than the market's above
    nodes.fill(poverty_line, {})
    rows = [(market[0], node_id, INIT_MARKET_HOURS, INIT_ROAD_QUALITY, "assumed: one link to the one market", "", "")
            for node_id, kind in zip(nodes.ids, nodes.kinds) if kind != "market"]
    return _write(out, nodes, rows, name=table_path.stem, year=year, poverty_line=poverty_line, source=table_path,
                  provenance={"table": str(table_path), "edges_from": "assumed: every unit linked to one market"})


def _check_out(out: Path, force: bool, source: Path) -> Path:
    if out.exists() and not force and (not out.is_dir() or any(out.iterdir())):
        raise InputError(out, "--out", "a directory that does not exist yet or is empty (or --force to replace it)")
    if out.resolve() in (source.resolve().parent, *source.resolve().parents):
        raise InputError(out, "--out", f"a directory that does not hold the input {source.name}")
    return out


def _check_unique_ids(source, nodes: Nodes) -> None:
    seen = set()
    for node_id in nodes.ids:
        if node_id in seen:
            raise InputError(getattr(source, "path", source), "markets", f"market ids other than the units' keys; "
                             f"{node_id!r} is both")
        seen.add(node_id)


def _joined_columns(mapping: Mapping, keys: list[str], gdf) -> dict[str, tuple[Path, list[int], list[str]]]:
    """Every column of the boundaries and tables, as text in the boundaries' order:
    ``name -> (file, line numbers, cells)``. Every key problem of a table is reported at once."""
    index = {k: i for i, k in enumerate(keys)}
    columns = {str(c): (mapping.boundaries, list(range(2, len(keys) + 2)),
                        [key_text(v) for v in gdf[c]])
               for c in gdf.columns if c not in ("geometry", "_key")}
    for spec in mapping.tables:
        data = read_table(spec.file)
        problems = Problems(spec.file)
        if spec.key not in data.header:
            problems.add(f"column {spec.key}", f"the key column named in the mapping (tables.key){did_you_mean(spec.key, data.header)}; "
                         f"the header has {', '.join(data.header)}")
            problems.raise_if_any()
        at: dict[str, int] = {}
        for r, (row, line) in enumerate(zip(data.rows, data.lines)):
            k = key_text(row[spec.key])
            if k in at:
                problems.add(f"row {line}, column {spec.key}", f"a unique key; {k!r} repeats row {data.lines[at[k]]}")
            elif k not in index:
                problems.add(f"row {line}, column {spec.key}", f"a key of the boundaries ({mapping.boundary_key}), "
                             f"got {k!r}{_zeros_hint(k, keys) or did_you_mean(k, keys)}")
            at.setdefault(k, r)
        lacking = [k for k in keys if k not in at]
        if lacking:
            shown = ", ".join(repr(k) for k in lacking[:10]) + (" ..." if len(lacking) > 10 else "")
            problems.add(f"column {spec.key}", f"a row for every unit of the boundaries; {len(lacking)} have none: {shown}")
        problems.raise_if_any()
        lines = [data.lines[at[k]] for k in keys]
        for c in data.header:
            if c != spec.key:
                columns.setdefault(c, (spec.file, lines, [data.rows[at[k]][c] for k in keys]))
    return columns


def _zeros_hint(key: str, keys: list[str]) -> str:
    """A hint when ``key`` matches a boundaries key but for leading zeros (a code read as a number)."""
    same = [k for k in keys if k.lstrip("0") == key.lstrip("0")]
    return (f" (the boundaries have {same[0]!r}: leading zeros differ, as when a code is stored as a number; "
            "write the codes alike in both files)") if len(same) == 1 else ""


def _source_column(mapping: Mapping, source: Source, columns: dict):
    where = f"columns.{source.target}"
    if source.column not in columns:
        raise InputError(mapping.path, where, f"a column of the boundaries or tables; {source.column!r} is in none"
                         f"{did_you_mean(source.column, columns)}")
    file = columns[source.column][0]
    if source.table and Path(file).name != source.table:
        raise InputError(mapping.path, f"{where}.table", f"the file holding {source.column!r}: {Path(file).name}")
    return columns[source.column]


def _read_sources(mapping: Mapping, nodes: Nodes, columns: dict) -> None:
    text = {s.column: _source_column(mapping, s, columns) for s in mapping.sources}
    _parse(nodes, [s for s in mapping.sources if s.target not in ("name", "kind")], text, mapping)
    for s in mapping.sources:
        if s.target == "name":
            nodes.names = [v or k for v, k in zip(text[s.column][2], nodes.ids)]


def _parse(nodes: Nodes, sources: list[Source], text: dict, mapping: Mapping | None,
           into: Problems | None = None) -> None:
    """Numbers of every source column converted to model units and range-checked; every
    problem of a file reported at once (row, key, column, value and the accepted range), or
    added to ``into`` (the one file's problems, raised by the caller with its own)."""
    problems: dict[Path, Problems] = {} if into is None else {into.source: into}
    raw = {}
    unreadable = {}  # target -> cells that were not numbers (reported once, as such)
    for s in sources:
        file, lines, cells = text[s.column]
        p = problems.setdefault(file, Problems(file))
        number = FieldSpec(s.column, "-", None, kind="float")
        values = np.full(len(nodes.ids), np.nan)
        for i, (cell, line) in enumerate(zip(cells, lines)):
            value = p.parse(number, cell, f"row {line} ({nodes.ids[i]}), column {s.column}") if cell else None
            values[i] = np.nan if value is None else value
        raw[s.target] = (s, values, file, lines)
        unreadable[s.target] = np.isnan(values) & np.array([bool(c) for c in cells])
    size = _household_size(raw, len(nodes.ids))
    for target, (s, values, file, lines) in raw.items():
        if target in MONEY_COLUMNS:
            factor = mapping.money_factor(s.unit) if mapping else (1.0 if s.unit.endswith("year") else 12.0)
            converted = factor != 1.0 or "/household/" in s.unit
            values = values * factor / (size if "/household/" in s.unit else 1.0)
        else:
            converted = UNITS[target][s.unit] != 1.0
            values = values * UNITS[target][s.unit]
        read_as = f" after conversion from {s.unit}" if converted else ""  # said only where a value was converted
        spec = _SPEC.get(target, _MONEY)
        for i in np.flatnonzero(~np.isnan(values)):
            if not spec._within(values[i]):
                hint = spec.percent_hint(values[i]) if s.unit != "percent" else ""
                if hint and mapping:
                    hint = ' (is it a percent? declare unit = "percent")'
                problems[file].add(f"row {lines[i]} ({nodes.ids[i]}), column {s.column}",
                                   f"{spec.expected()}{read_as}, got {values[i]:.6g}{hint}")
        nodes.table[target] = np.round(values) if spec.kind == "int" else values
    for target in ("population", "mean_income", "mean_consumption"):
        if target in raw:
            s, _, file, lines = raw[target]
            gap = np.isnan(nodes.table[target]) & ~unreadable[target]
            if target != "population":
                gap &= np.isnan(nodes.table.get("mean_consumption" if target == "mean_income" else "mean_income",
                                                np.full(len(gap), np.nan)))
            for i in np.flatnonzero(gap):
                problems[file].add(f"row {lines[i]} ({nodes.ids[i]}), column {s.column}",
                                   f"a value: {target} is part of the minimal data every unit needs")
    if into is None:
        for p in problems.values():
            p.raise_if_any()


def _household_size(raw: dict, n: int) -> np.ndarray:
    """Persons per household: observed, else the regional default (the rule that fills households)."""
    pop = raw["population"][1] * UNITS["population"][raw["population"][0].unit] if "population" in raw else np.nan
    if "households" in raw:
        hh = raw["households"][1] * UNITS["households"][raw["households"][0].unit]
        with np.errstate(invalid="ignore", divide="ignore"):
            size = pop / hh
        return np.where(np.isfinite(size) & (size > 0), size, RULE["households"].default)
    return np.full(n, RULE["households"].default)


def _land_classes(mapping: Mapping, nodes: Nodes, columns: dict) -> None:
    """Mean farm size and land Gini from farm counts by size class, where not observed."""
    if not mapping.land_classes:
        return
    counts = []
    for name in mapping.land_classes:
        file, lines, cells = _source_column(mapping, Source("land", name, "farms"), columns)
        p = Problems(file)
        spec = FieldSpec(name, "farms", None, 0, 1e8)
        counts.append([p.parse(spec, c, f"row {line} ({k}), column {name}", 0.0) or 0.0
                       for c, line, k in zip(cells, lines, nodes.ids)])
        p.raise_if_any()
    households = np.where(np.isnan(nodes.table["households"]),
                          nodes.table["population"] / RULE["households"].default, nodes.table["households"])
    mean, gini = land_from_classes(np.array(counts, float).T, list(mapping.land_classes.values()), households)
    room = MAX_FARMLAND_SHARE * nodes.table["area_ha"] / households
    for column, values in (("mean_farm_ha", np.minimum(mean, room)), ("land_gini", np.minimum(gini, 0.98))):
        gap = np.isnan(nodes.table[column])
        nodes.table[column] = np.where(gap, values, nodes.table[column])
        nodes.note(column, gap, "derived", "from the farm-size classes (farms at their class midpoint; households "
                   f"without a farm landless; farmland at most {MAX_FARMLAND_SHARE:g} of the area)")


def _kinds(mapping: Mapping, nodes: Nodes, columns: dict) -> None:
    kind = next((s for s in mapping.sources if s.target == "kind"), None)
    if kind is not None:
        _read_kinds(nodes, *_source_column(mapping, kind, columns), kind.column, "declared in the mapping file")
    elif mapping.city_min_population is not None:
        nodes.kinds = ["city" if p >= mapping.city_min_population else "municipality" for p in nodes.table["population"]]


def _read_kinds(nodes: Nodes, file: Path, lines: list[int], cells: list[str], column: str, markets: str,
                into: Problems | None = None) -> None:
    """Each unit's kind from the ``cells`` of ``column`` (municipality or city; ``markets``
    says where markets come from instead); every bad cell reported at once, or added to
    ``into`` (raised by the caller)."""
    p = Problems(file) if into is None else into
    for i, (cell, line) in enumerate(zip(cells, lines)):
        if cell not in ("municipality", "city"):
            p.add(f"row {line} ({nodes.ids[i]}), column {column}", f"municipality or city (markets are {markets}), "
                  f"got {cell!r}{did_you_mean(cell, ('municipality', 'city')) if cell else ''}")
        else:
            nodes.kinds[i] = cell
    if into is None:
        p.raise_if_any()


def _road_classes(mapping: Mapping, columns: dict, n: int) -> list[str]:
    if mapping.class_column is None:
        return [mapping.default_class] * n
    file, lines, cells = _source_column(mapping, Source("road_class", mapping.class_column, "-"), columns)
    p = Problems(file)
    for cell, line in zip(cells, lines):
        if cell not in mapping.speeds:
            p.add(f"row {line}, column {mapping.class_column}", f"a road class of the mapping ({', '.join(mapping.speeds)}), "
                  f"got {cell!r}")
    p.raise_if_any()
    return cells


def _road_network(mapping: Mapping, keys: list[str], names: list[str]) -> dict[tuple[int, int], str | None]:
    """Links of the road network file: ``{(i, j): road class or None}`` (the file's
    optional ``road_class`` column; None: the slower of the ends' classes)."""
    from .territory import resolve_node

    data = read_table(mapping.road_network)
    p = Problems(mapping.road_network)
    for c in ("from", "to"):
        if c not in data.header:
            p.add(f"column {c}", f"a column of that name (from, to: unit keys or names; optional road_class); "
                  f"the header has {', '.join(data.header)}")
    p.raise_if_any()
    index = {k: i for i, k in enumerate(keys)}
    pairs: dict[tuple[int, int], str | None] = {}
    for row, line in zip(data.rows, data.lines):
        ends = []
        for c in ("from", "to"):
            try:
                ends.append(index[resolve_node(row[c], keys, names)])
            except KeyError as exc:
                p.add(f"row {line}, column {c}", exc.args[0])
        road = row.get("road_class") or None
        if road is not None and road not in mapping.speeds:
            p.add(f"row {line}, column road_class", f"a road class of the mapping ({', '.join(mapping.speeds)}), "
                  f"got {road!r}")
        if len(ends) == 2 and ends[0] != ends[1]:
            pairs[min(ends), max(ends)] = road
    p.raise_if_any()
    return pairs


def _fmt(value: float, column: str) -> str:
    if np.isnan(value):
        return ""
    if _SPEC[column].kind == "int":
        return str(int(round(value)))
    return f"{value:.6g}"


def _write(out: Path, nodes: Nodes, edges: list[tuple], *, name: str, year: int, poverty_line: float, source: Path,
           provenance: dict, extra=None) -> dict:
    """Write the territory into a temporary directory, validate it, then move it to ``out``.

    ``edges`` are rows (from, to, travel time, road quality, source, km, road class);
    ``source`` is the file named when the built territory does not validate; ``extra``,
    if given, writes more files into the temporary directory."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        header = [c.name for c in NODE_COLUMNS]
        with (tmp / "municipalities.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            for i, node_id in enumerate(nodes.ids):
                w.writerow([node_id, nodes.names[i], nodes.kinds[i], *(_fmt(nodes.table[c.name][i], c.name) for c in NUMERIC)])
        with (tmp / "edges.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow([c.name for c in EDGE_COLUMNS] + ["source", "km", "road_class"])
            for a, b, t, q, src, km, road in edges:
                w.writerow([a, b, f"{max(t, 1e-3):.4g}", f"{q:g}", src, km, road])
        value = {(i, c): nodes.table[c][k] for k, i in enumerate(nodes.ids) for c in nodes.table}
        with (tmp / FILLED_FILE).open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "column", "value", "how", "rule"])
            for node_id, column, how, rule in nodes.notes:
                w.writerow([node_id, column, _fmt(value[node_id, column], column), how, rule])
        (tmp / "scenario.toml").write_text(_scenario(name, year, poverty_line), encoding="utf-8")
        (tmp / "import.json").write_text(json.dumps({**provenance, "year": year, "poverty_line": poverty_line,
                                                     "filled": filled_summary_rows(nodes.notes)}, indent=2),
                                         encoding="utf-8")
        if extra is not None:
            extra(tmp)
        try:
            load_territory(tmp)
        except InputError as exc:
            # the built file (not written: "would build") and its field: a row of municipalities.csv names its unit itself
            built = Path(exc.source).name if exc.source else ""
            raise InputError(source, f"the territory it would build ({built + ', ' if built else ''}{exc.field})",
                             exc.expected.replace(str(tmp), str(out))) from None
        if out.exists():
            shutil.rmtree(out)
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return filled_summary_rows(nodes.notes)


def _scenario(name: str, year: int, poverty_line: float) -> str:
    safe = json.dumps(name)
    context = "".join(f"{driver} = {value!r}" + (f"  # {note}" if note else "") + "\n"
                      for driver, value, note in DOCUMENTED_CONTEXT)
    return (f"# Written by territory-abm: the imported territory with no new policy, from its data's year.\n"
            f"# Its context is the shipped baseline's plausible Latin American decade and its parameters are\n"
            f"# the package's defaults: replace them with the territory's own.\n"
            f"name = {safe}\ndescription = {json.dumps('Imported territory ' + name + ', no new policies.')}\n"
            f'territory = "."\nstart_year = {year}\nsteps = 20\nseed = 1\npoverty_line = {poverty_line!r}\n'
            f"households_scale = 1.0\n\n"
            f"[context]\n# What moves the territory without any local policy (README, \"Writing a scenario\"). Its own\n"
            f"# drift, with the context flat and births that balance deaths and migration: territory-abm stationary\n"
            f"# DIR/scenario.toml --out DIR/stationary.toml (README, \"Your first hour\", step 3)\n"
            f"{context}")


def filled_summary_rows(notes: list[tuple[str, str, str, str]]) -> dict:
    """``{key: {"column": ..., "how": ..., "rule": ..., "nodes": n}}`` of the filled cells, one
    entry for each rule that applied to a column: ``"governance (assumed)"``, a city's default
    ``"land_gini (assumed, cities)"``, a column's further rules ``"area_ha (assumed, 2)"``."""
    out: dict = {}
    keys: dict = {}
    for _, column, how, rule in notes:
        if (column, how, rule) not in keys:
            same = sum(c == column and h == how for c, h, _ in keys)
            keys[column, how, rule] = (f"{column} ({how}, cities)" if rule == CITY_RULE
                                       else f"{column} ({how})" if same == 0 else f"{column} ({how}, {same + 1})")
        entry = out.setdefault(keys[column, how, rule], {"column": column, "how": how, "rule": rule, "nodes": 0})
        entry["nodes"] += 1
    return out


def _filled_rows(directory: str | Path) -> list[dict[str, str]] | None:
    path = Path(directory) / FILLED_FILE
    return read_table(path).rows if path.is_file() else None


def filled_summary(directory: str | Path) -> dict | None:
    """What a territory directory's ``filled.csv`` says was derived or assumed (None: no such file)."""
    rows = _filled_rows(directory)
    if rows is None:
        return None
    return filled_summary_rows([(r["id"], r["column"], r["how"], r["rule"]) for r in rows])


FITTED_GINI_FLOOR = 0.35
"""A Gini backed out of a unit's mean income and poverty rate below this is noted by ``init``
and ``import`` (assumption: rural income Ginis in Latin America are about 0.46-0.52, MODEL.md,
and municipal ones seldom below 0.35). So low a Gini says most people sit close to the poverty
line; the model's start does not hold that (its jobs at rest spread incomes: a table of mean
income 1,600 USD and poverty 0.30, fitted Gini 0.22, started at poverty 0.56 and Gini 0.41,
session 54), and it is what a poverty rate measured at another line than the scenario's gives."""


def narrow_fitted_ginis(directory: str | Path) -> str:
    """A note naming the units of a territory directory written by ``init`` or ``import`` whose
    Gini ``filled.csv`` says was fitted to the unit's mean income and poverty rate and is below
    :data:`FITTED_GINI_FLOOR` (``""`` if none, or if the directory has no ``filled.csv``): what
    it means and what to check (the poverty line from ``import.json`` where it is there)."""
    low = []
    for r in _filled_rows(directory) or ():
        try:
            value = float(r["value"])
        except (KeyError, TypeError, ValueError):
            continue
        if r.get("column") == "income_gini" and r.get("how") == "fitted" and value < FITTED_GINI_FLOOR:
            low.append(f"{r['id']} {value:.2f}")
    if not low:
        return ""
    try:
        line = json.loads((Path(directory) / "import.json").read_text(encoding="utf-8"))["poverty_line"]
        at = f" at the poverty line {line:g} USD/person/yr"
    except (OSError, ValueError, KeyError, TypeError):
        at = ""
    units = "1 unit" if len(low) == 1 else f"{len(low)} units"
    return (f"note: the income Gini backed out of mean_income and poverty_rate{at} is below {FITTED_GINI_FLOOR:g} "
            f"in {units} ({', '.join(low[:8])}{', ...' if len(low) > 8 else ''}): a distribution that narrow puts "
            "most people close to the line, which the model's start does not hold (its jobs at rest spread incomes: "
            "expect a starting poverty well above the table's). Check that poverty_rate was measured at this line "
            "(init --poverty-line, the mapping file's poverty_line) and that mean_income and poverty_rate measure "
            "the same thing (income, or consumption, per person and year); give income_gini if you have it.")


def assumed_cells(directory: str | Path) -> set[tuple[str, str]]:
    """``(node id, column)`` of every value ``filled.csv`` marks as assumed or fitted (not observed)."""
    return {(r["id"], r["column"]) for r in _filled_rows(directory) or () if r["how"] in NOT_OBSERVED}
