"""The read-only model: curated tables joined to the 351 municipalities, built once at start-up."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.config import Config
from dashboard.data import checks, schema
from dashboard.data.catalog import Catalog, build_catalog
from dashboard.data.classify import apply_precedence, entity_key
from dashboard.data.errors import DataError
from dashboard.data.geometry import MapGeometry, build_map_geometry, cache_is_valid, cache_key
from dashboard.data.months import known_by
from dashboard.data.resolve import Resolver
from dashboard.data.sources import read_boundaries, read_bytes, read_json_cache, read_table, write_json_cache
from dashboard.data.version import data_version


@dataclass(frozen=True)
class Model:
    """Everything the dashboard shows. Built once; nothing downstream mutates it."""

    towns: pd.DataFrame  # index town_id, one row per municipality
    geometry: gpd.GeoDataFrame  # TOWN_ID and repaired full-resolution geometry
    agencies: pd.DataFrame  # index agency_id, the non-municipal agencies
    listings: pd.DataFrame  # every published Clearview listing, resolved, with its outcome
    records: pd.DataFrame  # the records index, resolved to a town or an agency
    records_by_row: pd.DataFrame  # the same, indexed by the index's row number (what listings point to)
    vendor_records: pd.DataFrame  # one row per vendor record, Clearview's own included
    resolutions: pd.DataFrame  # the reviewed alias table
    counties: dict[int, str]
    map: MapGeometry  # simplified shapes and outlines for the browser
    boundaries_path: Path
    published: dict[str, object]  # the figures the source page states, by name (published_figures.csv)
    catalog: Catalog  # the declared vendors, classes and waves
    differences: pd.DataFrame  # documents stated differently elsewhere on the page than in the index
    events: pd.DataFrame  # dated policy events from outside the records page, by date then event_id
    caveats: pd.DataFrame  # the page's own warnings, quoted, with the classes they are shown beside
    unmapped: pd.DataFrame  # sections of the records page the map does not draw, and why
    guidance: pd.DataFrame  # how anyone may ask a town for its records: outside facts, each with its source
    places: pd.DataFrame  # the gazetteer: villages, neighborhoods, USPS names and ZIP codes, each with its TOWN_ID
    publication: dict[str, str] = field(default_factory=dict)  # title, licences, credit (publication.csv)
    data_version: str = ""  # the release date and short hash of data/ (dashboard/data/version.py)


def _title(name: str) -> str:
    return " ".join(word.capitalize() for word in name.split())


def _resolve_column(frame: pd.DataFrame, column: str, resolver: Resolver, path: Path) -> pd.DataFrame:
    resolved = [resolver.resolve(name, path, line) for name, line in zip(frame[column], frame["source_line"])]
    return frame.assign(
        town_id=pd.array([r.town_id for r in resolved], dtype="Int64"),
        agency_id=[r.agency_id for r in resolved],
        method=[r.method for r in resolved],
        reason=[r.reason for r in resolved],
    )


def _lookup_records(frame: pd.DataFrame, records: pd.DataFrame, path: Path) -> pd.Series:
    """The records-index row of each record_title, failing on a title the index lacks."""
    by_title = dict(zip(records["title"], records["row"]))
    rows = []
    for title, line in zip(frame["record_title"], frame["source_line"]):
        if title not in by_title:
            raise DataError(
                path,
                f"record_title '{title}' is not in records_index.csv",
                line=line,
                fix="copy the title exactly as the records index writes it",
            )
        rows.append(by_title[title])
    return pd.Series(rows, index=frame.index, dtype="Int64")


def build_model(config: Config) -> Model:
    """Read data/ and the boundary file, validate everything, and join it to the municipalities."""
    data = config.data_dir
    tables = {t.filename: read_table(data, t) for t in schema.ALL_TABLES}
    published = checks.check_tables(data, tables)
    catalog = build_catalog(data, tables, published)
    boundaries = read_boundaries(config.boundaries)

    counties_table = tables[schema.COUNTIES.filename]
    counties = dict(zip(counties_table["county_fips"].astype(int), counties_table["county"]))
    unknown_fips = sorted(set(boundaries["FIPS_STCO"]) - set(counties))
    if unknown_fips:
        raise DataError(
            data / schema.COUNTIES.filename,
            f"no county named for FIPS {unknown_fips}",
            fix="add the county to counties.csv",
        )

    agencies = tables[schema.AGENCIES.filename]
    resolver = Resolver(
        boundaries,
        tables[schema.NAME_RESOLUTIONS.filename],
        set(agencies["agency_id"]),
        data / schema.NAME_RESOLUTIONS.filename,
    )
    agencies = _build_agencies(agencies, resolver, counties, data / schema.AGENCIES.filename)

    records = _resolve_column(
        tables[schema.RECORDS_INDEX.filename], "submitted_to", resolver, data / schema.RECORDS_INDEX.filename
    )
    combined = set(agencies.index[agencies["kind"].eq("group")])
    listings = _build_listings(
        tables[schema.CLEARVIEW_LISTINGS.filename],
        records,
        resolver,
        data / schema.CLEARVIEW_LISTINGS.filename,
        catalog,
        combined,
    )
    vendor_records = _build_vendor_records(
        tables[schema.VENDOR_RECORDS.filename],
        listings,
        records,
        resolver,
        data / schema.VENDOR_RECORDS.filename,
        catalog.clearview,
    )
    vendor_records = vendor_records.assign(
        filed_month=[
            known_by(str(requested)) if isinstance(requested, str) else known_by(str(start))
            for requested, start in zip(vendor_records["requested"], vendor_records["year_start"])
        ]
    )
    by_row = vendor_records.drop_duplicates("record_row").set_index("record_row")
    # A Clearview list's combined record was asked for in the waves: certain by the last one.
    asked = listings.groupby("record_row")["request_month"].agg(lambda m: min(catalog.asked_month(x) for x in m))
    # A record's filing month: its vendor record's or its listings', where they give one; else certain by December.
    # A combined Clearview record (a list's) is about Clearview AI as each of its listings is.
    records = records.assign(
        vendor=records["row"].map(by_row["vendor"]).where(~records["row"].isin(asked.index), catalog.clearview),
        named_in=records["row"].map(by_row["named_in"]),
        finding=_findings(tables[schema.RECORD_FINDINGS.filename], records, data),
        atlas_technology=_atlas_technologies(tables[schema.ATLAS_CROSSWALK.filename], records, data),
        filed_month=records["row"]
        .map(by_row["filed_month"])
        .fillna(records["row"].map(asked))
        .fillna(records["year_start"].map(lambda y: f"{y}-12")),
    )
    records = records.assign(
        atlas_vendor=records["vendor"].map(_atlas_vendors(tables[schema.ATLAS_VENDORS.filename], catalog, data))
    )

    uasi_table = tables[schema.UASI_REGION.filename]
    uasi = _resolve_column(uasi_table, "name_as_published", resolver, data / schema.UASI_REGION.filename)
    if uasi["agency_id"].notna().any():
        raise DataError(
            data / schema.UASI_REGION.filename,
            "the UASI region lists an agency, not a town",
            line=int(uasi.loc[uasi["agency_id"].notna(), "source_line"].iloc[0]),
            fix="list municipalities only",
        )

    events = _build_events(
        tables[schema.POLICY_EVENTS.filename], resolver, catalog, data / schema.POLICY_EVENTS.filename
    )
    towns = _build_towns(boundaries, listings, vendor_records, set(uasi["town_id"].astype(int)), counties, catalog)
    agencies = _attach_status(agencies, listings, vendor_records)
    return Model(
        towns=towns,
        geometry=boundaries[["TOWN_ID", "geometry"]].copy(),
        agencies=agencies,
        listings=listings,
        records=records,
        records_by_row=records.set_index("row", drop=False),
        vendor_records=vendor_records,
        resolutions=tables[schema.NAME_RESOLUTIONS.filename],
        counties=counties,
        map=_map_geometry(config, boundaries, towns),
        boundaries_path=config.boundaries,
        published=published,
        catalog=catalog,
        differences=_differences(tables[schema.SOURCE_DIFFERENCES.filename], records, data),
        events=events,
        caveats=_caveats(tables[schema.SOURCE_CAVEATS.filename], catalog, data),
        unmapped=tables[schema.UNMAPPED_SECTIONS.filename],
        guidance=tables[schema.OUTSIDE_GUIDANCE.filename],
        places=_places(tables[schema.PLACES.filename], towns, data),
        publication=_publication(tables[schema.PUBLICATION.filename], data),
        data_version=data_version(data),
    )


def _places(frame: pd.DataFrame, towns: pd.DataFrame, data: Path) -> pd.DataFrame:
    """The gazetteer's rows, each naming a municipality by its TOWN_ID."""
    unknown = frame.loc[~frame["town_id"].isin(towns.index)]
    if len(unknown):
        row = unknown.iloc[0]
        raise DataError(
            data / schema.PLACES.filename,
            f"town_id {row['town_id']} of '{row['place']}' is no municipality",
            line=int(row["source_line"]),
            fix="rebuild it with `python -m dashboard gazetteer build`, or write a TOWN_ID from 1 to 351",
        )
    return frame


def _publication(frame: pd.DataFrame, data: Path) -> dict[str, str]:
    """The publication's fields by name; every field the schema names must be given."""
    given = dict(zip(frame["field"], frame["value"]))
    missing = [f for f in schema.PUBLICATION_FIELDS if f not in given]
    if missing:
        raise DataError(data / schema.PUBLICATION.filename, f"no {', '.join(missing)}", fix="add a row for each")
    return {str(k): str(v) for k, v in given.items()}


#: The columns of Model.events, in order.
EVENT_COLUMNS = [
    "event_id",
    "town_id",
    "scope",
    "kind",
    "date",
    "date_precision",
    "start",
    "effective_date",
    "title",
    "source_url",
    "source_quote",
]


def _build_events(raw: pd.DataFrame, resolver: Resolver, catalog: Catalog, path: Path) -> pd.DataFrame:
    """One row per policy event: its municipality (none for the Commonwealth), scope and the month it is dated in."""
    town_ids: list[int | None] = []
    scopes: list[str] = []
    for row in raw.itertuples(index=False):
        scope = catalog.policy_kind[row.kind].scope
        if scope == "state":
            if row.jurisdiction != schema.COMMONWEALTH:
                raise DataError(
                    path,
                    f"{row.event_id}: a {row.kind} event applies to the whole state, not to '{row.jurisdiction}'",
                    line=row.source_line,
                    fix=f"write the jurisdiction as {schema.COMMONWEALTH}, or use a municipal kind",
                )
            town_ids.append(None)
        else:
            if row.jurisdiction == schema.COMMONWEALTH:
                raise DataError(
                    path,
                    f"{row.event_id}: a {row.kind} event is a municipality's, not the Commonwealth's",
                    line=row.source_line,
                    fix="write the municipality as MassGIS spells it, or use a kind of scope state",
                )
            resolution = resolver.resolve(row.jurisdiction, path, row.source_line)
            if resolution.town_id is None:
                raise DataError(
                    path,
                    f"{row.event_id}: '{row.jurisdiction}' is the agency {resolution.agency_id}, not a municipality",
                    line=row.source_line,
                    fix="write the municipality whose council or town meeting adopted it, as MassGIS spells it",
                )
            town_ids.append(resolution.town_id)
        scopes.append(scope)
    events = raw.assign(
        town_id=pd.array(town_ids, dtype="Int64"),
        scope=scopes,
        start=raw["date"].str[: len("YYYY-MM")],
    )
    return events.sort_values(["date", "event_id"], ignore_index=True)[EVENT_COLUMNS]


def _findings(frame: pd.DataFrame, records: pd.DataFrame, data: Path) -> pd.Series:
    """Per record of the index, what its own part of the page says its documents showed (None for most)."""
    _lookup_records(frame, records, data / schema.RECORD_FINDINGS.filename)  # every title must be the index's
    return records["title"].map(dict(zip(frame["record_title"], frame["finding"])))


def _atlas_technologies(frame: pd.DataFrame, records: pd.DataFrame, data: Path) -> pd.Series:
    """Per record of the index, its technology in the Atlas of Surveillance's categories; every record has a row."""
    path = data / schema.ATLAS_CROSSWALK.filename
    _lookup_records(frame, records, path)
    missing = sorted(set(records["title"]) - set(frame["record_title"]))
    if missing:
        raise DataError(path, f"no row for {len(missing)} records, first '{missing[0]}'", fix="add a reviewed row each")
    return records["title"].map(dict(zip(frame["record_title"], frame["atlas_technology"].fillna(""))))


def _atlas_vendors(frame: pd.DataFrame, catalog: Catalog, data: Path) -> dict[str, str]:
    """Each declared vendor's name as a company, as the Atlas of Surveillance names vendors; every vendor has one."""
    names = dict(zip(frame["vendor"], frame["atlas_vendor"]))
    declared = {v.name for v in catalog.vendors}
    path = data / schema.ATLAS_VENDORS.filename
    for vendor, line in zip(frame["vendor"], frame["source_line"]):
        if vendor not in declared:
            raise DataError(
                path, f"'{vendor}' is not a vendor of vendors.csv", line=line, fix="write it as vendors.csv does"
            )
    missing = sorted(declared - set(names))
    if missing:
        raise DataError(path, f"no row for {', '.join(missing)}", fix="add a reviewed row for each vendor")
    return names


def _caveats(frame: pd.DataFrame, catalog: Catalog, data: Path) -> pd.DataFrame:
    """The page's own warnings, each naming the Clearview classes it is shown beside (checked against the catalog)."""
    path = data / schema.SOURCE_CAVEATS.filename
    classes = []
    for value, line in zip(frame["classes"], frame["source_line"]):
        ids = tuple(value.split())
        unknown = [c for c in ids if c not in catalog.class_ids]
        if not ids or unknown:
            raise DataError(
                path,
                f"'{value}' names no Clearview class of {schema.CLEARVIEW_CLASSES.filename}",
                line=line,
                fix=f"write class ids separated by spaces: {' '.join(catalog.class_ids)}",
            )
        classes.append(ids)
    return frame.assign(classes=classes)


def _differences(frame: pd.DataFrame, records: pd.DataFrame, data: Path) -> pd.DataFrame:
    """The noted differences, each checked against the records index it corrects."""
    path = data / schema.SOURCE_DIFFERENCES.filename
    documents = dict(zip(records["title"], records["documents"]))
    for row in frame.itertuples(index=False):
        if documents.get(row.record_title) != row.index_documents:
            raise DataError(
                path,
                f"'{row.record_title}' does not have {row.index_documents} documents in the records index",
                line=row.source_line,
                fix="copy the title and the index's count exactly as records_index.csv has them",
            )
    return frame


def _map_geometry(config: Config, boundaries: gpd.GeoDataFrame, towns: pd.DataFrame) -> MapGeometry:
    """The browser's geometry, prepared once per boundary file and kept in the cache folder."""
    county_fips = {int(k): int(v) for k, v in towns["county_fips"].items()}
    uasi = {int(t) for t in towns.index[towns["uasi_region"]]}
    path = config.cache_dir / f"map-{cache_key(read_bytes(config.boundaries), county_fips, uasi)}.json"
    cached = read_json_cache(path, valid=lambda data: cache_is_valid(data, set(towns.index), set(county_fips.values())))
    if cached is not None:
        return MapGeometry.from_json(cached)
    prepared = build_map_geometry(boundaries, county_fips, uasi)
    write_json_cache(path, prepared.to_json())
    return prepared


def _build_agencies(agencies: pd.DataFrame, resolver: Resolver, counties: dict[int, str], path: Path) -> pd.DataFrame:
    hq_ids = []
    for row in agencies.itertuples(index=False):
        if row.reach == "county" and (pd.isna(row.county_fips) or int(row.county_fips) not in counties):
            raise DataError(
                path,
                f"county agency '{row.agency_id}' needs a known county_fips",
                line=row.source_line,
                fix="write the county's FIPS code, e.g. 25021 for Norfolk",
            )
        hq = None
        if not pd.isna(row.hq_town):
            hq = resolver.town_id(row.hq_town)
            if hq is None:
                raise DataError(
                    path,
                    f"hq_town '{row.hq_town}' is not a MassGIS town name",
                    line=row.source_line,
                    fix="write the MassGIS TOWN name",
                )
            if pd.isna(row.hq_town_provenance):
                raise DataError(
                    path,
                    f"hq_town '{row.hq_town}' has no hq_town_provenance",
                    line=row.source_line,
                    fix="write records_page if the records page states it, else outside_records_page",
                )
        hq_ids.append(hq)
        published = resolver.resolve(row.name_as_published, path, row.source_line)
        if published.agency_id != row.agency_id:
            raise DataError(
                path,
                f"name_as_published '{row.name_as_published}' is not read as {row.agency_id} "
                f"({schema.NAME_RESOLUTIONS.filename})",
                line=row.source_line,
                fix="copy the name as the records page writes it, or add it to name_resolutions.csv",
            )
    county = [None if pd.isna(f) else counties.get(int(f)) for f in agencies["county_fips"]]
    return agencies.assign(hq_town_id=pd.array(hq_ids, dtype="Int64"), county=county).set_index("agency_id")


def _build_listings(
    raw: pd.DataFrame,
    records: pd.DataFrame,
    resolver: Resolver,
    path: Path,
    catalog: Catalog,
    combined: set[str],
) -> pd.DataFrame:
    listings = _resolve_column(raw, "name_as_published", resolver, path)
    listings["record_row"] = _lookup_records(listings, records, path)
    own = records.set_index("row")
    # A listing's document count is that of its own record; a combined record's count is not the listing's.
    counts = own.loc[~own["agency_id"].isin(combined), "documents"]
    listings["documents"] = listings["record_row"].map(counts).astype("Int64")
    listings["entity"] = [entity_key(t, a) for t, a in zip(listings["town_id"], listings["agency_id"])]
    return apply_precedence(listings, catalog.class_ids)


def _build_vendor_records(
    raw: pd.DataFrame,
    listings: pd.DataFrame,
    records: pd.DataFrame,
    resolver: Resolver,
    path: Path,
    clearview_vendor: str,
) -> pd.DataFrame:
    vendor = raw.assign(record_row=_lookup_records(raw, records, path))
    by_agency = _resolve_column(vendor, "agency_as_published", resolver, path)
    # The Clearview vendor's records are the listings with a record of their own (not a combined record).
    clearview = listings.loc[listings["documents"].notna()]
    clearview = pd.DataFrame(
        {
            "source_line": clearview["source_line"],
            "vendor": clearview_vendor,
            "record_title": clearview["record_title"],
            "requested": clearview["request_month"],
            "agency_as_published": clearview["name_as_published"],
            "named_in": "vendor_table",
            "source": clearview["source"],
            "record_row": clearview["record_row"],
        }
    )
    combined = pd.concat([vendor, clearview], ignore_index=True)
    index = records.set_index("row")
    joined = combined.join(
        index[
            [
                "submitted_to",
                "documents",
                "year_start",
                "year_end",
                "record_url",
                "section",
                "section_url",
                "town_id",
                "agency_id",
            ]
        ],
        on="record_row",
    )
    # The vendor table names the agency in its own words; it must agree with the records index.
    for row in by_agency.itertuples(index=False):
        target = index.loc[row.record_row]
        if entity_key(target["town_id"], target["agency_id"]) != entity_key(row.town_id, row.agency_id):
            raise DataError(
                path,
                f"'{row.agency_as_published}' and the records index ('{target['submitted_to']}') "
                "name different agencies",
                line=row.source_line,
                fix="correct the agency or the record title",
            )
    return joined.reset_index(drop=True)


def _status_columns(listings: pd.DataFrame) -> pd.DataFrame:
    """Per entity: its status, the name it was listed as, and its conflicting listings."""
    winners = listings.loc[listings["outcome"].eq("status")].set_index("entity")
    conflicts = (
        listings.loc[listings["outcome"].eq("conflict")]
        .assign(text=lambda f: f["name_as_published"] + " (" + f["category"] + ")")
        .groupby("entity")["text"]
        .agg("; ".join)
    )
    return pd.DataFrame(
        {
            "clearview_status": winners["category"],
            "clearview_listed_as": winners["name_as_published"],
            "clearview_month": winners["request_month"],
            "clearview_record": winners["record_title"],
            "clearview_documents": winners["documents"],
            "conflicts": conflicts.reindex(winners.index),
        }
    )


def _vendor_lists(vendor_records: pd.DataFrame, key: str) -> pd.Series:
    rows = vendor_records.dropna(subset=[key])
    return rows.groupby(key)["vendor"].agg(lambda v: tuple(sorted(set(v), key=str.lower)))


def _build_towns(
    boundaries: gpd.GeoDataFrame,
    listings: pd.DataFrame,
    vendor_records: pd.DataFrame,
    uasi: set[int],
    counties: dict[int, str],
    catalog: Catalog,
) -> pd.DataFrame:
    towns = pd.DataFrame(
        {
            "town_id": boundaries["TOWN_ID"].astype(int),
            "town": boundaries["TOWN"].map(_title),
            "town_upper": boundaries["TOWN"],
            "county_fips": boundaries["FIPS_STCO"].astype(int),
            "population_2010": boundaries["POP2010"].astype(int),
        }
    ).set_index("town_id")
    towns["county"] = towns["county_fips"].map(counties)
    status = _status_columns(listings)
    status = status.loc[status.index.str.startswith("town:")]
    status.index = status.index.str.removeprefix("town:").astype(int)
    towns = towns.join(status)
    towns["clearview_status"] = towns["clearview_status"].fillna(catalog.not_listed)
    vendors = _vendor_lists(vendor_records, "town_id")
    vendors.index = vendors.index.astype(int)
    towns["vendors"] = [vendors.get(t, ()) for t in towns.index]
    towns["uasi_region"] = towns.index.isin(uasi)
    return towns


def _attach_status(agencies: pd.DataFrame, listings: pd.DataFrame, vendor_records: pd.DataFrame) -> pd.DataFrame:
    status = _status_columns(listings)
    status = status.loc[status.index.str.startswith("agency:")]
    status.index = status.index.str.removeprefix("agency:")
    agencies = agencies.join(status)
    vendors = _vendor_lists(vendor_records, "agency_id")
    agencies["vendors"] = [vendors.get(a, ()) for a in agencies.index]
    return agencies
