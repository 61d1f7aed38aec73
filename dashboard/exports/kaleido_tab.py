"""kaleido's one known start-up race: asked to draw before its Chromium tab's own script has run, it answers
"kaleido_scopes is not defined" (seen on a loaded machine). Every drawing goes through `drawn_when_ready`."""

from __future__ import annotations

import time
from collections.abc import Callable

#: What kaleido's tab says when it was asked to draw before it was ready.
NOT_READY = "kaleido_scopes is not defined"
#: How long to let the tab finish loading before asking once more.
SETTLE_SECONDS = 0.5


def drawn_when_ready(draw: Callable[[], bytes]) -> bytes:
    """`draw()`, asked once more when kaleido's tab was not ready yet (no other error is retried)."""
    try:
        return draw()
    except Exception as error:
        if NOT_READY not in str(error):
            raise
    time.sleep(SETTLE_SECONDS)
    return draw()
