// Browser-side helpers for callbacks (kept in a file: the page's policy allows no inline scripts).
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    map: {
        // On narrow screens the town panel sits below the map: bring it into view after a click.
        revealPanel: function (click) {
            if (click && window.matchMedia("(max-width: 900px)").matches) {
                var panel = document.getElementById("town-panel");
                if (panel) {
                    setTimeout(function () { panel.scrollIntoView({block: "start"}); }, 400);
                }
            }
            return null;
        },
    },
});
