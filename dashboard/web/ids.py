"""Component ids, in one place so layout, callbacks and tests agree."""

URL = "url"
MAP = "map"
FIRST_PAINT_SLOT = "first-paint-slot"  # holds the server-drawn map until plotly has drawn its own
LEGEND = "legend"
KEYS = "overlay-keys"
TOTALS = "totals"
REACH = "vendor-reach"
HEADLINE = "headline"
CLASSES = "filter-classes"
WAVES = "filter-waves"
TIME_CONTROL = "time-control"  # the whole time control (its date, steps and slider)
DATE = "time-date"  # the time control: a month's position in the span
DATE_LABEL = "time-label"
DATE_LABELS = "time-labels"  # the months in words, for the browser-side label
DATE_BACK = "time-back"
DATE_FORWARD = "time-forward"
DATE_PLAY = "time-play"
DATE_TICK = "time-tick"
DATE_PREV_EVENT = "time-prev-event"
DATE_NEXT_EVENT = "time-next-event"
DATE_SPEED = "time-speed"  # slow, normal, fast, or events only (Play steps from event to event)
DATE_EVENTS = "time-events"  # the months with an event, by position, for the browser-side stepping
HEADLINE_RESERVE = "headline-reserve"  # the headline at every month, unseen: its box keeps the tallest height
POLICY_RESERVE = "policy-reserve"
TIME_CHART = "time-chart"
TIMELINE = "timeline"
TIMELINE_ITEM = "timeline-event"  # pattern-matching id type of the strip's buttons
TIMELINE_SINK = "timeline-sink"
POLICY_LINE = "policy-line"
IMAGE_COMPARE = "image-compare"
VENDORS = "filter-vendors"
LAYERS = "layers"
TOWN_SEARCH = "town-search"
SEARCH_BOX = "town-search-box"  # the search with its label
PANEL = "town-panel"
RESET = "reset"
PAGE = "page"
PRESENT_LINK = "present-link"
EMBED_CODE = "embed-code"  # the iframe code of the presentation view, made in the browser
TABLE = "records-table"  # the grid: not in the first layout, made in the browser once the table is wanted
TABLE_SLOT = "records-slot"  # holds the grid's placeholder, then the grid
TABLE_SPEC = "records-spec"  # the grid as a component (columns, options), without rows
TABLE_ROWS = "records-rows"  # the rows shown, sent only once the table is wanted
TABLE_WANTED = "records-wanted"  # set in the browser when the records section nears the view or takes focus
TABLE_SCRIPTS = "records-grid-scripts"  # the page's list of the grid library's script addresses (JSON)
TABLE_SEARCH = "records-search"
TABLE_COUNT = "records-count"
DOWNLOAD = "download"
DOWNLOAD_ROWS = "download-rows"
DOWNLOAD_TOWNS_CSV = "download-towns-csv"
DOWNLOAD_TOWNS_GEOJSON = "download-towns-geojson"
DOWNLOAD_IMAGE = "download-image"
IMAGE_SIZE = "image-size"
IMAGE_FORMAT = "image-format"
IMAGE_STATUS = "image-status"  # progress and why an image could not be drawn, beside its button
IMAGE_WORDS = "image-words"  # the words the browser shows in IMAGE_STATUS while an image is drawn
CAPTION = "view-caption"
SCROLL_SINK = "scroll-sink"
LANGUAGE = "language"  # the view's language code, for the callbacks (the controls do not carry it)
LANGUAGE_SWITCH = "language-switch"  # the links to the same view in each language
LANGUAGE_SUGGESTION = "language-suggestion"  # the link offering the view in the browser's preferred language


def language_link(code: str) -> str:
    """The id of the language switch's link to one language."""
    return f"language-{code}"
