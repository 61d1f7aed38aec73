"""The loader on the real files: every listing accounted for, the precedence cases of DATA-NOTES."""

from __future__ import annotations

import pandas as pd

from dashboard.data.classify import apply_precedence
from dashboard.data.model import Model


def _town(model: Model, name: str) -> pd.Series:
    towns = model.towns
    return towns.loc[towns["town_upper"] == name].iloc[0]


def test_real_files_load_with_the_published_list_sizes(model: Model) -> None:
    assert len(model.towns) == 351
    assert model.towns.index.is_unique
    assert model.listings["category"].value_counts().to_dict() == {
        "no_responsive_documents": 227,
        "use_or_communication": 20,
        "solicitation_only": 16,
    }
    assert len(model.records) == 63


def test_every_listing_is_a_status_or_a_conflict_and_no_entity_has_two_statuses(model: Model) -> None:
    listings = model.listings
    assert listings["outcome"].isin(["status", "conflict"]).all()
    statuses = listings.loc[listings["outcome"] == "status"]
    assert statuses["entity"].is_unique
    # Each municipal status shows up on its town; each agency status on its agency.
    town_statuses = statuses.dropna(subset=["town_id"])
    for row in town_statuses.itertuples():
        assert model.towns.loc[int(row.town_id), "clearview_status"] == row.category
    agency_statuses = statuses.dropna(subset=["agency_id"])
    assert len(town_statuses) + len(agency_statuses) + (listings["outcome"] == "conflict").sum() == 263


def test_no_response_is_every_municipality_named_nowhere(model: Model) -> None:
    named = set(model.listings["town_id"].dropna().astype(int))
    no_response = set(model.towns.index[model.towns["clearview_status"] == "no_response"])
    assert no_response == set(model.towns.index) - named
    assert "ACTON" in set(model.towns.loc[list(no_response), "town_upper"])


def test_barnstable_and_dudley_keep_solicitation_and_show_the_no_records_listing(model: Model) -> None:
    for name in ("BARNSTABLE", "DUDLEY"):
        town = _town(model, name)
        assert town["clearview_status"] == "solicitation_only"
        assert town["conflicts"] == f"{name.title()} (no_responsive_documents)"


def test_palmer_town_styling_wins_over_plain_palmer(model: Model) -> None:
    palmer = _town(model, "PALMER")
    assert palmer["clearview_status"] == "solicitation_only"
    assert palmer["clearview_listed_as"] == "Palmer (Town)"
    assert palmer["conflicts"] == "Palmer (no_responsive_documents)"


def test_oxford_use_wins_over_town_of_oxford(model: Model) -> None:
    oxford = _town(model, "OXFORD")
    assert oxford["clearview_status"] == "use_or_communication"
    assert oxford["clearview_listed_as"] == "Oxford PD"
    assert oxford["conflicts"] == "Town Of Oxford (no_responsive_documents)"


def test_state_police_is_an_agency_with_use_and_the_msp_listing_as_conflict(model: Model) -> None:
    msp = model.agencies.loc["msp"]
    assert msp["kind"] == "state" and msp["reach"] == "state"
    assert msp["clearview_status"] == "use_or_communication"
    assert msp["conflicts"] == "Msp (no_responsive_documents)"
    assert set(msp["vendors"]) == {"Clearview AI", "COPLINK", "Lan-Tel"}


def test_norfolk_sheriff_does_not_colour_the_town_of_norfolk(model: Model) -> None:
    sheriff = model.agencies.loc["norfolk_sheriff"]
    assert sheriff["clearview_status"] == "use_or_communication"
    assert sheriff["county"] == "Norfolk"
    norfolk = _town(model, "NORFOLK")
    assert norfolk["clearview_status"] == "no_responsive_documents"
    assert norfolk["vendors"] == ()


def test_wayland_geometry_is_repaired(model: Model) -> None:
    assert model.geometry.geometry.is_valid.all()
    wayland = model.geometry.loc[model.geometry["TOWN_ID"] == 315].geometry.iloc[0]
    assert wayland.geom_type in {"Polygon", "MultiPolygon"} and wayland.area > 0


def test_precedence_prefers_stronger_evidence_then_list_order(model: Model) -> None:
    listings = pd.DataFrame(
        {
            "entity": ["town:1", "town:1", "town:2", "town:2", "town:3"],
            "category": [
                "no_responsive_documents",
                "solicitation_only",
                "use_or_communication",
                "use_or_communication",
                "no_responsive_documents",
            ],
            "position": [1, 5, 9, 2, 3],
        }
    )
    result = apply_precedence(listings, model.catalog.class_ids)
    assert result["outcome"].tolist() == ["conflict", "status", "conflict", "status", "status"]
    assert result["winner"].tolist() == ["solicitation_only"] * 2 + ["use_or_communication"] * 2 + [
        "no_responsive_documents"
    ]


def test_listing_documents_come_from_its_own_record_only(model: Model) -> None:
    listings = model.listings.set_index("name_as_published")
    assert listings.loc["West Bridgewater PD", "documents"] == 11
    assert listings.loc["Boston PD", "documents"] == 0
    # A combined record's count (102 across 16 departments) is not any one department's.
    assert pd.isna(listings.loc["Lowell", "documents"])


def test_prepared_geometry_is_cached_and_reused(copy_config, monkeypatch) -> None:
    from dashboard.data import model as model_module

    first = model_module.build_model(copy_config)
    cached = list(copy_config.cache_dir.glob("map-*.json"))
    assert len(cached) == 1

    def fail(*args, **kwargs):
        raise AssertionError("the geometry was prepared again instead of read from the cache")

    monkeypatch.setattr(model_module, "build_map_geometry", fail)
    second = model_module.build_model(copy_config)
    assert second.map.towns_geojson == first.map.towns_geojson
    assert second.map.points == first.map.points
    assert second.map.uasi_outline == first.map.uasi_outline


def test_a_corrupt_cache_is_rebuilt(copy_config) -> None:
    from dashboard.data.model import build_model

    build_model(copy_config)
    (path,) = copy_config.cache_dir.glob("map-*.json")
    path.write_text("{truncated", encoding="utf-8")
    rebuilt = build_model(copy_config)
    assert len(rebuilt.map.towns_geojson["features"]) == 351
