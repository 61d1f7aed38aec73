// Accessibility repairs of markup that Dash 4's own components render and take no props for, and the records
// grid's links opened with Enter. Kept in a file: the page's policy allows no inline scripts. Every repair only
// writes an attribute that differs from what it wants, so re-applying it on each change of the page settles at once.
(function () {
    "use strict";

    function set(element, name, value) {
        if (element.getAttribute(name) !== value) {
            element.setAttribute(name, value);
        }
    }

    function unset(element, name) {
        if (element.hasAttribute(name)) {
            element.removeAttribute(name);
        }
    }

    // The text of the <label for=…> of a dropdown's button: the name of its popup and of the list in it.
    function dropdownName(element) {
        var wrapper = element.closest(".dash-dropdown-wrapper");
        var button = wrapper && wrapper.querySelector("button.dash-dropdown");
        var label = button && button.id && document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
        return label ? label.textContent.trim() : "";
    }

    function repair() {
        // Checklists, radio items and a dropdown's choices render role="listbox" around labels with role="option"
        // that hold the real checkbox or radio button: a control nested in a control, and a listbox with no name.
        // The native inputs say everything themselves: drop the roles. A checklist's group is named by its
        // fieldset's legend; a dropdown's list becomes a group named after the dropdown.
        document.querySelectorAll(".dash-options-list[role='listbox']").forEach(function (list) {
            var name = list.closest(".dash-dropdown-content") ? dropdownName(list) : "";
            if (name) {
                set(list, "role", "group");
                set(list, "aria-label", name);
            } else {
                unset(list, "role");
            }
        });
        document.querySelectorAll(".dash-options-list-option[role], .dash-options-list-option[aria-selected]")
            .forEach(function (option) {
                unset(option, "role");
                unset(option, "aria-selected");
            });
        // The dropdown puts an aria-hidden input in the tab order to pass focus on to its button (for Safari):
        // a hidden element that takes focus. The button itself becomes the tab stop; its popup is a named dialog.
        document.querySelectorAll(".dash-dropdown-focus-target").forEach(function (target) {
            set(target, "tabindex", "-1");
        });
        document.querySelectorAll("button.dash-dropdown").forEach(function (button) {
            set(button, "tabindex", button.disabled ? "-1" : "0");
            set(button, "aria-haspopup", "dialog");
        });
        // The dropdown's "Clear selection" is an <a> without an address (a link to nowhere for crawlers and screen
        // readers): it acts as a button inside the dropdown's button, reached with the mouse.
        document.querySelectorAll("a.dash-dropdown-clear:not([href])").forEach(function (clear) {
            set(clear, "role", "button");
        });
        document.querySelectorAll(".dash-dropdown-content[role='dialog']").forEach(function (dialog) {
            var name = dropdownName(dialog);
            if (name) {
                set(dialog, "aria-label", name);
            }
        });
        // A slider's handle is named by the group around it (aria-labelledby) and tells its value in the words of
        // the group's <output> ("March 2020", not "38").
        document.querySelectorAll("[role='slider']").forEach(function (thumb) {
            var group = thumb.parentElement && thumb.parentElement.closest("[aria-labelledby]");
            if (group && !thumb.hasAttribute("aria-label")) {
                set(thumb, "aria-labelledby", group.getAttribute("aria-labelledby"));
            }
            var output = group && group.querySelector("output");
            var words = output ? output.textContent.trim() : "";
            if (words) {
                set(thumb, "aria-valuetext", words);
            }
        });
    }

    // The records grid is one tab stop (arrow keys move between its cells): Enter on a cell holding a link opens it.
    document.addEventListener("keydown", function (event) {
        if (event.key !== "Enter" || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
            return;
        }
        var cell = event.target.closest && event.target.closest(".ag-cell");
        var link = cell && event.target === cell && cell.querySelector("a[href]");
        if (link) {
            event.preventDefault();
            link.click();
        }
    });

    function start() {
        repair();
        new MutationObserver(repair).observe(document.body, {
            subtree: true,
            childList: true,
            characterData: true,
            attributes: true,
            attributeFilter: ["role", "aria-selected", "tabindex", "aria-haspopup", "aria-valuenow"],
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
