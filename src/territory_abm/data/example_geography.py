"""Synthetic geographies: invented municipalities as Voronoi cells, written as a statistics
office would publish them.

:func:`write_valley` writes the import example of ``examples/valley`` (boundaries in a
projected CRS, a Latin-1 semicolon census with decimal commas and monthly household incomes
in pesos, an agricultural census by farm-size class, a mapping file); the tests import it
end to end. :func:`example_geometry` gives the bundled example territory polygons laid out
from its own network. Everything is invented and free to reuse; a seed makes it identical
on every machine.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np

from .fill import poverty_from_gini
from .geography import GEOMETRY_FILE, require_geopandas

VALLEY_CRS = "EPSG:32718"
"""UTM zone 18 S (metres): the boundaries are projected, so that import must reproject."""
VALLEY_ORIGIN = (600_000.0, 8_600_000.0)
"""South-west corner of the valley in VALLEY_CRS (m)."""
PESOS_PER_USD = 3500.0
"""Exchange rate of the invented peso (the mapping file declares it)."""
DEFLATOR = 1.1
"""Price level of the census year relative to the model's dollars (the mapping file declares it)."""

MAPPING = """\
# Import of the synthetic valley (invented, free to reuse): territory-abm import examples/valley/mapping.toml --out DIR
name = "valley"
year = 2018
currency = "peso"
per_usd = {per_usd}
deflator = {deflator}
poverty_line = 1200.0          # USD/person/yr

[boundaries]
file = "boundaries.gpkg"
key = "cod_mun"
name = "nombre"

[[tables]]
file = "censo.csv"             # Latin-1, semicolons, decimal commas
key = "codigo"

[[tables]]
file = "agro.csv"
key = "codigo"

[columns]
population = "poblacion"
households = "hogares"
mean_income = {{column = "ingreso_hogar_mes", unit = "currency/household/month"}}
poverty_rate = {{column = "pobreza_pct", unit = "percent"}}
forest_cover = {{column = "bosque_pct", unit = "percent"}}

[land]
classes = {{fincas_0_5 = [0, 5], fincas_5_20 = [5, 20], fincas_20_100 = [20, 100]}}

[roads]
class_column = "via"           # road class of the main road leaving each unit
speeds = {{primary = 60, secondary = 35, track = 15}}

[cities]
min_population = {min_population}

[[markets]]
id = "X1"
name = "Port"
x = {port_x}
y = {port_y}
crs = "{crs}"
road_class = "primary"
links = 2
"""


def valley_points(n: int, rng: np.random.Generator, outline) -> np.ndarray:
    """``n`` seeds (m) inside ``outline``, no two closer than a third of the mean spacing."""
    from shapely.geometry import Point

    x0, y0, x1, y1 = outline.bounds
    spacing = np.sqrt(outline.area / n) / 3
    points = np.empty((0, 2))
    while len(points) < n:
        p = rng.uniform((x0, y0), (x1, y1))
        if outline.contains(Point(p)) and (len(points) == 0 or np.hypot(*(points - p).T).min() > spacing):
            points = np.vstack([points, p])
    return points


def voronoi_cells(points: np.ndarray, outline):
    """Voronoi cells of ``points`` clipped to ``outline``, in the points' order."""
    import shapely
    from shapely.geometry import MultiPoint
    from shapely.ops import voronoi_diagram

    cells = np.array(voronoi_diagram(MultiPoint([tuple(p) for p in points]), envelope=outline.envelope).geoms)
    point, cell = shapely.STRtree(cells).query(shapely.points(points), predicate="within")
    order = np.empty(len(points), int)
    order[point] = cell
    return list(shapely.intersection(cells[order], outline))


def valley_tables(n: int, rng: np.random.Generator, cities: int = 2) -> dict[str, np.ndarray]:
    """Invented census and agricultural census values of ``n`` units (the first ``cities`` are towns)."""
    population = rng.integers(3_000, 12_000, n).astype(float)
    population[:cities] = rng.integers(22_000, 36_000, cities)
    size = rng.uniform(3.6, 4.8, n)
    households = np.round(population / size)
    income_pc = rng.lognormal(np.log(2_100), 0.25, n)  # USD/person/yr
    income_pc[:cities] *= 1.8
    gini = rng.uniform(0.40, 0.50, n)
    poverty = poverty_from_gini(income_pc, gini, 1200.0)  # lognormal incomes (what import assumes)
    farms = households[:, None] * rng.dirichlet((6, 3, 1), n) * rng.uniform(0.5, 0.85, n)[:, None]
    farms[:cities] *= 0.1
    return {"population": population, "households": households,
            "income_household_month": income_pc * size / 12 * PESOS_PER_USD * DEFLATOR,
            "poverty_pct": 100 * poverty, "gini": gini, "forest_pct": 100 * rng.uniform(0.1, 0.5, n),
            "farms": np.round(farms), "road": np.where(np.arange(n) < cities, "primary",
                                                       rng.choice(["secondary", "track"], n, p=(0.6, 0.4)))}


NAMES = ("San Andrés", "Peñas Blancas", "Río Claro", "La Unión", "El Carmen", "Santa Lucía", "Los Álamos",
         "Buenos Aires", "Monte Verde", "La Esperanza", "San Martín", "El Porvenir", "Las Brisas", "Tres Esquinas",
         "Cañaveral", "El Mirador", "La Florida", "Puerto Viejo", "Santa Fe", "El Recreo", "Bellavista", "La Playa",
         "San Pedro", "Alto Bonito")


def write_valley(directory: str | Path, n: int = 24, seed: int = 2018, households: int | None = None) -> None:
    """Write the synthetic valley's boundaries, tables and mapping file to ``directory``
    (``n`` units; the valley grows with ``n`` so that units keep their size). ``households``:
    about this many households in all (every unit's population, households and farms scaled
    alike, and the population above which a unit is a city with them; default: 3,000 to
    12,000 people per unit, 22,000 to 36,000 in the two towns)."""
    gpd = require_geopandas()
    from shapely.geometry import Polygon

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    x0, y0 = VALLEY_ORIGIN
    k = 1e3 * np.sqrt(n / 24)  # m per km of the 24-unit valley
    outline = Polygon([(x0, y0 + 8 * k), (x0 + 30 * k, y0), (x0 + 85 * k, y0 + 5 * k), (x0 + 90 * k, y0 + 45 * k),
                       (x0 + 60 * k, y0 + 60 * k), (x0 + 10 * k, y0 + 55 * k)])
    points = valley_points(n, rng, outline)
    codes = [f"{5001 + 3 * i:05d}" for i in range(n)]  # leading zeros, as statistics offices write them
    names = [NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i // len(NAMES) + 1}") for i in range(n)]
    t = valley_tables(n, rng)
    density = 1.0 if households is None else households / t["households"].sum()
    for key in ("population", "households", "farms"):
        t[key] = np.round(t[key] * density)
    cells = voronoi_cells(points, outline)
    area_ha = np.array([c.area for c in cells]) / 1e4
    farmland = np.minimum(t["farms"] @ np.array([2.5, 12.5, 60.0]), 0.6 * area_ha)
    t["forest_pct"] = np.minimum(t["forest_pct"], 90 * (1 - farmland / area_ha))  # room for towns and water
    boundaries = gpd.GeoDataFrame({"cod_mun": codes, "nombre": names, "via": t["road"]}, geometry=cells, crs=VALLEY_CRS)
    boundaries.to_file(directory / "boundaries.gpkg", layer="municipios", driver="GPKG")

    def dec(v: float, digits: int = 1) -> str:
        return f"{v:.{digits}f}".replace(".", ",")

    census = ["codigo;municipio;poblacion;hogares;ingreso_hogar_mes;pobreza_pct"]
    census += [f"{c};{m};{int(p)};{int(h)};{dec(y, 2)};{dec(q, 2)}" for c, m, p, h, y, q in
               zip(codes, names, t["population"], t["households"], t["income_household_month"], t["poverty_pct"])]
    (directory / "censo.csv").write_bytes(("\r\n".join(census) + "\r\n").encode("latin-1"))
    agro = ["codigo,fincas_0_5,fincas_5_20,fincas_20_100,bosque_pct"]
    agro += [f"{c},{int(f[0])},{int(f[1])},{int(f[2])},{b:.1f}" for c, f, b in zip(codes, t["farms"], t["forest_pct"])]
    (directory / "agro.csv").write_text("\n".join(agro) + "\n", encoding="utf-8")
    (directory / "mapping.toml").write_text(MAPPING.format(per_usd=PESOS_PER_USD, deflator=DEFLATOR,
                                                           min_population=round(20_000 * density),
                                                           port_x=x0 + 110 * k, port_y=y0 + 30 * k, crs=VALLEY_CRS),
                                            encoding="utf-8")


def example_geometry(territory, directory: str | Path) -> None:
    """Polygons for a territory without geometry (the bundled example): Voronoi cells around
    a layout of its network by travel time (about 12 km per hour of travel), markets as
    points. Illustrative only: the cells' areas are not the table's ``area_ha``."""
    gpd = require_geopandas()
    from shapely.geometry import MultiPoint, Point

    pos = nx.kamada_kawai_layout(territory.graph, weight="travel_time")
    scale = 12_000 * np.mean([d["travel_time"] for *_, d in territory.graph.edges(data=True)]) / np.mean(
        [np.hypot(*(pos[a] - pos[b])) for a, b in territory.graph.edges])
    xy = {n: np.array(VALLEY_ORIGIN) + scale * np.asarray(p) for n, p in pos.items()}
    units = [n for n, k in zip(territory.ids, territory.kinds) if k != "market"]
    outline = MultiPoint([tuple(xy[n]) for n in units]).convex_hull.buffer(scale * 0.25)
    cells = voronoi_cells(np.array([xy[n] for n in units]), outline)
    names = dict(zip(territory.ids, territory.names))
    path = Path(directory) / GEOMETRY_FILE
    frame = gpd.GeoDataFrame({"id": units, "name": [names[n] for n in units]}, geometry=cells, crs=VALLEY_CRS)
    frame.to_crs("EPSG:4326").to_file(path, layer="units", driver="GPKG")
    markets = [n for n, k in zip(territory.ids, territory.kinds) if k == "market"]
    gpd.GeoDataFrame({"id": markets, "name": [names[n] for n in markets]},
                     geometry=[Point(xy[n]) for n in markets], crs=VALLEY_CRS).to_crs("EPSG:4326").to_file(
        path, layer="markets", driver="GPKG")
