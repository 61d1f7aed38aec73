/* The map drawn by the server into the first HTML (web/first_paint.py) sits beside React's entry point until the
   layout exists; then its picture moves into the layout's slot (under the graph) and the rest goes. */
(function () {
    "use strict";
    var holder = document.getElementById("first-paint");
    if (!holder || !window.MutationObserver) {
        return;
    }
    var picture = holder.querySelector("svg");

    function settle() {
        var slot = document.getElementById("first-paint-slot");
        if (!slot) {
            return false;
        }
        if (picture && !slot.firstChild) {
            slot.appendChild(picture);
        }
        if (holder.parentNode) {
            holder.parentNode.removeChild(holder);
        }
        return true;
    }

    if (!settle()) {
        // Runs after React's commit and before the next paint: the picture never leaves the screen.
        var observer = new MutationObserver(function () {
            if (settle()) {
                observer.disconnect();
            }
        });
        observer.observe(document.getElementById("react-entry-point") || document.body, {childList: true, subtree: true});
    }
})();
