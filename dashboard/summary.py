"""The text summary printed by `python -m dashboard check`."""

from __future__ import annotations

from dashboard.model import Model
from dashboard.schema import CLEARVIEW_STATUSES, LISTED_CATEGORIES


def summary(model: Model) -> str:
    """Counts per category, the accounting of every listing, conflicts and name resolutions."""
    listings = model.listings
    towns = model.towns
    lines = [f"OK: {len(towns)} municipalities from {model.boundaries_path}", "", "Clearview listings as published:"]
    for category in LISTED_CATEGORIES:
        lines.append(f"  {category:<26}{(listings['category'] == category).sum():>4}")
    lines.append(f"  {'total':<26}{len(listings):>4}")
    status = listings["outcome"].eq("status")
    town_status = int((status & listings["town_id"].notna()).sum())
    agency_status = int((status & listings["agency_id"].notna()).sum())
    conflicts = listings.loc[~status]
    lines += [
        "",
        f"Every listing accounted for: {town_status} municipal statuses + {agency_status} agency statuses "
        f"+ {len(conflicts)} conflicts = {town_status + agency_status + len(conflicts)} of {len(listings)}",
        "",
        "Municipalities by Clearview class:",
    ]
    counts = towns["clearview_status"].value_counts()
    for category in CLEARVIEW_STATUSES:
        lines.append(f"  {category:<26}{counts.get(category, 0):>4}")
    lines += ["", "Non-municipal agencies with a Clearview class:"]
    for _, row in model.agencies.dropna(subset=["clearview_status"]).iterrows():
        lines.append(f"  {row['name']} ({row['kind']}): {row['clearview_status']}")
    lines += ["", "Conflicts (weaker listing kept, stronger one wins):"]
    for row in conflicts.itertuples(index=False):
        lines.append(f"  '{row.name_as_published}' under {row.category}; counted as {row.winner}")
    aliased = listings.loc[listings["method"].eq("alias"), "name_as_published"].nunique()
    lines += [
        "",
        f"Name resolution: {int(listings['method'].eq('name').sum())} listings by MassGIS name, {aliased} names by "
        f"the alias table ({len(model.resolutions)} reviewed aliases in all)",
        f"Records index: {len(model.records)} records; vendor records: {len(model.vendor_records)}",
        f"Metro Boston UASI region: {int(towns['uasi_region'].sum())} municipalities",
    ]
    return "\n".join(lines)
