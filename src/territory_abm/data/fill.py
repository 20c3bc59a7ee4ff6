"""Filling the municipality columns a user's data do not have, each by one documented rule.

A territory needs every column of :data:`territory_abm.data.territory.NODE_COLUMNS`. Real
data rarely have them all: :data:`REQUIRED` names the minimum (people and a level of
income or consumption); every other column a node lacks is filled here by the rule of
:data:`RULES`, and every filled cell is recorded so that the territory directory
(``filled.csv``) and every run's ``run.json`` say what was observed and what was assumed.

Income distribution (per-capita income lognormal, as in :mod:`territory_abm.data.synthetic`):
with mean m, shape s and poverty line z, the poverty rate is
P = Phi((ln(z / m) + s^2 / 2) / s) and the Gini is G = 2 Phi(s / sqrt 2) - 1.

* mean, Gini given, poverty missing: P from the formula.
* mean, poverty given, Gini missing: s solves s^2 / 2 - Phi^-1(P) s + ln(z / m) = 0 (the
  root nearest the regional default's s), G from s.
* neither: the regional default Gini, and P from it.

Land: from farm-size classes (number of farms per class of farm size, a class's farms
taken at its midpoint; households without a farm are landless) when the mapping declares
them, otherwise the regional default mean farm size, capped so that farmland takes at
most :data:`MAX_FARMLAND_SHARE` of the area, and the regional default land Gini.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr, ndtri

from .synthetic import lognormal_sigma_for_gini
from .territory import SECTORS

REQUIRED = ("population", "mean_income")
"""Columns every populated node must have (``mean_income`` may come from a mean consumption)."""

MAX_FARMLAND_SHARE = 0.6
"""Largest share of a node's area a filled mean farm size may take (assumption), leaving
room for forest, towns and water."""
GINI_BOUNDS = (0.2, 0.75)
"""Range a Gini backed out of a poverty rate is held in (assumption: observed municipal
income Ginis in Latin America lie in it)."""


@dataclass(frozen=True)
class Rule:
    """How one column is filled when a node lacks it.

    Attributes
    ----------
    column : str
        The column of ``municipalities.csv``.
    default : float or None
        The regional default (None: computed from other columns).
    rule : str
        The rule, in words, as ``filled.csv`` and the data format docs give it.
    source : str
        Where the default comes from (or "assumption").
    """

    column: str
    default: float | None
    rule: str
    source: str


_EXAMPLE = "assumption: about the median of the bundled example territory"
MAX_FILLED_NONFARM_SHARE = 0.95
"""The most a filled ``nonfarm_income_share`` can be (a unit with most adults in wage jobs)."""
RULES: tuple[Rule, ...] = (
    Rule("households", 4.2, "population / the regional default household size (persons per household)",
         "assumption: rural Latin America, household size about 4 (CEPALSTAT)"),
    Rule("mean_income", None, "a mean consumption level taken as the income level (saving ignored)", "assumption"),
    Rule("poverty_rate", None, "lognormal income with the node's mean and Gini, share below the poverty line",
         "formula in the module docstring"),
    Rule("income_gini", 0.47, "backed out of the mean and poverty rate (lognormal), else the regional default",
         "assumption: municipal income Ginis of the example territory 0.41-0.50"),
    Rule("land_gini", 0.8, "from the farm-size classes, else the regional default",
         "assumption: land Ginis in Latin America about 0.8 (FAO agricultural censuses)"),
    Rule("mean_farm_ha", 7.0, "from the farm-size classes, else the regional default capped at "
         f"{MAX_FARMLAND_SHARE:g} of the area per household", _EXAMPLE),
    Rule("area_ha", None, "the polygon's area on an equal-area projection; without boundaries, the farmland "
         f"(households x mean farm size) taken as {MAX_FARMLAND_SHARE:g} of the area, or as the share the "
         "observed forest cover leaves if that is smaller", "the boundaries file"),
    Rule("forest_cover", 0.35, "the regional default, capped at the area left by farmland", _EXAMPLE),
    Rule("wage_share", 0.3, "the regional default", _EXAMPLE),
    Rule("nonfarm_income_share", 0.38, "the regional default times the unit's wage share over the regional "
         f"wage share (so that the wage per worker it implies is the regional one), at least the wage share and "
         f"at most {MAX_FILLED_NONFARM_SHARE:g}", _EXAMPLE),
    Rule("share_commercial_agriculture", 0.28, "the regional default", _EXAMPLE),
    Rule("share_agro_processing", 0.2, "the regional default", _EXAMPLE),
    Rule("share_commerce_services", 0.42, "the regional default", _EXAMPLE),
    Rule("share_manufacturing", 0.1, "the regional default", _EXAMPLE),
    Rule("dynamic_market_share", 0.38, "the regional default", _EXAMPLE),
    Rule("mean_education", 5.5, "the regional default", _EXAMPLE),
    Rule("service_quality", 0.45, "the regional default", _EXAMPLE),
    Rule("governance", 0.5, "the regional default", _EXAMPLE),
)
RULE = {r.column: r for r in RULES}
DEFAULTS = {r.column: r.default for r in RULES if r.default is not None}
"""Regional defaults by column; a mapping file's ``[defaults]`` replaces them."""
CITY_DEFAULTS = {"land_gini": 0.9, "mean_farm_ha": 0.3, "forest_cover": 0.1, "wage_share": 0.65,
                 "nonfarm_income_share": 0.88, "share_commercial_agriculture": 0.05, "share_agro_processing": 0.2,
                 "share_commerce_services": 0.55, "share_manufacturing": 0.2, "dynamic_market_share": 0.6,
                 "mean_education": 9.0}
"""Defaults of an intermediate city (kind ``city``) where they differ from the rural ones: the
bundled example's cities' values (an assumption, as the rural defaults are the example's
medians). With the rural defaults a city with only its population and income started as a farm
town, 0.38 of its income to be earned off the farm and 0.30 of its adults in wage jobs (a user's
trial, session 53), with the farms of a rural municipality (7 ha a household) and its forest.
A mapping file's ``[defaults]`` for a column replaces both."""
CITY_RULE = "the example's intermediate cities' value"
"""The rule noted for a city's cell filled from :data:`CITY_DEFAULTS`."""


def poverty_from_gini(mean: np.ndarray, gini: np.ndarray, line: float) -> np.ndarray:
    """Share of people below ``line`` for lognormal incomes of ``mean`` and ``gini``."""
    s = np.maximum(lognormal_sigma_for_gini(gini), 1e-9)
    return ndtr((np.log(line / mean) + s**2 / 2) / s)


def gini_from_poverty(mean: np.ndarray, poverty: np.ndarray, line: float, default_gini: float) -> np.ndarray:
    """Gini of the lognormal with ``mean`` whose share below ``line`` is ``poverty`` (the
    root nearest the default's shape; the default where there is none), held in
    :data:`GINI_BOUNDS`."""
    return _gini_fit(mean, poverty, line, default_gini)[0]


def _gini_fit(mean, poverty, line: float, default_gini: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`gini_from_poverty`, and where a lognormal fits (a poverty rate given and a root)
    and where its Gini was held at a bound of :data:`GINI_BOUNDS`."""
    mean, poverty = np.broadcast_arrays(np.asarray(mean, float), np.asarray(poverty, float))
    q = ndtri(np.clip(poverty, 1e-6, 1 - 1e-6))
    disc = q**2 - 2 * np.log(line / mean)
    s0 = float(lognormal_sigma_for_gini(default_gini))
    root = np.sqrt(np.maximum(disc, 0.0))
    roots = np.stack([q - root, q + root])
    roots = np.where(roots > 0, roots, np.inf)
    best = np.take_along_axis(roots, np.argmin(np.abs(roots - s0), axis=0)[None], axis=0)[0]
    fits = (disc >= 0) & np.isfinite(best)
    s = np.where(fits, best, s0)
    gini = 2 * ndtr(s / np.sqrt(2)) - 1
    held = fits & ((gini < GINI_BOUNDS[0]) | (gini > GINI_BOUNDS[1]))
    return np.clip(gini, *GINI_BOUNDS), fits, held


def land_from_classes(farms: np.ndarray, bounds: list[tuple[float, float]], households: np.ndarray
                      ) -> tuple[np.ndarray, np.ndarray]:
    """Mean land per household (ha) and land Gini from farm counts by size class.

    Parameters
    ----------
    farms : numpy.ndarray, shape (n_nodes, n_classes)
        Farms per class.
    bounds : list of (low, high)
        Each class's farm size range (ha); its farms are taken at the midpoint.
    households : numpy.ndarray, shape (n_nodes,)
        Households; those beyond the number of farms are landless.
    """
    mid = np.array([(lo + hi) / 2 for lo, hi in bounds], float)
    order = np.argsort(mid)
    mid, farms = mid[order], farms[:, order]
    landless = np.maximum(households - farms.sum(axis=1), 0.0)
    sizes = np.concatenate([[0.0], mid])
    counts = np.column_stack([landless, farms])
    n = counts.sum(axis=1)
    land = (counts * sizes).sum(axis=1)  # not a matrix product: BLAS's kernels differ between processors
    # Gini of grouped data sorted by size: 1 - sum_k n_k (L_{k-1} + L_k) / (N L)
    cum = np.cumsum(counts * sizes, axis=1)
    before = np.column_stack([np.zeros(len(n)), cum[:, :-1]])
    with np.errstate(invalid="ignore", divide="ignore"):
        gini = 1.0 - (counts * (before + cum)).sum(axis=1) / (n * land)
        mean = land / households
    return mean, np.where(land > 0, gini, 0.0)


@dataclass(frozen=True)
class Filled:
    """Cells of one column filled by one rule, as ``filled.csv`` notes them.

    Attributes
    ----------
    column : str
        The column of ``municipalities.csv``.
    nodes : numpy.ndarray of bool
        The nodes whose cell the rule filled.
    how : str
        ``fitted`` (from the unit's own data through an assumed income distribution) or
        ``assumed`` (a default, or a rule that takes one).
    rule : str
        The rule as it applied to these cells (one branch of :data:`RULES`' rule).
    """

    column: str
    nodes: np.ndarray
    how: str
    rule: str


def fill_missing(table: dict[str, np.ndarray], populated: np.ndarray, poverty_line: float,
                 defaults: dict[str, float] | None = None, cities: np.ndarray | None = None) -> list[Filled]:
    """Fill every missing (NaN) cell of the populated nodes of ``table`` in place.

    Parameters
    ----------
    table : dict of str to numpy.ndarray
        Node columns by name (every column of ``NODE_COLUMNS`` present, NaN where not
        observed); ``mean_consumption`` may stand in for a missing ``mean_income``. The
        required columns must be complete for populated nodes.
    populated : numpy.ndarray of bool
        Nodes with households (markets are left as they are).
    poverty_line : float
        USD per person per year.
    defaults : dict, optional
        Regional defaults replacing those of :data:`DEFAULTS` (and, for their columns, of
        :data:`CITY_DEFAULTS`).
    cities : numpy.ndarray of bool, optional
        Nodes that are intermediate cities: they take :data:`CITY_DEFAULTS`.

    Returns
    -------
    list of Filled
        The filled cells, by column and by the branch of its rule that applied (a user's trial,
        session 53: init printed every branch of a rule, "from the farm-size classes, else the
        regional default", where only one could apply, and called a Gini backed out of the
        user's own mean and poverty rate "assumed").
    """
    given = dict(defaults or {})
    d = {**DEFAULTS, **given}
    out: list[Filled] = []
    n = len(populated)
    cities = np.zeros(n, bool) if cities is None else np.asarray(cities, bool)
    everywhere = np.ones(n, bool)

    def whose(column: str) -> np.ndarray:
        """By node, whose default a cell of ``column`` takes: the mapping file's where it gives
        one, else a city's where cities have one ("cities'"), else the regional one."""
        if column in given:
            return np.full(n, "mapping file's", object)
        if column in CITY_DEFAULTS:
            return np.where(cities, "cities'", "regional").astype(object)
        return np.full(n, "regional", object)

    def default_of(column: str) -> np.ndarray:
        """The default by node, as :func:`whose` says whose."""
        return np.where(whose(column) == "cities'", CITY_DEFAULTS.get(column, d[column]), float(d[column]))

    def by_default(column: str, where: np.ndarray = everywhere, what: str = "the regional default") -> list:
        """The branches of ``where`` taking ``column``'s default, by whose (:func:`whose`)."""
        rules = {"regional": what, "cities'": CITY_RULE, "mapping file's": "the mapping file's [defaults] value"}
        kind = whose(column)
        return [(where & (kind == source), "assumed", rule) for source, rule in rules.items()]

    def by_whose(where: np.ndarray, rule: str, *labels: np.ndarray) -> list:
        """Branches of ``where`` by the defaults a rule takes (``labels``: by node, as
        :func:`whose` gives them), each noted with ``rule`` formatted with its labels."""
        keys = np.array([" | ".join(k) for k in zip(*labels)], object) if n else np.zeros(0, object)
        return [(where & (keys == key), "assumed", rule.format(*key.split(" | "))) for key in dict.fromkeys(keys[where])]

    def fill(column: str, values, branches: list | None = None) -> None:
        """Fill ``column``'s gaps with ``values``; note each branch (where, how, rule) of its gaps."""
        gap = populated & np.isnan(table[column])
        if gap.any():
            table[column][gap] = np.broadcast_to(np.asarray(values, float), gap.shape)[gap]
            for where, how, rule in branches or [(everywhere, "assumed", RULE[column].rule)]:
                if (gap & where).any():
                    out.append(Filled(column, gap & where, how, rule))

    if "mean_consumption" in table:
        fill("mean_income", table["mean_consumption"])
    fill("households", np.maximum(np.round(table["population"] / d["households"]), 1))
    mean, line = table["mean_income"], poverty_line
    gini_observed = ~np.isnan(table["income_gini"])  # a poverty rate filled below is fitted to it
    gini, fits, held = _gini_fit(mean, table["poverty_rate"], line, d["income_gini"])
    backed = "backed out of the unit's mean income and poverty rate (lognormal income)"
    fill("income_gini", gini, [(fits & ~held, "fitted", backed),
                               (held, "fitted", f"{backed}, held in {GINI_BOUNDS[0]:g}-{GINI_BOUNDS[1]:g}"),
                               *by_default("income_gini", ~fits & ~np.isnan(table["poverty_rate"]),
                                           "the regional default (no lognormal with the unit's mean has its "
                                           "poverty rate)"),
                               *by_default("income_gini", ~fits & np.isnan(table["poverty_rate"]))])
    below = "the share below the poverty line of lognormal incomes with the unit's mean income and"
    fill("poverty_rate", poverty_from_gini(mean, table["income_gini"], line),
         [(gini_observed, "fitted", f"{below} Gini"),
          *by_whose(~gini_observed, f"{below} the {{}} default Gini", whose("income_gini"))])
    fill("land_gini", default_of("land_gini"), by_default("land_gini"))
    room = MAX_FARMLAND_SHARE * table["area_ha"] / table["households"]
    farm = default_of("mean_farm_ha")
    capped = ~np.isnan(room) & (room < farm)
    fill("mean_farm_ha", np.where(np.isnan(room), farm, np.minimum(farm, room)),
         [*by_whose(capped, f"the {{}} default capped at {MAX_FARMLAND_SHARE:g} of the area per household",
                    whose("mean_farm_ha")),
          *by_default("mean_farm_ha", ~capped)])
    # farmland takes at most MAX_FARMLAND_SHARE of the area and leaves room for the forest observed
    by_forest = (table["forest_cover"] < 1.0) & (1.0 - table["forest_cover"] < MAX_FARMLAND_SHARE)  # (NaN: False)
    farmland_share = np.where(by_forest, 1.0 - table["forest_cover"], MAX_FARMLAND_SHARE)
    farmland = "the farmland (households x mean farm size) taken as"
    fill("area_ha", table["households"] * table["mean_farm_ha"] / farmland_share,
         [(~by_forest, "assumed", f"{farmland} {MAX_FARMLAND_SHARE:g} of the area"),
          (by_forest, "assumed", f"{farmland} the share of the area the observed forest cover leaves")])
    with np.errstate(invalid="ignore", divide="ignore"):
        left = 1.0 - table["households"] * table["mean_farm_ha"] / table["area_ha"]
    forest = default_of("forest_cover")
    short = ~np.isnan(left) & (left < forest)
    fill("forest_cover", np.clip(np.where(np.isnan(left), forest, np.minimum(forest, left)), 0.0, 1.0),
         [*by_whose(short, "the area farmland leaves (less than the {} default)", whose("forest_cover")),
          *by_default("forest_cover", ~short)])
    sector_columns = [f"share_{s}" for s in SECTORS]
    if np.any([populated & np.isnan(table[c]) for c in sector_columns]):
        shares = np.column_stack([table[c] for c in sector_columns])
        # rows missing any share take the regional mix, scaled into what the given shares leave
        missing = populated & np.isnan(shares).any(axis=1)
        partial = missing & ~np.isnan(shares).all(axis=1)
        default = np.column_stack([default_of(c) for c in sector_columns])
        rest = 1.0 - np.nansum(shares, axis=1)
        free = np.where(np.isnan(shares), default, 0.0)
        scaled = free * (np.maximum(rest, 0.0) / np.maximum(free.sum(axis=1), 1e-12))[:, None]
        # as given where no share is and the defaults sum to 1; else scaled (a mapping file's
        # [defaults] of some shares need not sum to 1 with the others)
        whole = missing & ~partial & np.isclose(default.sum(axis=1), 1.0, rtol=0.0, atol=1e-12)
        mix = [" and ".join(dict.fromkeys(sorted(k))) for k in zip(*(whose(c) for c in sector_columns))]
        mix = np.array(mix, object) if n else np.zeros(0, object)
        for k, c in enumerate(sector_columns):
            fill(c, np.where(missing, scaled[:, k], np.nan),
                 [*by_default(c, whole, "the regional mix"),
                  *by_whose(partial, "the {} mix, scaled into what the unit's given shares leave", mix),
                  *by_whose(missing & ~partial & ~whole, "the {} mix, scaled to sum to 1", mix)])
    wage, nonfarm = default_of("wage_share"), default_of("nonfarm_income_share")
    fill("wage_share", wage, by_default("wage_share"))
    # in proportion to the unit's wage share: the start pays the non-farm income to the wage
    # workers, so a regional share over a low wage share made the poorest units' wages twice
    # the city's (a user's trial, session 25); where the wage share is the default one, the
    # default (a city's for a city)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(wage > 0, nonfarm / wage, 1.0)
    proportional = np.clip(ratio * table["wage_share"], table["wage_share"], MAX_FILLED_NONFARM_SHARE)
    at_default = table["wage_share"] == wage
    fill("nonfarm_income_share", np.where(at_default, nonfarm, proportional),
         [*by_whose(~at_default, "the {} default non-farm share times the unit's wage share over the {} default wage "
                    "share (so that the wage per worker it implies is the default one), at least the wage share and "
                    f"at most {MAX_FILLED_NONFARM_SHARE:g}", whose("nonfarm_income_share"), whose("wage_share")),
          *by_default("nonfarm_income_share", at_default)])
    for column in ("dynamic_market_share", "mean_education", "service_quality", "governance"):
        fill(column, default_of(column), by_default(column))
    return out


def column_table() -> str:
    """Every column of ``municipalities.csv`` as a Markdown table: unit, range, whether it is
    required, how a missing value is filled, and an example (``docs/data_format.md``)."""
    from .territory import NODE_COLUMNS

    examples = {"id": "M01", "name": "San Isidro", "kind": "municipality", "population": "6656",
                "households": "1738", "mean_income": "1845", "poverty_rate": "0.448", "income_gini": "0.431",
                "land_gini": "0.733", "mean_farm_ha": "5.8", "area_ha": "23400", "forest_cover": "0.47",
                "wage_share": "0.31", "nonfarm_income_share": "0.3", "share_commercial_agriculture": "0.26",
                "share_agro_processing": "0.23", "share_commerce_services": "0.41", "share_manufacturing": "0.1",
                "dynamic_market_share": "0.48", "mean_education": "4.8", "service_quality": "0.31",
                "governance": "0.43"}
    lines = ["| column | unit | range | required | if missing | default | example | meaning |",
             "|---|---|---|---|---|---|---|---|"]
    for c in NODE_COLUMNS:
        span = "text" if c.kind == "str" else f"{c.low:g} – {c.high:g}"
        rule = RULE.get(c.name)
        required = "yes" if c.name in (*REQUIRED, "id") else "no"
        if c.name in ("name", "kind"):
            how, default = ("the id" if c.name == "name" else "municipality (import: cities from cities.min_population)"), ""
        else:
            how = rule.rule if rule else "-"
            default = "" if rule is None or rule.default is None else f"{rule.default:g}"
            if c.name in CITY_DEFAULTS:
                default += f" (cities {CITY_DEFAULTS[c.name]:g})"
        lines.append(f"| `{c.name}` | {c.unit} | {span} | {required} | {how} | {default} | {examples[c.name]} | "
                     f"{c.meaning} |")
    return "\n".join(lines)
