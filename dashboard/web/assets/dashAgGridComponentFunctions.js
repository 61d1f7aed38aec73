// Cell renderers for the records grid (dash-ag-grid looks them up by name).
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

// A link to the record's source, in a new tab; only http(s) addresses become links.
dagcomponentfuncs.SourceLink = function (props) {
    var url = String(props.value || "");
    var label = (props.data && props.data.source_label) || url;
    if (!/^https?:\/\//.test(url)) {
        return React.createElement("span", null, label);
    }
    return React.createElement("a", {href: url, target: "_blank", rel: "noopener noreferrer"}, label);
};
