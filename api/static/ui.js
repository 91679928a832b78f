/* hubgraph web UI: search suggestions as you type (from /api/search) and the
   "new connections only" switch. Text goes in with textContent, never as HTML. */
(function () {
  "use strict";
  var TYPES = {person: "person", organization: "org", paper: "paper", trial: "trial", device: "device",
               grant: "grant", patent: "patent"};

  function pageOf(hit) {
    var path = hit.uri.replace(/^https?:\/\/[^\/]+/, "");
    if (hit.type === "topic") { return "/topic/" + encodeURIComponent(hit.uri.split("/").pop()); }
    var at = path.indexOf("/" + TYPES[hit.type] + "/");
    return at >= 0 ? path.slice(at) : "/id" + path.slice(path.indexOf("/id/") + 3);
  }

  function attach(form) {
    var input = form.querySelector(".search-input"), list = form.querySelector(".suggestions");
    var timer = null, seq = 0;
    function show(hits) {
      list.textContent = "";
      hits.forEach(function (hit) {
        var li = document.createElement("li"), a = document.createElement("a"), type = document.createElement("span");
        a.href = pageOf(hit);
        a.textContent = hit.label;
        type.className = "type";
        type.textContent = hit.type;
        a.appendChild(type);
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = hits.length === 0;
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      var q = input.value.trim();
      if (q.length < 2) { show([]); return; }
      timer = setTimeout(function () {
        var mine = ++seq;
        fetch("/api/search?limit=8&q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
          .then(function (r) { return r.ok ? r.json() : {hits: []}; })
          .then(function (data) { if (mine === seq) { show(data.hits || []); } });
      }, 120);
    });
    form.addEventListener("submit", function (event) {
      var first = list.querySelector("a");
      event.preventDefault();
      if (first) { window.location.href = first.href; }
    });
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) { list.hidden = true; } });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.search"), attach);
    var newOnly = document.getElementById("new-only");
    if (newOnly) {
      newOnly.addEventListener("change", function () {
        Array.prototype.forEach.call(document.querySelectorAll("ol.suggested > li"), function (li) {
          li.hidden = newOnly.checked && li.getAttribute("data-new") !== "1";
        });
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
