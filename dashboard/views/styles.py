"""Labels, colors and symbols shared by the map, the legend and the panels."""

from __future__ import annotations

from dashboard.data.schema import CLEARVIEW_STATUSES, VENDORS

CLASS_LABELS = {
    "use_or_communication": "Use or communication",
    "solicitation_only": "Solicitation only",
    "no_responsive_documents": "No responsive documents",
    "no_response": "Not listed: no reply published",
}
CLASS_HELP = {
    "use_or_communication": "The department's records showed communication with, and in some cases use of, "
    "Clearview AI",
    "solicitation_only": "The department's records showed only solicitations from Clearview AI",
    "no_responsive_documents": "The department reported no responsive documents",
    "no_response": "Named in none of the three lists: the department did not reply, its reply was not published, "
    "or it was not asked (some towns have no police department of their own)",
}
# Sequential (magma-like) for the three lists, so they separate by lightness alone in grayscale; the
# not-listed class is a neutral gray, so it cannot be read as a fourth step of the same answer.
CLASS_COLORS = {
    "use_or_communication": "#3b0f70",
    "solicitation_only": "#b5367a",
    "no_responsive_documents": "#f7945f",
    "no_response": "#d4d4d4",
}
FILTERED_OUT = "Outside the filters"
FILTERED_OUT_COLOR = "#ffffff"
#: Integer codes of the choropleth, in CLEARVIEW_STATUSES order, then the filtered-out code.
CLASS_CODE = {status: code for code, status in enumerate(CLEARVIEW_STATUSES)}
FILTERED_OUT_CODE = len(CLEARVIEW_STATUSES)

#: URL slugs (short, readable in a shared link).
CLASS_SLUGS = {
    "use_or_communication": "use",
    "solicitation_only": "solicitation",
    "no_responsive_documents": "no-records",
    "no_response": "no-response",
}
WAVES = {"2020-02": "February 2020", "2020-04": "April 2020"}
WAVE_SLUGS = {"2020-02": "feb", "2020-04": "apr"}
YEAR_RANGE = (2017, 2020)

#: Vendor marker: colour (Okabe-Ito, dark outline), plotly symbol, URL slug, text glyph for legends.
VENDOR_STYLE: dict[str, tuple[str, str, str, str]] = {
    "Lan-Tel": ("#0072B2", "circle", "lan-tel", "●"),
    "Briefcam": ("#009E73", "square", "briefcam", "■"),
    "COPLINK": ("#E69F00", "triangle-up", "coplink", "▲"),
    "DataWorks": ("#56B4E9", "diamond", "dataworks", "◆"),
    "MorphoTrust/IDEMIA": ("#CC79A7", "pentagon", "morphotrust", "⬟"),
    "IBM": ("#D55E00", "hexagon", "ibm", "⬢"),
    "Suspect Technologies": ("#F0E442", "triangle-down", "suspect-technologies", "▼"),
    # White with a dark edge: Clearview's records sit on the darkest class, where black would vanish.
    "Clearview AI": ("#ffffff", "x", "clearview", "✖"),
}
assert set(VENDOR_STYLE) == set(VENDORS)
#: The three vendors the project was asked for, then the others; Clearview (the choropleth) last.
DEFAULT_VENDORS: tuple[str, ...] = tuple(v for v in VENDOR_STYLE if v != "Clearview AI")
#: A listing whose own record holds 0 documents: a white disc with a dark "0", legible in grayscale.
ZERO_MARK = "0"
HQ_COLOR = "#222222"
HQ_FILL = "#ffffff"
UASI_COLOR = "#0b6e4f"
SELECTED_COLOR = "#00bcd4"
