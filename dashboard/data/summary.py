"""The text summary printed by `python -m dashboard check`."""

from __future__ import annotations

from dashboard.data.model import Model
from dashboard.data.policy import NO_POLICY, latest_event_month, policy_now
from dashboard.data.schema import FACE_SURVEILLANCE_KINDS, POLICY_EVENTS, PUBLISHED_FIGURES, listed_figure


def summary(model: Model) -> str:
    """Counts per category, the accounting of every listing, conflicts and name resolutions."""
    listings = model.listings
    towns = model.towns
    lines = [f"OK: {len(towns)} municipalities from {model.boundaries_path}", "", "Clearview listings as published:"]
    for category in model.catalog.listed_ids:
        lines.append(f"  {category:<26}{(listings['category'] == category).sum():>4}")
    lines.append(f"  {'total':<26}{len(listings):>4}")
    status = listings["outcome"].eq("status")
    town_status = int((status & listings["town_id"].notna()).sum())
    agency_status = int((status & listings["agency_id"].notna()).sum())
    conflicts = listings.loc[~status]
    lines += beside_published(model, town_status + agency_status)
    lines += [
        "",
        f"Every listing accounted for: {town_status} municipal statuses + {agency_status} agency statuses "
        f"+ {len(conflicts)} conflicts = {town_status + agency_status + len(conflicts)} of {len(listings)}",
        "",
        "Municipalities by Clearview class:",
    ]
    counts = towns["clearview_status"].value_counts()
    for category in model.catalog.class_ids:
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
        f"Records index: {len(model.records)} records, dated {model.published['published']} (Date Published), filed "
        f"{model.published['first_year_filed']} to {model.published['last_year_filed']}; "
        f"vendor records: {len(model.vendor_records)}",
        f"Metro Boston UASI region: {int(towns['uasi_region'].sum())} municipalities",
        *policy_lines(model),
    ]
    return "\n".join(lines)


def policy_lines(model: Model) -> list[str]:
    """The policy events by kind, and the face-surveillance policies adopted by the latest event month."""
    kinds = model.events["kind"].value_counts()
    by_kind = ", ".join(f"{kind.id} {int(kinds.get(kind.id, 0))}" for kind in model.catalog.policy_kinds)
    now = policy_now(model)
    policies = now["face_surveillance_policy"]
    in_force = ", ".join(f"{int(policies.eq(word).sum())} {word}" for word in FACE_SURVEILLANCE_KINDS.values())
    residents = int(model.towns.loc[policies.index[policies.ne(NO_POLICY)], "population_2010"].sum())
    return [
        f"Policy events ({POLICY_EVENTS.filename}, outside the records page): {len(model.events)}: {by_kind}",
        f"  as of {latest_event_month(model)}: face surveillance {in_force} ({residents:,} residents, 2010 census); "
        f"{int(now['oversight_ordinance'].sum())} oversight ordinances",
    ]


def _count(model: Model, figure: str) -> int:
    value = model.published[figure]
    assert isinstance(value, int), figure  # the checks typed every figure by its kind in the schema
    return value


def beside_published(model: Model, entities_listed: int) -> list[str]:
    """Our counts beside the figures the page states; a difference is a warning (the table may hold a correction)."""
    counts = [("records index rows", len(model.records), "records_index_rows", "records_index.csv")]
    counts += [
        (
            category,
            int((model.listings["category"] == category).sum()),
            listed_figure(category),
            "clearview_listings.csv",
        )
        for category in model.catalog.listed_ids
    ]
    lines = ["", f"Counts beside the figures the page states ({PUBLISHED_FIGURES.filename}):"]
    differs = []
    for label, ours, figure, filename in counts:
        stated = _count(model, figure)
        lines.append(f"  {label:<26}{ours:>4}   published {stated:>4}" + ("   DIFFERS" if ours != stated else ""))
        if ours != stated:
            differs.append(
                f"DIFFERS: {label}: {filename} holds {ours}, the page states {stated} ({ours - stated:+d}; figure "
                f"{figure}). Keep it only if the curated table holds a reviewed correction of the page."
            )
    requests = _count(model, "clearview_requests")
    documents = _count(model, "government_documents")
    if entities_listed > requests:
        differs.append(
            f"DIFFERS: the Clearview lists name {entities_listed} distinct departments and agencies, more than the "
            f"{requests} police departments the page says were asked (figure clearview_requests)."
        )
    else:
        lines.append(
            f"  Clearview requests: {requests} published; {entities_listed} distinct departments and agencies "
            f"listed, so at most {requests - entities_listed} without a published reply"
        )
    in_index = int(model.records["documents"].sum())
    lines.append(
        f"  Government documents: {documents:,} published; {in_index:,} in the records index "
        "(the page does not say they are the same count)"
    )
    return lines + differs
