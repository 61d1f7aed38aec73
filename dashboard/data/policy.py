"""Each municipality's face-surveillance policy and oversight ordinance as of a month: pure functions of the model.

A policy counts as adopted from the month it is dated in (the vote or signing, as the source states it); effective
dates, where a source states one, are carried beside it, not used. A month-precision date stays a month: an event
dated 2019-12 is adopted as of 2019-12, and compared month with month.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.data.model import Model
from dashboard.data.schema import FACE_SURVEILLANCE_KINDS, OVERSIGHT_KIND

#: The value of `face_surveillance_policy` for a municipality that has adopted none.
NO_POLICY = "none"
POLICY_COLUMNS = [
    "face_surveillance_policy",  # ban, moratorium or none
    "face_surveillance_kind",  # its kind id in policy_kinds.csv, or None
    "face_surveillance_event_id",
    "face_surveillance_policy_date",  # as written: a month stays a month
    "face_surveillance_policy_effective_date",  # where the source states one
    "oversight_ordinance",  # bool
    "oversight_ordinance_event_id",
    "oversight_ordinance_date",
    "oversight_ordinance_effective_date",
]
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def policy_as_of(model: Model, month: str) -> pd.DataFrame:
    """Per town_id (all 351): its strongest face-surveillance policy adopted by `month` (YYYY-MM), and its oversight.

    A ban beats a moratorium; between two events of the same kind the earlier one is kept (the first adopted).
    """
    if not _MONTH.fullmatch(month):
        raise ValueError(f"month {month!r} is not written YYYY-MM")
    events = model.events
    in_force = events.loc[events["town_id"].notna() & events["start"].le(month)]
    table = pd.DataFrame(index=model.towns.index.copy(), columns=POLICY_COLUMNS, dtype=object)
    table["face_surveillance_policy"] = NO_POLICY
    table["oversight_ordinance"] = False

    rank = {kind: i for i, kind in enumerate(FACE_SURVEILLANCE_KINDS)}
    face = in_force.loc[in_force["kind"].isin(rank)]
    face = face.assign(rank=face["kind"].map(rank)).sort_values(["rank", "date", "event_id"])
    face = face.drop_duplicates("town_id").set_index("town_id")
    table.loc[face.index, "face_surveillance_policy"] = face["kind"].map(FACE_SURVEILLANCE_KINDS)
    table.loc[face.index, "face_surveillance_kind"] = face["kind"]
    table.loc[face.index, "face_surveillance_event_id"] = face["event_id"]
    table.loc[face.index, "face_surveillance_policy_date"] = face["date"]
    table.loc[face.index, "face_surveillance_policy_effective_date"] = face["effective_date"]

    oversight = in_force.loc[in_force["kind"].eq(OVERSIGHT_KIND)].sort_values(["date", "event_id"])
    oversight = oversight.drop_duplicates("town_id").set_index("town_id")
    table.loc[oversight.index, "oversight_ordinance"] = True
    table.loc[oversight.index, "oversight_ordinance_event_id"] = oversight["event_id"]
    table.loc[oversight.index, "oversight_ordinance_date"] = oversight["date"]
    table.loc[oversight.index, "oversight_ordinance_effective_date"] = oversight["effective_date"]

    table["oversight_ordinance"] = table["oversight_ordinance"].astype(bool)
    table.index.name = "town_id"
    return table


def latest_event_month(model: Model) -> str:
    """The month of the latest policy event (YYYY-MM): what "now" means for policy."""
    return str(model.events["start"].max())


def policy_now(model: Model) -> pd.DataFrame:
    """policy_as_of the latest event month."""
    return policy_as_of(model, latest_event_month(model))
