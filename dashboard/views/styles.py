"""How the map draws what is not data: outlines, stars, the selection and towns outside the filters.

The classes' and vendors' labels, colors and symbols are data (data/clearview_classes.csv, data/vendors.csv).
"""

from __future__ import annotations

FILTERED_OUT_COLOR = "#ffffff"
#: Before a town's Clearview request was filed (time control): a pale sand, neither white nor a class's gray.
NOT_ASKED_COLOR = "#efe6d2"
#: A listing whose own record holds 0 documents: a white disc with a dark "0", legible in grayscale.
ZERO_MARK = "0"
HQ_COLOR = "#222222"
HQ_FILL = "#ffffff"
#: Every line the map draws differs from every other in color, in dash pattern and in grayscale (a luma step of
#: at least 0.08 between any two, policy kinds' lines included: data/policy_kinds.csv). Dash patterns are plotly's.
#: County reach: black, long dash and dot.
COUNTY_COLOR = "#000000"
COUNTY_DASH = "longdashdot"
#: Statewide reach: red, dash and dot, so that it does not read as the state's plain border.
STATE_COLOR = "#b2182b"
STATE_DASH = "dashdot"
#: The Metro Boston UASI region: blue long dashes (the bans and moratorium are greens).
UASI_COLOR = "#1f78b4"
UASI_DASH = "longdash"
#: The selected town: bright cyan in long dashes with short gaps (a ban's solid line shows through them).
SELECTED_COLOR = "#40f0ff"
SELECTED_DASH = "10px,3px"
