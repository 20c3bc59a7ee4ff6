"""The mapping file of ``territory-abm import``: which file and column holds what, in which unit.

A small TOML file (see ``docs/data_format.md``, "Importing")::

    name = "Valle"
    year = 2018                 # year of the data: the scenario's start year
    currency = "peso"           # money columns' currency
    per_usd = 2900              # pesos per US dollar in that year
    deflator = 1.0              # price level of the data relative to the model's dollars
    poverty_line = 1200         # USD/person/yr

    [boundaries]
    file = "boundaries.gpkg"    # GeoPackage or shapefile
    key = "code"                # attribute that joins to the tables
    name = "name"               # optional display name

    [[tables]]
    file = "census.csv"
    key = "codigo"

    [columns]                   # model column = "source column" or {column, unit, table}
    population = "poblacion"
    mean_income = {column = "ingreso", unit = "currency/household/month"}
    poverty_rate = {column = "pobreza", unit = "percent"}

Every problem names the mapping file and the key at fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..fields import FieldSpec, is_number
from ..suggest import did_you_mean, not_found
from ..tomlfile import read_toml
from .fill import DEFAULTS, REQUIRED
from .territory import NODE_COLUMNS

_SHARE = {"share": 1.0, "percent": 0.01}
UNITS: dict[str, dict[str, float]] = {
    "population": {"persons": 1.0, "thousands": 1000.0},
    "households": {"households": 1.0, "thousands": 1000.0},
    "area_ha": {"ha": 1.0, "km2": 100.0},
    "mean_farm_ha": {"ha": 1.0},
    "mean_education": {"years": 1.0},
    **{c.name: _SHARE for c in NODE_COLUMNS if c.unit == "1"},
}
"""Accepted units of each non-money column and the factor to the model's unit (the first is the default)."""
MONEY_COLUMNS = ("mean_income", "mean_consumption")
MONEY_UNITS = tuple(f"{cur}/{who}/{per}" for cur in ("currency", "USD") for who in ("person", "household")
                    for per in ("year", "month"))
"""Units of money columns: the mapping's currency or US dollars, per person or household, per year or month."""
TARGETS = ("name", "kind", *UNITS, *MONEY_COLUMNS)
"""Model columns a mapping can fill from a source column."""
ROAD_SPEEDS = {"primary": 60.0, "secondary": 35.0, "track": 15.0}
"""Default speed (km/h) by road class (assumption: paved, gravel and dirt roads of rural Latin America)."""
ROAD_QUALITY = {"primary": 0.9, "secondary": 0.55, "track": 0.25}
"""Default road quality (0-1) by road class (assumption, on the scale of the edges table)."""
DETOUR = 1.3
"""Road distance over straight-line distance between centroids (assumption: circuity factors of
1.2-1.6 measured by country in Ballou et al. 2002, doi:10.1016/S0965-8564(01)00034-6)."""

_TOP = {
    "name": FieldSpec("name", "-", None, meaning="territory name", kind="str"),
    "year": FieldSpec("year", "yr", None, 1800, 2200, "year of the data", "int"),
    "currency": FieldSpec("currency", "-", "USD", meaning="currency of money columns", kind="str"),
    "per_usd": FieldSpec("per_usd", "currency/USD", 1.0, 0, 1e9, "currency units per US dollar", exclusive=True),
    "deflator": FieldSpec("deflator", "1", 1.0, 0, 1e6, "price level of the data relative to the model's dollars",
                          exclusive=True),
    "poverty_line": FieldSpec("poverty_line", "USD/person/yr", 1200.0, 1, 1e6, "poverty line"),
}
_SECTIONS = ("boundaries", "tables", "columns", "land", "roads", "markets", "cities", "defaults")
_SECTION_KEYS = {"boundaries": ("file", "key", "name", "layer", "crs"), "tables": ("file", "key"),
                 "land": ("classes",), "roads": ("class_column", "speeds", "quality", "default_class", "detour", "file"),
                 "markets": ("id", "name", "x", "y", "crs", "road_class", "links"), "cities": ("min_population",)}
"""Keys each section accepts (``columns`` and ``defaults`` are checked against the model's columns)."""
_SPEED = FieldSpec("speed", "km/h", None, 0, 200, "road speed", exclusive=True)
_QUALITY = FieldSpec("quality", "1", None, 0, 1, "road quality", exclusive=True)
_SIZE = FieldSpec("farm size", "ha", None, 0, 1e5, "farm size class bound")
_LINKS = FieldSpec("links", "-", 1, 1, 20, "units a market is linked to", "int")
_CITY = FieldSpec("min_population", "persons", None, 1, 1e9, "population from which a unit is a city")
_DETOUR = FieldSpec("detour", "1", DETOUR, 1, 5, "road over straight-line distance")


@dataclass(frozen=True)
class Source:
    """A model column read from a source column: ``column`` of ``table`` (None: any) in ``unit``."""

    target: str
    column: str
    unit: str
    table: str | None = None


@dataclass(frozen=True)
class TableSpec:
    file: Path
    key: str


@dataclass(frozen=True)
class Market:
    """An external market: a point (``x``, ``y`` in ``crs``) linked to the ``links`` nearest units."""

    id: str
    name: str
    x: float
    y: float
    crs: str
    road_class: str
    links: int


@dataclass(frozen=True)
class Mapping:
    """A validated mapping file (paths resolved against its directory)."""

    path: Path
    name: str
    year: int
    currency: str
    per_usd: float
    deflator: float
    poverty_line: float
    boundaries: Path | None
    boundary_key: str | None
    boundary_name: str | None
    layer: str | None
    crs: str | None
    tables: tuple[TableSpec, ...]
    sources: tuple[Source, ...]
    land_classes: dict[str, tuple[float, float]] = field(default_factory=dict)
    speeds: dict[str, float] = field(default_factory=lambda: dict(ROAD_SPEEDS))
    quality: dict[str, float] = field(default_factory=lambda: dict(ROAD_QUALITY))
    default_class: str = "secondary"
    class_column: str | None = None
    detour: float = DETOUR
    road_network: Path | None = None
    markets: tuple[Market, ...] = ()
    city_min_population: float | None = None
    defaults: dict[str, float] = field(default_factory=dict)

    def money_factor(self, unit: str) -> float:
        """USD per unit of a money value in ``unit`` (before any per-household division), per year."""
        currency, _, period = unit.split("/")
        rate = 1.0 if currency == "USD" else 1.0 / self.per_usd
        return rate / self.deflator * (12.0 if period == "month" else 1.0)


def _table(raw, path: Path, key: str, prefix: str = "") -> dict:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise InputError(path, prefix + key, f"a table ([{prefix + key}]), got {value!r}")
    return value


def _str(raw: dict, key: str, path: Path, where: str, default=None) -> str | None:
    value = raw.get(key, default)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise InputError(path, f"{where}{key}", f"a non-empty string, got {value!r}")
    return value


def _file(raw: dict, path: Path, where: str, what: str) -> Path:
    name = _str(raw, "file", path, where)
    if name is None:
        raise InputError(path, f"{where}file", f"the {what} file's name, relative to the mapping file")
    file = path.parent / name
    if not file.exists():
        raise InputError(path, f"{where}file", not_found(file, f"an existing {what} file"))
    return file


def _source(target: str, raw, path: Path) -> Source:
    where = f"columns.{target}"
    if isinstance(raw, str):
        raw = {"column": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("column"), str):
        raise InputError(path, where, 'a column name, or a table such as {column = "pop", unit = "persons"}')
    unknown = set(raw) - {"column", "unit", "table"}
    if unknown:
        raise InputError(path, f"{where}.{min(unknown)}", "one of column, unit, table")
    accepted = MONEY_UNITS if target in MONEY_COLUMNS else tuple(UNITS.get(target, {"-": 1.0}))
    unit = raw.get("unit", accepted[0])
    if unit not in accepted:
        raise InputError(path, f"{where}.unit", f"one of {', '.join(accepted)}, got {unit!r}")
    return Source(target, raw["column"], unit, raw.get("table"))


def load_mapping(path: str | Path, need_boundaries: bool = True) -> Mapping:
    """Read and check a mapping file.

    Raises
    ------
    InputError
        Naming the mapping file and the key at fault: unknown sections or keys, a
        model column that does not exist, a unit not accepted for that column, a missing
        required column, a file that does not exist, a bad number.
    """
    path = Path(path)
    raw = read_toml(path, "mapping")
    for key in raw:
        if key not in _TOP and key not in _SECTIONS:
            raise InputError(path, key, f"one of {', '.join([*_TOP, *_SECTIONS])}{did_you_mean(key, [*_TOP, *_SECTIONS])}")
    for section, keys in _SECTION_KEYS.items():
        for i, entry in enumerate(raw.get(section, []) if section in ("tables", "markets") else [raw.get(section, {})]):
            where = f"{section}[{i}]" if section in ("tables", "markets") else section
            unknown = sorted(set(entry) - set(keys)) if isinstance(entry, dict) else []
            if unknown:
                raise InputError(path, f"{where}.{unknown[0]}", f"one of {', '.join(keys)}"
                                 f"{did_you_mean(unknown[0], keys)}")
    top = {name: spec.check(raw.get(name, spec.default), path, name) for name, spec in _TOP.items()}
    bounds = _table(raw, path, "boundaries")
    if bounds or need_boundaries:
        boundaries = _file(bounds, path, "boundaries.", "boundaries (GeoPackage or shapefile)")
        boundary_key = _str(bounds, "key", path, "boundaries.")
        if boundary_key is None:
            raise InputError(path, "boundaries.key", "the attribute of the boundaries that identifies each unit")
    else:
        boundaries, boundary_key = None, None
    tables_raw = raw.get("tables", [])
    if not isinstance(tables_raw, list) or not all(isinstance(t, dict) for t in tables_raw):
        raise InputError(path, "tables", "a list of tables ([[tables]] with file and key)")
    tables = []
    for i, t in enumerate(tables_raw):
        key = _str(t, "key", path, f"tables[{i}].", boundary_key)
        if key is None:
            raise InputError(path, f"tables[{i}].key", "the column that joins this table to the boundaries")
        tables.append(TableSpec(_file(t, path, f"tables[{i}].", "CSV table"), key))
    columns = _table(raw, path, "columns")
    for target in columns:
        if target not in TARGETS:
            raise InputError(path, f"columns.{target}", f"a model column ({', '.join(TARGETS)})"
                             f"{did_you_mean(target, TARGETS)}")
    sources = tuple(_source(t, v, path) for t, v in columns.items())
    if "population" not in columns or not set(columns) & set(MONEY_COLUMNS):
        lacking = "population" if "population" not in columns else "mean_income or mean_consumption"
        raise InputError(path, f"columns.{lacking.split()[0]}", f"a source column for {lacking}: the minimal "
                         f"data are {' and '.join(REQUIRED)} (or mean_consumption); the rest can be filled")
    land = _table(raw, path, "land")
    classes = {}
    for name, value in _table(land, path, "classes", "land.").items() if land else ():
        where = f"land.classes.{name}"
        if not (isinstance(value, list) and len(value) == 2 and all(is_number(v) for v in value)):
            raise InputError(path, where, "[smallest, largest] farm size of the class (ha)")
        low, high = (_SIZE.check(v, path, where) for v in value)
        if not low < high:
            raise InputError(path, where, f"a smaller first bound, got [{low:g}, {high:g}]")
        classes[name] = (low, high)
    roads = _table(raw, path, "roads")
    speeds = {**ROAD_SPEEDS, **{k: _SPEED.check(v, path, f"roads.speeds.{k}")
                                for k, v in _table(roads, path, "speeds", "roads.").items()}} if roads else dict(ROAD_SPEEDS)
    quality = {**ROAD_QUALITY, **{k: _QUALITY.check(v, path, f"roads.quality.{k}")
                                  for k, v in _table(roads, path, "quality", "roads.").items()}} if roads else dict(ROAD_QUALITY)
    missing_quality = sorted(set(speeds) - set(quality))
    if missing_quality:
        raise InputError(path, f"roads.quality.{missing_quality[0]}", "a road quality for every road class with a speed")
    default_class = _road_class(roads.get("default_class", "secondary"), speeds, path, "roads.default_class")
    network = _file(roads, path, "roads.", "road network (CSV: from, to, road_class)") if "file" in roads else None
    markets = tuple(_market(m, i, path, speeds) for i, m in enumerate(raw.get("markets", [])))
    if not markets:
        raise InputError(path, "markets", "at least one external market ([[markets]] with id, x, y)")
    cities = _table(raw, path, "cities")
    defaults = {}
    specs = {c.name: c for c in NODE_COLUMNS}
    for name, value in _table(raw, path, "defaults").items():
        if name not in DEFAULTS:
            raise InputError(path, f"defaults.{name}", f"a column with a regional default ({', '.join(DEFAULTS)})"
                             f"{did_you_mean(name, DEFAULTS)}")
        defaults[name] = specs[name].check(value, path, f"defaults.{name}") if name in specs else \
            FieldSpec(name, "persons/household", None, 1, 30).check(value, path, f"defaults.{name}")
    return Mapping(path=path, **top, boundaries=boundaries, boundary_key=boundary_key,
                   boundary_name=_str(bounds, "name", path, "boundaries."), layer=_str(bounds, "layer", path, "boundaries."),
                   crs=_str(bounds, "crs", path, "boundaries."), tables=tuple(tables), sources=sources,
                   land_classes=classes, speeds=speeds, quality=quality, default_class=default_class,
                   class_column=_str(roads, "class_column", path, "roads."),
                   detour=_DETOUR.check(roads.get("detour", DETOUR), path, "roads.detour"),
                   road_network=network, markets=markets,
                   city_min_population=None if "min_population" not in cities else
                   _CITY.check(cities["min_population"], path, "cities.min_population"),
                   defaults=defaults)


def _road_class(value, speeds: dict, path: Path, where: str) -> str:
    if value not in speeds:
        raise InputError(path, where, f"a road class with a speed ({', '.join(speeds)}), got {value!r}")
    return value


def _market(raw, i: int, path: Path, speeds: dict) -> Market:
    where = f"markets[{i}]."
    if not isinstance(raw, dict):
        raise InputError(path, f"markets[{i}]", "a table with id, x, y")
    market_id = _str(raw, "id", path, where)
    if market_id is None:
        raise InputError(path, f"{where}id", "the market's id")
    xy = []
    for axis in ("x", "y"):
        if not is_number(raw.get(axis)):
            raise InputError(path, f"{where}{axis}", "the market's coordinate (a number, in crs: longitude and "
                             "latitude by default)")
        xy.append(float(raw[axis]))
    return Market(market_id, _str(raw, "name", path, where, market_id), xy[0], xy[1],
                  _str(raw, "crs", path, where, "EPSG:4326"),
                  _road_class(raw.get("road_class", "primary"), speeds, path, f"{where}road_class"),
                  _LINKS.check(raw.get("links", 1), path, f"{where}links"))
