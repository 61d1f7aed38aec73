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
UASI_COLOR = "#0b6e4f"
SELECTED_COLOR = "#00bcd4"
