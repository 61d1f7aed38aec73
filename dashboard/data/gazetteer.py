"""Build data/places.csv: the USPS post-office names and ZIP codes of Massachusetts, each joined to the municipality
its point lies in (point-in-polygon on the shipped boundaries, never by name), with the reviewed rows of
data/places_reviewed.csv taking over where the USPS names are not enough. Build time only: `python -m dashboard
gazetteer build` needs the optional `gazetteer` extra (the `zipcodes` package, which bundles the USPS names, the ZIP
codes and their points); the map never imports this module."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely

from dashboard.data import schema
from dashboard.data.errors import DataError
from dashboard.data.place_search import place_key
from dashboard.data.sources import read_boundaries, read_table

#: ZIP codes kept: delivery areas and post-office boxes. A UNIQUE ZIP code is one organisation's, its other names
#: are the organisation's ("At&t"), not places.
ZIP_TYPES = ("STANDARD", "PO BOX")
#: A point outside every town (on a pier, in the harbour) is placed in the nearest town if it is this close (metres).
NEAREST_WITHIN_M = 2000
_METRES_PER_DEGREE = 111_000  # at this latitude, near enough for a 2 km tolerance
#: Words that mark an abbreviated USPS name ("N Chelmsford", "Marstons Mls"): the full name is kept, not these.
ABBREVIATED = frozenset(
    "n s e w ea mt gt l u f vlg hts hgts hlds hls hl ctr xing bch fls mls spgs hvn clg univ sq dpt dept angb bmc "
    "bridgewtr chesterfld marshfld winchdon wilkinsonvile marlborou dorchestr".split()
)


@dataclass(frozen=True)
class Row:
    """One row of data/places.csv."""

    place: str
    kind: str
    town_id: int
    town: str
    postal_name: str
    source: str
    provenance: str


def _title(name: str) -> str:
    return " ".join(word.capitalize() for word in name.split())


def is_abbreviated(name: str) -> bool:
    """True for a USPS short form such as "N Chelmsford" or "Marstons Mls"."""
    return any(word in ABBREVIATED for word in place_key(name).split())


class Locator:
    """The municipality a point lies in, by the shipped boundaries."""

    def __init__(self, boundaries: Any) -> None:
        self.ids = [int(t) for t in boundaries["TOWN_ID"]]
        self.names = [_title(str(n)) for n in boundaries["TOWN"]]
        self.geometry = boundaries.geometry.values
        self.tree = shapely.STRtree(self.geometry)

    def locate(self, lon: float, lat: float) -> tuple[int, float] | None:
        """(index of the town, metres outside it: 0 inside), or None when no town is near enough."""
        point = shapely.Point(lon, lat)
        inside = self.tree.query(point, predicate="within")
        if len(inside):
            return int(min(inside)), 0.0
        nearest = int(self.tree.nearest(point))
        metres = float(self.geometry[nearest].distance(point)) * _METRES_PER_DEGREE
        return (nearest, metres) if metres <= NEAREST_WITHIN_M else None


def _fallback_points(zips: list[dict]) -> set[tuple[str, str]]:
    """Points the package gives to ZIP codes of different post offices: a county's stand-in, not a location."""
    cities: dict[tuple[str, str], set[str]] = defaultdict(set)
    for z in zips:
        cities[(z["lat"], z["long"])].add(z["city"])
    return {point for point, names in cities.items() if len(names) > 1}


def _where(locator: Locator, index: int, metres: float, z: dict) -> str:
    town = locator.names[index]
    if metres == 0:
        return f"its point {z['lat']},{z['long']} lies in {town}"
    return f"its point {z['lat']},{z['long']} lies {metres:.0f} m outside every town; {town} is the nearest"


def build_rows(zips: list[dict], boundaries: Any, reviewed: list[dict], package: str) -> tuple[list[Row], list[str]]:
    """The gazetteer's rows, and what was left out (for the build's report); raises DataError on a conflict that no
    reviewed row settles (a ZIP whose point and post-office town disagree, a USPS name placed in two towns)."""
    locator = Locator(boundaries)
    town_by_key = {place_key(name): (tid, name) for tid, name in zip(locator.ids, locator.names)}
    review: dict[str, list[dict]] = defaultdict(list)
    for r in reviewed:
        review[place_key(r["place"])].append(r)
    fallback = _fallback_points(zips)
    left_out: list[str] = []
    conflicts: list[str] = []
    zip_rows: list[Row] = []
    # USPS name -> town index -> (ZIP codes, what placed them)
    names: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    spelled: dict[str, str] = {}
    post_offices = {z["zip_code"]: z["city"] for z in zips}
    for z in sorted(zips, key=lambda z: z["zip_code"]):
        if z["state"] != "MA" or not z["active"] or z["zip_code_type"] not in ZIP_TYPES:
            continue
        code, city = z["zip_code"], z["city"]
        where = f"USPS ZIP code {code} ({z['zip_code_type'].lower()}, post office {city}; {package})"
        own_town = town_by_key.get(place_key(city))
        located = None if (z["lat"], z["long"]) in fallback else locator.locate(float(z["long"]), float(z["lat"]))
        if located is None:
            if own_town is None:
                if code not in review:
                    left_out.append(f"{code} {city}: no point of its own and no town of that name")
                continue
            index = locator.ids.index(own_town[0])
            placed = f"{where}: the package gives no point of its own; a PO box is at its post office, in {own_town[1]}"
        else:
            index, metres = located
            placed = f"{where}: {_where(locator, index, metres, z)}"
            if own_town is not None and own_town[0] != locator.ids[index] and code not in review:
                conflicts.append(f"{code}: post office {city}, but {_where(locator, index, metres, z)}")
                continue
        if code not in review:
            zip_rows.append(Row(code, "zip_code", locator.ids[index], locator.names[index], city, "usps", placed))
        for name in [city, *(z["acceptable_cities"] or [])]:
            key = place_key(name)
            if key in town_by_key or is_abbreviated(name):
                continue  # the town itself (the search has it), or a short form of a name kept in full
            spelled.setdefault(key, _title(name) if name.isupper() else name)
            names[key][index].append(code)
    rows = list(zip_rows)
    for key, towns in sorted(names.items()):
        if key in review:
            continue
        if len(towns) > 1:
            where_all = "; ".join(f"{locator.names[i]} (ZIP {', '.join(codes)})" for i, codes in sorted(towns.items()))
            conflicts.append(f"{spelled[key]}: USPS name placed in several towns: {where_all}")
            continue
        ((index, codes),) = towns.items()
        codes_text = ", ".join(sorted(set(codes)))
        provenance = f"USPS name of ZIP code {codes_text} ({package}), placed where the ZIP code is"
        rows.append(Row(spelled[key], "postal_name", locator.ids[index], locator.names[index], "", "usps", provenance))
    if conflicts:
        raise DataError(
            Path(schema.PLACES_REVIEWED.filename),
            "these need a reviewed row: " + " | ".join(conflicts),
            fix="add a row per name (or ZIP code) with its town(s) and the reason, or an empty town to leave it out",
        )
    for _key, entries in sorted(review.items()):
        for r in entries:
            if not r["town"]:
                left_out.append(f"{r['place']}: {r['reason']}")
                continue
            found = town_by_key.get(place_key(r["town"]))
            if found is None:
                raise DataError(
                    Path(schema.PLACES_REVIEWED.filename),
                    f"'{r['town']}' is not a MassGIS town name",
                    line=r.get("source_line"),
                    fix="write the municipality as MassGIS spells it",
                )
            postal = post_offices.get(r["place"], "") if r["kind"] == "zip_code" else ""
            rows.append(Row(r["place"], r["kind"], found[0], found[1], postal, "reviewed", r["reason"]))
    return sorted(rows, key=lambda r: (r.kind != "zip_code", place_key(r.place), r.town)), left_out


def to_csv(rows: list[Row]) -> str:
    """The rows as data/places.csv, in the schema's column order (LF line ends, so the file is byte-stable)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(schema.PLACES.names)
    for r in rows:
        writer.writerow([r.place, r.kind, r.town_id, r.town, r.postal_name, r.source, r.provenance])
    return out.getvalue()


def write_gazetteer(data_dir: Path, boundaries_path: Path) -> tuple[Path, list[str]]:
    """Build data/places.csv from the installed `zipcodes` package, the boundaries and the reviewed rows."""
    try:
        import zipcodes
    except ImportError as error:
        raise DataError(
            Path("zipcodes"), "the gazetteer build needs the zipcodes package", fix='pip install -e ".[gazetteer]"'
        ) from error
    package = f"zipcodes {zipcodes.__version__}"
    reviewed_frame = read_table(data_dir, schema.PLACES_REVIEWED)
    reviewed = [
        {k: ("" if v is None else v) for k, v in row.items()}
        for row in reviewed_frame.astype(object).where(reviewed_frame.notna(), None).to_dict("records")
    ]
    rows, left_out = build_rows(zipcodes.filter_by(state="MA"), read_boundaries(boundaries_path), reviewed, package)
    path = data_dir / schema.PLACES.filename
    path.write_text(to_csv(rows), encoding="utf-8")
    return path, left_out
