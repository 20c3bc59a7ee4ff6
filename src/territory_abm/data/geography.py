"""Boundaries in, areas and edges out: the geographic half of ``territory-abm import``.

Needs the optional ``geo`` extra (geopandas, pyogrio, shapely, pyproj).

* Areas are measured on a Lambert azimuthal equal-area projection centred on the territory.
* Distances are geodesic (WGS 84 ellipsoid) between the units' centroids (taken on the
  equal-area projection), times a detour factor for roads; travel time is that distance
  over the speed of the edge's road class.
* Units are neighbours when their polygons touch or come within
  :data:`CONTIGUITY_TOLERANCE_M` (queen contiguity, forgiving the slivers of digitised
  borders), unless the mapping gives a road network; a group of units that reaches no
  market is joined by its shortest link to the rest (flagged as assumed).
* Each external market is linked to its nearest units.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

from ..errors import InputError
from .mapping import Mapping

CONTIGUITY_TOLERANCE_M = 50.0
"""Largest gap (m) between two polygons that still makes them neighbours (assumption)."""
GEOMETRY_FILE = "geometry.gpkg"
"""The territory directory's geometry: layer ``units`` (polygons) and ``markets`` (points), WGS 84."""


def require_geopandas():
    """The geopandas module, or an InputError saying how to install it."""
    try:
        import geopandas
    except ImportError:
        raise InputError("territory-abm import", "geopandas", "the geo extra installed "
                         "(pip install 'territory-abm[geo]') to read boundaries and draw maps") from None
    return geopandas


@dataclass
class Edge:
    """A link between two node ids with its travel time (h), road quality and where it came from."""

    a: str
    b: str
    km: float
    road_class: str
    source: str


def key_text(value) -> str:
    """A join key as text: stripped, whole floats without their ``.0``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_boundaries(mapping: Mapping):
    """The boundaries as a GeoDataFrame with text keys in column ``_key``, checked.

    Raises
    ------
    InputError
        For a file that cannot be read, a missing key attribute, missing or repeated keys,
        a missing CRS, or a missing, empty or invalid geometry (naming the feature).
    """
    gpd = require_geopandas()
    from shapely.validation import explain_validity

    path = mapping.boundaries
    try:
        gdf = gpd.read_file(path, layer=mapping.layer) if mapping.layer else gpd.read_file(path)
    except Exception as exc:  # pyogrio raises its own DataSourceError, fiona others
        raise InputError(path, "file", f"a GeoPackage or shapefile that can be read ({exc})") from None
    for attr in (mapping.boundary_key, mapping.boundary_name):
        if attr and attr not in gdf.columns:
            raise InputError(path, attr, f"an attribute of that name; the file has {', '.join(map(str, gdf.columns))}")
    if gdf.crs is None:
        if mapping.crs is None:
            raise InputError(path, "crs", "a coordinate reference system in the file, or boundaries.crs in the "
                             "mapping file (e.g. \"EPSG:4326\")")
        gdf = gdf.set_crs(mapping.crs)
    gdf["_key"] = [key_text(v) for v in gdf[mapping.boundary_key]]
    problems = []
    seen = {}
    for i, (key, geom) in enumerate(zip(gdf["_key"], gdf.geometry)):
        feature = f"feature {i + 1} ({mapping.boundary_key} {key!r})"
        if key in ("", "nan", "None"):
            problems.append((feature, f"a value of {mapping.boundary_key}"))
        elif key in seen:
            problems.append((feature, f"a unique {mapping.boundary_key}; it repeats feature {seen[key] + 1}"))
        seen.setdefault(key, i)
        if geom is None or geom.is_empty:
            problems.append((feature, "a polygon; the geometry is empty"))
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append((feature, f"a polygon, got a {geom.geom_type}"))
        elif not geom.is_valid:
            problems.append((feature, f"a valid polygon: {explain_validity(geom)} (repair it, e.g. with make_valid)"))
    _raise(path, problems)
    return gdf.reset_index(drop=True)


def _raise(path, problems: list[tuple[str, str]]) -> None:
    from .tables import Problems

    collected = Problems(path)
    for field, expected in problems:
        collected.add(field, expected)
    collected.raise_if_any()


def equal_area_crs(gdf):
    """A Lambert azimuthal equal-area projection centred on ``gdf``."""
    from pyproj import CRS

    lon0, lat0 = _centre(gdf)
    return CRS.from_proj4(f"+proj=laea +lat_0={lat0:.6f} +lon_0={lon0:.6f} +datum=WGS84 +units=m +no_defs")


def _centre(gdf) -> tuple[float, float]:
    x0, y0, x1, y1 = gdf.to_crs("EPSG:4326").total_bounds
    return (x0 + x1) / 2, (y0 + y1) / 2


def areas_and_centroids(gdf) -> tuple[np.ndarray, np.ndarray, np.ndarray, object]:
    """Areas (ha) on the equal-area projection, centroid longitudes and latitudes, and the projected frame."""
    projected = gdf.to_crs(equal_area_crs(gdf))
    centroids = projected.geometry.centroid.to_crs("EPSG:4326")
    return projected.geometry.area.to_numpy() / 1e4, centroids.x.to_numpy(), centroids.y.to_numpy(), projected


def geodesic_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Geodesic distance (km) on the WGS 84 ellipsoid."""
    from pyproj import Geod

    _, _, metres = Geod(ellps="WGS84").inv(np.asarray(lon1, float), np.asarray(lat1, float),
                                          np.asarray(lon2, float), np.asarray(lat2, float))
    return np.atleast_1d(metres) / 1000.0


def contiguity(projected) -> list[tuple[int, int]]:
    """Pairs ``(i, j)``, ``i < j``, of units whose polygons come within the tolerance."""
    grown = projected.geometry.buffer(CONTIGUITY_TOLERANCE_M / 2)
    left, right = grown.sindex.query(grown, predicate="intersects")
    return sorted({(int(i), int(j)) for i, j in zip(left, right) if i < j})


def market_points(mapping: Mapping) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of the mapping's markets."""
    from pyproj import Transformer

    lon, lat = [], []
    for m in mapping.markets:
        try:
            x, y = Transformer.from_crs(m.crs, "EPSG:4326", always_xy=True).transform(m.x, m.y)
        except Exception as exc:  # pyproj's CRSError and others
            raise InputError(mapping.path, f"markets ({m.id}).crs", f"a coordinate reference system ({exc})") from None
        if not (np.isfinite(x) and np.isfinite(y)):
            raise InputError(mapping.path, f"markets ({m.id})", f"a point inside {m.crs}'s area, got x {m.x}, y {m.y}")
        lon.append(x)
        lat.append(y)
    return np.array(lon), np.array(lat)


def build_edges(mapping: Mapping, ids: list[str], lon: np.ndarray, lat: np.ndarray, classes: list[str],
                pairs: dict[tuple[int, int], str | None], road_source: str,
                market_xy: tuple[np.ndarray, np.ndarray]) -> list[Edge]:
    """Edges between units (``pairs``, each with its road class, or None: the slower of its
    ends' classes), from every market to its nearest units, and the shortest links that
    join groups of units reaching no market."""
    speed = mapping.speeds
    edges = []
    for (i, j), road in pairs.items():
        km = float(geodesic_km(lon[i], lat[i], lon[j], lat[j])[0]) * mapping.detour
        road = road or min(classes[i], classes[j], key=lambda c: speed[c])
        edges.append(Edge(ids[i], ids[j], km, road, road_source))
    for k, market in enumerate(mapping.markets):
        km = geodesic_km(np.full(len(ids), market_xy[0][k]), np.full(len(ids), market_xy[1][k]), lon, lat)
        for i in np.argsort(km, kind="stable")[:market.links]:
            edges.append(Edge(market.id, ids[i], float(km[i]) * mapping.detour, market.road_class, "market link"))
    return edges + _join_islands(mapping, ids, lon, lat, classes, edges)


def _join_islands(mapping: Mapping, ids, lon, lat, classes, edges: list[Edge]) -> list[Edge]:
    """Shortest links from each group of units without a market to the group with the markets."""
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_nodes_from(m.id for m in mapping.markets)
    graph.add_edges_from((e.a, e.b) for e in edges)
    index = {node_id: i for i, node_id in enumerate(ids)}
    added = []
    while True:
        main = nx.node_connected_component(graph, mapping.markets[0].id)
        others = [c for c in nx.connected_components(graph) if not c & main]
        if not others:
            return added
        inside = np.array([index[n] for n in main if n in index])
        group = np.array([index[n] for n in min(others, key=min)])
        km = geodesic_km(np.repeat(lon[group], len(inside)), np.repeat(lat[group], len(inside)),
                         np.tile(lon[inside], len(group)), np.tile(lat[inside], len(group)))
        best = int(np.argmin(km))
        i, j = group[best // len(inside)], inside[best % len(inside)]
        road = min(classes[i], classes[j], key=lambda c: mapping.speeds[c])
        added.append(Edge(ids[i], ids[j], float(km[best]) * mapping.detour, road,
                          "assumed: shortest link to the rest (no shared border or road)"))
        graph.add_edge(ids[i], ids[j])


def write_geometry(path: Path, gdf, ids: list[str], names: list[str], mapping: Mapping,
                   market_xy: tuple[np.ndarray, np.ndarray]) -> None:
    """Write the units' polygons and the markets' points (WGS 84) to a GeoPackage."""
    gpd = require_geopandas()
    from shapely.geometry import Point

    units = gpd.GeoDataFrame({"id": ids, "name": names}, geometry=gdf.geometry.to_crs("EPSG:4326").to_numpy(),
                             crs="EPSG:4326")
    units.to_file(path, layer="units", driver="GPKG")
    markets = gpd.GeoDataFrame({"id": [m.id for m in mapping.markets], "name": [m.name for m in mapping.markets]},
                               geometry=[Point(x, y) for x, y in zip(*market_xy)], crs="EPSG:4326")
    markets.to_file(path, layer="markets", driver="GPKG")
