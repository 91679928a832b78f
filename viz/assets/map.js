/* hubgraph maps: draws each .hg-map with vis-network. Labels are drawn on the canvas and
   hover cards are written with textContent, so no name is ever parsed as HTML. */
(function () {
  "use strict";
  var maps = window.hubgraphMaps = [];

  function yearOut(item, from, to) {
    if (from === null) { return false; }
    var first = item.first, last = item.last;
    if (first === undefined && last === undefined) { return false; }
    if (first === undefined) { first = last; }
    if (last === undefined) { last = first; }
    return last < from || first > to;
  }

  function init(root) {
    var data = JSON.parse(root.querySelector("script.hg-map-data").textContent);
    var nodes = new vis.DataSet(data.nodes.map(function (n) {
      var node = Object.assign({}, n);
      if (n.focus) { node.borderWidth = 4; }
      if (data.layout === "fixed") { node.fixed = n.x !== undefined; }
      return node;
    }));
    var edges = new vis.DataSet(data.edges.map(function (e, i) {
      var edge = Object.assign({id: "e" + i}, e);
      if (e.bridge) { edge.color = {color: "#f58518", highlight: "#c45a00"}; edge.dashes = true; }
      return edge;
    }));
    var physics = data.layout !== "fixed";
    var options = {
      groups: data.groups,
      nodes: {shape: "dot", scaling: {min: 8, max: 36, label: {enabled: true, min: 11, max: 20, drawThreshold: 6}},
              font: {size: 12, color: "#222"}},
      edges: {scaling: {min: 1, max: 9}, smooth: false, color: {color: "#b8c0c8", highlight: "#444", hover: "#444"}},
      interaction: {hover: true, tooltipDelay: 150, navigationButtons: false},
      physics: physics ? {
        solver: data.layout === "layered" ? "hierarchicalRepulsion" : "barnesHut",
        barnesHut: {gravitationalConstant: -6000, springLength: 110, damping: 0.3},
        stabilization: {enabled: true, iterations: 200, updateInterval: 100, fit: true}
      } : false,
      layout: data.layout === "layered"
        ? {hierarchical: {direction: "LR", sortMethod: "directed", levelSeparation: 320, nodeSpacing: 60}}
        : {improvedLayout: data.nodes.length <= 100, randomSeed: 7}
    };
    var canvas = root.querySelector(".hg-canvas");
    var network = new vis.Network(canvas, {nodes: nodes, edges: edges}, options);
    var state = {root: root, data: data, nodes: nodes, edges: edges, network: network,
                 started: performance.now(), stabilizedMs: null};
    maps.push(state);

    function stable() {
      if (state.stabilizedMs !== null) { return; }
      state.stabilizedMs = performance.now() - state.started;
      network.setOptions({physics: false});
      root.setAttribute("data-state", "stable");
    }
    if (physics) {
      network.once("stabilizationIterationsDone", stable);
      network.once("stabilized", stable);
    } else {
      network.once("afterDrawing", function () { network.fit(); stable(); });
    }

    var from = root.querySelector(".hg-year-from"), to = root.querySelector(".hg-year-to");
    var toggles = Array.prototype.slice.call(root.querySelectorAll(".hg-toggle"));
    function filter() {
      var lo = from ? parseInt(from.value, 10) : null, hi = to ? parseInt(to.value, 10) : null;
      if (isNaN(lo) || isNaN(hi)) { lo = null; hi = null; }
      var off = {};
      toggles.forEach(function (t) { if (!t.checked) { off[t.value] = true; } });
      nodes.update(nodes.get().map(function (n) {
        return {id: n.id, hidden: !n.focus && (off[n.group] === true || yearOut(n, lo, hi))};
      }));
      edges.update(edges.get().map(function (e) {
        return {id: e.id, hidden: yearOut(e, lo, hi)};
      }));
      root.setAttribute("data-visible", String(nodes.get({filter: function (n) { return !n.hidden; }}).length));
    }
    [from, to].forEach(function (input) { if (input) { input.addEventListener("input", filter); } });
    toggles.forEach(function (t) { t.addEventListener("change", filter); });
    root.setAttribute("data-visible", String(data.nodes.length));

    var card = root.querySelector(".hg-card");
    network.on("hoverNode", function (params) {
      var node = nodes.get(params.node);
      card.textContent = "";
      var title = document.createElement("strong");
      title.textContent = node.label;
      card.appendChild(title);
      (node.facts || []).forEach(function (fact) {
        var line = document.createElement("div");
        line.textContent = fact;
        card.appendChild(line);
      });
      if (node.url) {
        var hint = document.createElement("div");
        hint.className = "hg-hint";
        hint.textContent = "click to open";
        card.appendChild(hint);
      }
      card.style.left = (canvas.offsetLeft + params.pointer.DOM.x + 14) + "px";
      card.style.top = (canvas.offsetTop + params.pointer.DOM.y + 14) + "px";
      card.hidden = false;
    });
    network.on("blurNode", function () { card.hidden = true; });

    var expandUrl = root.getAttribute("data-expand");
    function mode() {
      var checked = root.querySelector(".hg-click input:checked");
      return checked ? checked.value : "open";
    }
    function expand(id) {
      fetch(expandUrl + "?node=" + encodeURIComponent(id), {headers: {"Accept": "application/json"}})
        .then(function (r) { if (!r.ok) { throw new Error("expand failed: " + r.status); } return r.json(); })
        .then(function (more) {
          more.nodes.forEach(function (n) { if (!nodes.get(n.id)) { nodes.add(n); } });
          more.edges.forEach(function (e) {
            var same = edges.get({filter: function (o) {
              return (o.from === e.from && o.to === e.to) || (o.from === e.to && o.to === e.from);
            }});
            if (!same.length) { edges.add(Object.assign({id: "x" + e.from + "|" + e.to}, e)); }
          });
          root.setAttribute("data-expanded", String(nodes.length));
          network.setOptions({physics: {enabled: true, stabilization: {iterations: 150}}});
          network.stabilize(150);
          network.once("stabilized", function () { network.setOptions({physics: false}); });
        })
        .catch(function (err) { root.setAttribute("data-error", String(err)); });
    }
    network.on("click", function (params) {
      if (!params.nodes.length) { return; }
      var node = nodes.get(params.nodes[0]);
      if (expandUrl && mode() === "expand") { expand(node.id); }
      else if (node.url) { window.location.href = node.url; }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".hg-map"), init);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
