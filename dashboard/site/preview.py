"""Preview images for link cards: GET /town/<slug>.png and /agency/<id>.png.

A town's image is the map with the town chosen (the map's view `?town=<id>`), an agency's the map with the agency
chosen (`?agency=<id>`, named above the map), drawn as a slide at the `card` size (1920×1008, the 1.91:1 of
social preview cards) by the process's render pool: the same drawing, disk cache, ETag and refusals (429 or 503
with Retry-After) as /image/. A published name or another spelling redirects to the canonical image address.
"""

from __future__ import annotations

from flask import Response, current_app, redirect, request
from werkzeug.wrappers import Response as ResponseBase

from dashboard.data.model import Model
from dashboard.exports.filenames import view_filename
from dashboard.exports.images import SIZES
from dashboard.language import _, current
from dashboard.serving.images import image_pool, view_image
from dashboard.site.document import Preview
from dashboard.site.slugs import Directory, Place
from dashboard.site.templating import href
from dashboard.state.view import ViewState, view
from dashboard.views.words import join_names

IMAGE_SUFFIX = ".png"
PREVIEW_SIZE = "card"
PREVIEW_FORMAT = "png"


def _has_map(model: Model, place: Place) -> bool:
    """Whether the place has a view of its own on the map: every town, every agency but a combined record."""
    return place.kind == "town" or model.agencies.loc[place.key, "reach"] != "none"


def preview_of(model: Model, directory: Directory, place: Place) -> Preview | None:
    """The preview image of a town or agency page, with what it shows in plain words; None for a combined record."""
    if not _has_map(model, place):
        return None
    width, height = SIZES[PREVIEW_SIZE]
    clearview = model.catalog.clearview
    if place.kind == "town":
        status = str(model.towns.loc[directory.town_id(place.key), "clearview_status"])
        label = _(model.catalog.labels[status])
        alt = _(
            "Map of Massachusetts with {name} highlighted, in the {clearview} class “{label}”; each city and town "
            "colored by what its police department’s {clearview} records showed, with the vendor records marked, a "
            "key and the source."
        ).format(name=place.name, clearview=clearview, label=label)
    else:
        alt = _(
            "Map of Massachusetts for {name}; each city and town colored by what its police department’s "
            "{clearview} records showed, with the vendor records and the reach of state and county agencies marked, "
            "a key and the source."
        ).format(name=place.name, clearview=clearview)
    return Preview(place.path + IMAGE_SUFFIX, width, height, alt)


def compare_preview(model: Model, towns: tuple[Place, ...], path: str, size: tuple[int, int]) -> Preview:
    """The compare slide as a compare page's preview image."""
    alt = _(
        "Slide comparing {names}: a small map of Massachusetts for each, colored by {clearview} class with the town "
        "ringed, and each town’s class, records and vendors in words."
    ).format(names=join_names([p.name for p in towns]), clearview=model.catalog.clearview)
    return Preview(path, size[0], size[1], alt)


def _state(model: Model, directory: Directory, place: Place) -> ViewState:
    """The place's view on the map, in the language of the request (its image is worded in it)."""
    if place.kind == "town":
        return view(model.catalog, town=directory.town_id(place.key), lang=current().code)
    return view(model.catalog, agency=place.key, lang=current().code)


def _no_image() -> Response:
    return Response(
        _("There is no town or agency image at this address. Every town page names its image.") + "\n",
        status=404,
        mimetype="text/plain",
    )


def preview_image(model: Model, directory: Directory, kind: str, key: str) -> ResponseBase:
    """The answer to /<kind>/<key>.png: the image, a redirect to its canonical address, or 404."""
    place = (directory.towns if kind == "town" else directory.agencies).get(key) or directory.find(key)
    if place is None or not _has_map(model, place):
        return _no_image()
    path = place.path + IMAGE_SUFFIX
    if request.path != path:
        return redirect(href(path), code=301)
    # Shown where the link is shared, not saved: inline, under a name that says what it is.
    state = _state(model, directory, place)
    disposition = f'inline; filename="{view_filename(model, state, PREVIEW_SIZE, PREVIEW_FORMAT)}"'
    pool = image_pool(current_app)  # looked up per request: the pool registered on the server now
    return view_image(model, pool, state, PREVIEW_FORMAT, PREVIEW_SIZE, disposition)
