// Browser-side helpers for callbacks (kept in a file: the page's policy allows no inline scripts).

// The timeline strip is one tab stop: the arrow keys, Home and End move along its events (roving tabindex).
document.addEventListener("keydown", function (event) {
    var button = event.target.closest && event.target.closest(".timeline-button");
    if (!button) { return; }
    var buttons = Array.from(document.querySelectorAll("#timeline .timeline-button"));
    var at = buttons.indexOf(button);
    var to = {ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1,
              Home: 0, End: buttons.length - 1}[event.key];
    if (to === undefined || to < 0 || to >= buttons.length) { return; }
    event.preventDefault();
    button.tabIndex = -1;
    buttons[to].tabIndex = 0;
    buttons[to].focus();
    buttons[to].scrollIntoView({block: "nearest", inline: "nearest"});
});
// The panel watch of the last map click (map.revealPanel), replaced by the next click's.
var revealing = null;
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    embed: {
        // The iframe code of the presentation view: the present link (kept current by the URL callback) made
        // absolute on this page's address, escaped for an HTML attribute.
        code: function (href) {
            var src = new URL(href || "?present=1", window.location.href).href;
            var attr = function (text) {
                return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
            };
            return '<iframe src="' + attr(src) + '" title="' + attr(document.title || "Map") +
                '" width="100%" height="560" style="border:0" loading="lazy"></iframe>';
        },
    },
    image: {
        // Beside the image button while the image is drawn, in the page's language (the server's answer replaces
        // it: nothing once the file is sent, or why it could not be drawn).
        drawing: function (clicks, words) {
            return (words && words.drawing) || "";
        },
    },
    map: {
        // On narrow screens the town panel sits below the map: bring it into view after a click, once it shows the
        // town tapped. Scrolling on a timer instead left a slow answer's panel (and the page around it, re-laid out
        // with the answer) below the screen.
        revealPanel: function (click) {
            var panel = document.getElementById("town-panel");
            if (!click || !panel || !window.matchMedia("(max-width: 900px)").matches) {
                return null;
            }
            var revealed = false;
            var reveal = function () {
                revealed = true;
                panel.scrollIntoView({block: "start"});
            };
            if (revealing) { revealing.disconnect(); }
            var watcher = new MutationObserver(function () {
                watcher.disconnect();
                requestAnimationFrame(reveal); // after the answer's other parts are laid out too
            });
            revealing = watcher;
            watcher.observe(panel, {childList: true, subtree: true, characterData: true});
            // The same town tapped again changes nothing: reveal it as it is. A slower answer still reveals on arrival.
            setTimeout(function () { if (revealing === watcher && !revealed) { reveal(); } }, 1500);
            setTimeout(function () { watcher.disconnect(); }, 15000);
            return null;
        },
    },
    time: {
        // Step back or forward a month or to the previous or next month with an event, or play through the months
        // (one step per tick, or one event per tick at "events only"; stopping at the end).
        step: function (back, forward, play, tick, prevEvent, nextEvent, value, max, paused, events, speed) {
            var ctx = window.dash_clientside.callback_context;
            var trigger = ((ctx.triggered[0] || {}).prop_id || "").split(".")[0];
            var nu = window.dash_clientside.no_update;
            // The button's two states in the page's language (web/layout.py's play_words, in the events store).
            var PLAY = (events && events.play) || "\u25b6 Play";
            var PAUSE = (events && events.pause) || "\u275a\u275a Pause";
            var months = (events && events.months) || [];
            value = typeof value === "number" ? value : max;
            var after = function (at) {
                for (var i = 0; i < months.length; i++) { if (months[i] > at) { return months[i]; } }
                return max;
            };
            var before = function (at) {
                for (var i = months.length - 1; i >= 0; i--) { if (months[i] < at) { return months[i]; } }
                return 0;
            };
            if (trigger === "time-back") { return [Math.max(0, value - 1), true, PLAY]; }
            if (trigger === "time-forward") { return [Math.min(max, value + 1), true, PLAY]; }
            if (trigger === "time-prev-event") { return [before(value), true, PLAY]; }
            if (trigger === "time-next-event") { return [after(value), true, PLAY]; }
            if (trigger === "time-play") {
                if (!paused) { return [nu, true, PLAY]; }
                return [value >= max ? (speed === "events" ? (months[0] || 0) : 0) : nu, false, PAUSE];
            }
            if (trigger === "time-tick") {
                if (paused || value >= max) { return [nu, true, PLAY]; }
                var next = speed === "events" ? after(value) : value + 1;
                return [next, next >= max, next >= max ? PLAY : PAUSE];
            }
            return [nu, nu, nu];
        },
        // Play's pause between months for the chosen speed.
        speed: function (speed, events) {
            var speeds = (events && events.speeds) || {};
            return speeds[speed] || speeds.normal || 1100;
        },
        // The chosen month in words, and the timeline's later events dimmed, the latest shown one scrolled to.
        label: function (value, labels) {
            var months = Object.keys(labels || []).length;
            var index = typeof value === "number" ? value : months - 1;
            var strip = document.getElementById("timeline");
            if (strip && labels) {
                var items = strip.querySelectorAll(".timeline-item");
                var month = (strip.dataset.months || "").split(",")[index] || "9999";
                var last = null;
                items.forEach(function (item) {
                    var later = item.dataset.month > month;
                    item.classList.toggle("later", later);
                    if (!later) { last = item; }
                });
                if (last && strip.scrollWidth > strip.clientWidth) {
                    strip.scrollTo({left: Math.max(0, last.offsetLeft - strip.clientWidth + last.offsetWidth + 24)});
                }
            }
            // The time chart's chosen month: the same bar of every row outlined.
            document.querySelectorAll("#time-chart .time-bars").forEach(function (row) {
                Array.prototype.forEach.call(row.children, function (bar, at) {
                    bar.classList.toggle("now", at === index);
                });
            });
            return [labels ? labels[index] : "", index];
        },
    },
});
