// The map page's one script before Dash: the first view (server HTML, web/first_view.py) works as links and a form
// without any script; this makes its answers quicker, and loads Dash when the interactive map earns its cost.
// - A wide screen loads Dash at once; a phone when the visitor asks for the interactive map (a .boot-dash button).
// - Until then, a link to another view or a changed filter fetches that view's changed parts (/_view) and swaps
//   them in (the address follows, so the back button and a shared link work as with a full load).
// - When Dash's layout appears, the first view goes in the same frame: both are the same DOM, so nothing jumps.
// Kept in a file: the page's policy allows no inline scripts. web/first_view.py writes the ids used here.
(function () {
    "use strict";
    var HOLDER = "first-paint";
    var SCRIPTS = "dash-scripts";
    var WIDE = "(min-width: 901px)";
    var entry = document.getElementById("react-entry-point");
    var booted = false;
    var pending = null; // the view being fetched, if any (aborted by a newer one, or when Dash loads)

    function holder() {
        return document.getElementById(HOLDER);
    }

    // --- Dash's takeover ---------------------------------------------------------------------------------------
    function settle() {
        if (!entry || !entry.querySelector(".map-box")) {
            return false;
        }
        var old = holder();
        var picture = old && old.querySelector("svg.first-paint-map");
        var slot = document.getElementById("first-paint-slot");
        if (picture && slot && !slot.firstChild) {
            picture.removeAttribute("role");
            picture.setAttribute("aria-hidden", "true"); // plotly's map takes over; its links would be a second map
            slot.appendChild(picture);
        }
        ["image-form", "town-search-form", HOLDER].forEach(function (id) {
            var node = document.getElementById(id);
            if (node) { node.parentNode.removeChild(node); }
        });
        entry.classList.add("taken");
        return true;
    }

    function boot() {
        if (booted) { return; }
        booted = true;
        if (pending) { pending.abort(); } // a view asked for before: Dash reads the address itself
        document.documentElement.classList.add("booting");
        var block = document.getElementById(SCRIPTS);
        var sources = [];
        try { sources = JSON.parse(block ? block.textContent : "[]"); } catch (error) { sources = []; }
        if (window.MutationObserver && entry) {
            // Runs after React's commit and before the next paint: the view never leaves the screen.
            var observer = new MutationObserver(function () {
                if (settle()) { observer.disconnect(); }
            });
            observer.observe(entry, {childList: true, subtree: true});
        }
        var left = sources.length;
        function started() {
            left -= 1;
            if (left === 0 && window.DashRenderer) {
                new window.DashRenderer(); // eslint-disable-line no-new
            }
        }
        sources.forEach(function (src) {
            var script = document.createElement("script");
            script.src = src;
            script.async = false; // run in page order, fetched in parallel
            script.onload = started;
            script.onerror = started;
            document.body.appendChild(script);
        });
    }

    // --- the first view's own answers --------------------------------------------------------------------------
    var PARTS = "/_view"; // web/first_view.py's PARTS_PATH: a view's changed parts as JSON

    function focusTownPanel() {
        var panel = document.getElementById("town-panel");
        if (!panel) { return; }
        if (!window.matchMedia(WIDE).matches) { panel.scrollIntoView({block: "start"}); }
        panel.setAttribute("tabindex", "-1");
        panel.focus({preventScroll: true});
    }

    // Another extent (the Metro Boston zoom) is another picture: the whole first view is swapped in.
    function swapPage(html, url, push, focusPanel) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById(HOLDER);
        var old = holder();
        if (booted) { return; }
        if (!fresh || !old) {
            window.location.assign(url);
            return;
        }
        ["image-form", "town-search-form"].forEach(function (id) {
            var now = document.getElementById(id), next = page.getElementById(id);
            if (now && next) { now.parentNode.replaceChild(document.importNode(next, true), now); }
        });
        old.parentNode.replaceChild(document.importNode(fresh, true), old);
        if (push) { window.history.pushState({view: true}, "", url); }
        if (focusPanel) { focusTownPanel(); }
    }

    // How to find the focused control again once its part is replaced: by id, or a checkbox by its name and value.
    function focusKey(node) {
        if (!node || node === document.body) { return null; }
        if (node.id) { return "#" + CSS.escape(node.id); }
        if (node.name) {
            return "[name=\"" + CSS.escape(node.name) + "\"][value=\"" + CSS.escape(node.value || "") + "\"]";
        }
        return null;
    }

    // The offer of the browser's language (web/layout.py's language_suggestion) links where the switch's link to that
    // language does: the switch is one of the parts, the offer is not (it depends on the browser, not the view).
    function followOffer() {
        var offer = document.getElementById("language-suggestion");
        var tag = offer && offer.getAttribute("hreflang");
        var same = tag && document.querySelector("#language-switch a[hreflang=\"" + CSS.escape(tag) + "\"]");
        if (same) { offer.setAttribute("href", same.getAttribute("href")); }
    }

    // The same picture: the parts that change, the towns' colors and links, the outlines and the framing.
    function apply(view, push, focusPanel) {
        var old = holder();
        var svg = old && old.querySelector("svg.first-paint-map");
        if (booted) { return; } // Dash has the page now
        if (!svg) {
            window.location.assign(view.url);
            return;
        }
        if (svg.getAttribute("data-extent") !== view.extent) {
            fetchText(view.url, function (html) { swapPage(html, view.url, push, focusPanel); });
            return;
        }
        var active = focusKey(document.activeElement);
        Object.keys(view.parts).forEach(function (id) {
            var node = document.getElementById(id);
            if (!node) { return; }
            var template = document.createElement("template");
            template.innerHTML = view.parts[id];
            node.parentNode.replaceChild(template.content, node);
        });
        var imageForm = document.getElementById("image-form");
        if (imageForm) { imageForm.innerHTML = view.image_fields; }
        followOffer();
        Array.prototype.forEach.call(svg.querySelectorAll("a[data-town]"), function (link) {
            var town = link.getAttribute("data-town");
            if (view.fills[town]) { link.setAttribute("fill", view.fills[town]); }
            link.setAttribute("href", view.town_href.replace("town=-1", "town=" + town));
        });
        svg.querySelector("g.lines").innerHTML = view.lines;
        var frame = svg.querySelector("g.frame");
        svg.querySelector("g.marks").innerHTML = view.marks;
        if (view.frame) { frame.setAttribute("style", view.frame); } else { frame.removeAttribute("style"); }
        svg.setAttribute("aria-label", view.label);
        if (push) { window.history.pushState({view: true}, "", view.url); }
        if (focusPanel) {
            focusTownPanel();
        } else if (active && document.querySelector(active)) {
            document.querySelector(active).focus({preventScroll: true});
        }
    }

    // On any failure the page goes to `fallback` (the map page's own address for what was asked): a plain load.
    function fetchText(url, then, fallback) {
        if (pending) { pending.abort(); }
        var controller = window.AbortController ? new AbortController() : null;
        pending = controller;
        fetch(url, {credentials: "same-origin", signal: controller && controller.signal})
            .then(function (answer) {
                if (!answer.ok) { throw new Error(String(answer.status)); }
                return answer.text();
            })
            .then(then)
            .catch(function (error) {
                if (error && error.name === "AbortError") { return; }
                window.location.assign(fallback || url); // the plain link still works
            });
    }

    // `search` is a view's query, or a sent form's fields.
    function go(search, push, focusPanel) {
        fetchText(PARTS + search, function (text) { apply(JSON.parse(text), push, focusPanel); }, "/" + search);
    }

    function formSearch(form) {
        var query = new URLSearchParams();
        new FormData(form).forEach(function (value, key) { query.append(key, value); });
        return "?" + query.toString();
    }

    document.addEventListener("click", function (event) {
        if (event.target.closest && event.target.closest(".boot-dash")) {
            event.preventDefault();
            boot();
            return;
        }
        if (booted || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
            event.shiftKey || event.altKey) {
            return;
        }
        var link = event.target.closest && event.target.closest("a[data-view]");
        if (!link || !holder() || !holder().contains(link)) { return; }
        event.preventDefault();
        // An SVG link's href is not a string: resolve its attribute.
        go(new URL(link.getAttribute("href"), window.location.href).search, true, link.hasAttribute("data-town"));
    });

    document.addEventListener("change", function (event) {
        var form = holder();
        if (booted || !form || event.target.form !== form) { return; }
        go(formSearch(form), true, false);
    });

    document.addEventListener("submit", function (event) {
        var form = holder();
        if (booted || !form || event.target !== form) { return; }
        event.preventDefault();
        go(formSearch(form), true, false);
    });

    window.addEventListener("popstate", function () {
        if (!booted && holder()) { go(window.location.search, false, false); }
    });

    if (window.matchMedia(WIDE).matches) {
        boot();
    }
})();
