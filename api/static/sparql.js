// hubgraph query page: light editor help for the SPARQL textarea.
// Tab / Shift-Tab indent, Enter keeps indentation, Ctrl/Cmd-Enter runs, examples load on click.
(function () {
  "use strict";
  var INDENT = "  ";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    var area = document.getElementById("query");
    var form = document.getElementById("query-form");
    if (!area || !form) { return; }

    function replace(start, end, text, caret) {
      area.setRangeText(text, start, end, "end");
      if (typeof caret === "number") { area.selectionStart = area.selectionEnd = caret; }
    }

    area.addEventListener("keydown", function (ev) {
      var start = area.selectionStart, end = area.selectionEnd, value = area.value;
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.submit();
        return;
      }
      if (ev.key === "Tab") {
        ev.preventDefault();
        var lineStart = value.lastIndexOf("\n", start - 1) + 1;
        if (start === end && !ev.shiftKey) {
          replace(start, end, INDENT);
          return;
        }
        var block = value.slice(lineStart, end);
        var lines = block.split("\n");
        var changed = lines.map(function (line) {
          if (!ev.shiftKey) { return INDENT + line; }
          return line.indexOf(INDENT) === 0 ? line.slice(INDENT.length) : line.replace(/^ /, "");
        }).join("\n");
        area.setRangeText(changed, lineStart, end, "select");
        return;
      }
      if (ev.key === "Enter" && !ev.shiftKey && !ev.altKey) {
        var ls = value.lastIndexOf("\n", start - 1) + 1;
        var indent = /^[ \t]*/.exec(value.slice(ls, start))[0];
        if (/\{\s*$/.test(value.slice(ls, start))) { indent += INDENT; }
        ev.preventDefault();
        replace(start, end, "\n" + indent);
      }
    });

    var links = document.querySelectorAll("a.example[data-query]");
    Array.prototype.forEach.call(links, function (link) {
      link.addEventListener("click", function (ev) {
        if (ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button !== 0) { return; }
        ev.preventDefault();
        area.value = link.getAttribute("data-query");
        area.focus();
        area.selectionStart = area.selectionEnd = 0;
        window.scrollTo(0, 0);
      });
    });
  });
}());
