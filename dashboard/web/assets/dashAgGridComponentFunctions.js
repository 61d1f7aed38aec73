// Cell renderers for the records grid (dash-ag-grid looks them up by name).
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

// A link to the record's source, in a new tab; only http(s) addresses become links. The link is no tab stop of its
// own: the grid is one (arrow keys move between cells), and Enter on the cell opens the link (assets/a11y.js).
dagcomponentfuncs.SourceLink = function (props) {
    var url = String(props.value || "");
    var label = (props.data && props.data.source_label) || url;
    if (!/^https?:\/\//.test(url)) {
        return React.createElement("span", null, label);
    }
    return React.createElement("a", {href: url, target: "_blank", rel: "noopener noreferrer", tabIndex: -1}, label);
};
