// The records grid, loaded only when it is wanted: when its section comes near the view, takes focus, or a control
// in it is used; never in the presentation view (the section is hidden there and the page lists no grid scripts).
// The grid library's addresses (with Dash's cache-busting names) are in the page's data block #records-grid-scripts,
// written by dashboard/web/lazy_grid.py. Kept in a file: the page's policy allows no inline scripts.
(function () {
    "use strict";

    var WANTED = "records-wanted"; // ids.TABLE_WANTED: tells the server to send the rows
    var SCRIPTS = "records-grid-scripts"; // ids.TABLE_SCRIPTS
    // Start this far below the view, so the grid is usually drawn before the section is seen.
    var MARGIN = "0px 0px 600px 0px";
    var watching = false;
    var wanted = false;
    var loading = null;
    var shown = false;

    function sources() {
        var block = document.getElementById(SCRIPTS);
        if (!block) {
            return [];
        }
        try {
            var list = JSON.parse(block.textContent);
            return Array.isArray(list) ? list : [];
        } catch (error) {
            return [];
        }
    }

    function loadScript(src) {
        return new Promise(function (resolve, reject) {
            var script = document.createElement("script");
            script.src = src;
            script.async = false; // in order, like the page's own script tags
            script.onload = function () { resolve(); };
            script.onerror = function () { reject(new Error("could not load " + src)); };
            document.head.appendChild(script);
        });
    }

    // The grid library, once; its own code then fetches its chunk (async-community.js) beside its script.
    function loadGrid() {
        if (window.dash_ag_grid && window.dash_ag_grid.AgGrid) {
            return Promise.resolve();
        }
        if (!loading) {
            loading = sources().reduce(function (done, src) {
                return done.then(function () { return loadScript(src); });
            }, Promise.resolve());
            loading.catch(function () { loading = null; }); // the next change of rows tries again
        }
        return loading;
    }

    function want() {
        if (wanted || !sources().length || document.querySelector(".page.present")) {
            return;
        }
        wanted = true;
        loadGrid().catch(function () {}); // the library comes while the server answers with the rows
        window.dash_clientside.set_props(WANTED, {data: true});
    }

    function watch() {
        if (watching) {
            return;
        }
        var section = document.querySelector(".records-section");
        if (!section) {
            // The page's first callbacks can run before React has put the layout in the page: look again soon.
            watching = true;
            setTimeout(function () { watching = false; watch(); }, 100);
            return;
        }
        watching = true;
        // Keyboard focus (Tab into the search box or a button), a click or typing: the table is wanted.
        ["focusin", "pointerdown", "input"].forEach(function (type) {
            section.addEventListener(type, want);
        });
        if (!("IntersectionObserver" in window)) {
            want();
            return;
        }
        var observer = new IntersectionObserver(function (entries) {
            if (entries.some(function (entry) { return entry.isIntersecting; })) {
                want();
                if (wanted) {
                    observer.disconnect();
                }
            }
        }, {rootMargin: MARGIN});
        observer.observe(section);
    }

    function failed() {
        // The words are the page's language's, from the slot (web/layout.py's records_section).
        var slot = document.getElementById("records-slot");
        return {
            type: "P",
            namespace: "dash_html_components",
            props: {
                className: "records-grid-loading records-grid-failed hint",
                children: (slot && slot.getAttribute("data-failed")) ||
                    "The records table could not be loaded: reload the page to try again.",
            },
        };
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        records: {
            // The clientside callback of the records slot: on the page's first call it starts watching the section;
            // once the table is wanted and its rows have come, it makes the grid from the server's spec (Dash
            // renders it: its library is loaded by then), and afterwards hands the grid each new set of rows.
            show: function (isWanted, rows, spec) {
                var noUpdate = window.dash_clientside.no_update;
                watch();
                if (!isWanted || !Array.isArray(rows) || !spec || !spec.props) {
                    return noUpdate;
                }
                return loadGrid().then(function () {
                    if (shown && document.getElementById(spec.props.id)) {
                        window.dash_clientside.set_props(spec.props.id, {rowData: rows});
                        return noUpdate;
                    }
                    shown = true;
                    return Object.assign({}, spec, {props: Object.assign({}, spec.props, {rowData: rows})});
                }, failed);
            },
        },
    });
})();
