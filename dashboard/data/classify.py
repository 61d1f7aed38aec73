"""The precedence rule: each police department gets one Clearview class; weaker listings become conflicts."""

from __future__ import annotations

import pandas as pd


def entity_key(town_id: object, agency_id: object) -> str:
    """A key shared by every listing of the same municipality or agency."""
    return f"agency:{agency_id}" if isinstance(agency_id, str) else f"town:{int(str(town_id))}"


def apply_precedence(listings: pd.DataFrame, strongest_first: tuple[str, ...]) -> pd.DataFrame:
    """Mark each listing as the entity's status or as a conflict: the stronger evidence wins.

    `listings` needs the columns entity, category and position; `strongest_first` orders the classes. The
    result adds `outcome` ("status" or "conflict") and `winner` (the category that won for that entity).
    """
    rank = {status: i for i, status in enumerate(strongest_first)}
    ordered = listings.assign(_rank=listings["category"].map(rank)).sort_values(["entity", "_rank", "position"])
    first = ~ordered["entity"].duplicated()
    ordered["outcome"] = first.map({True: "status", False: "conflict"})
    winners = ordered.loc[first].set_index("entity")["category"]
    ordered["winner"] = ordered["entity"].map(winners)
    return ordered.drop(columns="_rank").sort_index()
