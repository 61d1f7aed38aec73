"""The map's search box choices: every town, then every agency, found by their names, the names the records page uses,
and the gazetteer's villages, neighborhoods and ZIP codes (the same index as the site's search,
data/place_search.py).

The box filters its choices in the browser as one types (Dash's dropdown), so a place cannot get a choice of its own
without a value the rest of the page would have to understand: instead each town's choice carries its places among the
words it is found by ("Florence" shows Northampton and nothing else), and a spelling that matches nothing shows no
town at all rather than a neighbour's. The site's search page says in words where each place is and offers close
spellings as "Did you mean"."""

from __future__ import annotations

from dashboard.data.model import Model
from dashboard.data.place_search import names_as_published, place_index, town_search_words
from dashboard.views import wording as w

AGENCY_VALUE = "agency:"  # search-box values of agencies; towns are their TOWN_ID


def _words(names: set[str]) -> str:
    # People type "Manchester-by-the-Sea" as often as "Manchester By The Sea": index both forms.
    return " ".join(sorted(names | {n.replace(" ", "-") for n in names}))


def search_options(model: Model) -> list[dict]:
    """The search box's choices: every town, then every agency, each also found by the names the page uses, and each
    town by its villages, neighborhoods and ZIP codes."""
    published = names_as_published(model)
    index = place_index(model)
    towns = model.towns.sort_values("town")
    options = [
        {
            "label": name,
            "value": int(t),
            "search": _words({name, *published.get(int(t), set()), *town_search_words(index, int(t))}),
        }
        for t, name in towns["town"].items()
    ]
    for agency_id, agency in model.agencies.sort_values("name").iterrows():
        if agency["kind"] == "group":  # a combined record, not an agency anyone looks for
            continue
        options.append(
            {
                "label": f"{agency['name']} ({w.KIND_NAMES[agency['kind']]})",
                "value": AGENCY_VALUE + str(agency_id),
                "search": _words({agency["name"], *published.get(agency_id, set())}),
            }
        )
    return options
