"""Gemeente shapes from the shipped CBS/PDOK GeoJSON (simplified, WGS84), parsed once per process.

Only what the pages and the demo need: outer and inner rings per gemeente, a centroid, and a
distance. Maps are drawn elsewhere (regio.kaart); no GIS library is needed for this.
"""

import json
import math
from functools import lru_cache

from django.conf import settings

GEOJSON = ("refdata", "gemeenten_2023_light.geojson")
ATTRIBUTIE = "Bron: CBS, PDOK"
# Kilometres per degree at the latitude of the Netherlands (about 52° N).
KM_PER_GRAAD_LAT = 111.2
KM_PER_GRAAD_LON = 111.2 * math.cos(math.radians(52.2))


@lru_cache(maxsize=1)
def gemeente_vormen():
    """{gemeentecode: [polygon, ...]} where a polygon is a list of rings of (lon, lat) pairs."""
    pad = settings.FIXTURES_REFDATA_DIR.joinpath(*GEOJSON)
    with open(pad, encoding="utf-8") as f:
        data = json.load(f)
    vormen = {}
    for feature in data["features"]:
        code = feature["properties"]["gemeentecode"]
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            polygons = [geometry["coordinates"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["coordinates"]
        else:
            continue
        vormen[code] = [[[(float(x), float(y)) for x, y in ring] for ring in polygon] for polygon in polygons]
    return vormen


def _ring_oppervlak_en_zwaartepunt(ring):
    # Shoelace formula in local km, so the weight of each polygon is its real area.
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        x0k, y0k, x1k, y1k = x0 * KM_PER_GRAAD_LON, y0 * KM_PER_GRAAD_LAT, x1 * KM_PER_GRAAD_LON, y1 * KM_PER_GRAAD_LAT
        kruis = x0k * y1k - x1k * y0k
        a += kruis
        cx += (x0k + x1k) * kruis
        cy += (y0k + y1k) * kruis
    a /= 2
    if a == 0:
        return 0.0, ring[0]
    return abs(a), (cx / (6 * a) / KM_PER_GRAAD_LON, cy / (6 * a) / KM_PER_GRAAD_LAT)


@lru_cache(maxsize=1)
def zwaartepunten():
    """{gemeentecode: (lon, lat)}: area-weighted centroid of each gemeente's outer rings."""
    uitkomst = {}
    for code, polygons in gemeente_vormen().items():
        totaal = sx = sy = 0.0
        for polygon in polygons:
            oppervlak, (x, y) = _ring_oppervlak_en_zwaartepunt(polygon[0])
            totaal += oppervlak
            sx += oppervlak * x
            sy += oppervlak * y
        if totaal:
            uitkomst[code] = (sx / totaal, sy / totaal)
        else:
            uitkomst[code] = polygons[0][0][0]
    return uitkomst


def afstand_km(a, b):
    """Distance in km between two (lon, lat) points; equirectangular is precise enough within the country."""
    dx = (a[0] - b[0]) * KM_PER_GRAAD_LON
    dy = (a[1] - b[1]) * KM_PER_GRAAD_LAT
    return math.hypot(dx, dy)
