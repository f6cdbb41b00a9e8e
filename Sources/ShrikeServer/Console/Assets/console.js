// Shrike console: the live feed, the incident axis's zoom and pan, and "copy as JSON". Every page reads without it.
// Text from agents is only ever set with textContent, never parsed as markup.
"use strict";
(function () {
  var incidentPattern = /^inc-\d{8}-\d{6}-[0-9a-f]{6}$/;

  function cell(row, text, className) {
    var td = document.createElement("td");
    if (className) td.className = className;
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function liveFeed() {
    var live = document.getElementById("live");
    var table = document.getElementById("alerts");
    if (!live || !table || !window.EventSource) return;
    var body = table.tBodies[0];
    var source = new EventSource(live.getAttribute("data-stream"));
    source.addEventListener("alert", function (event) {
      var alert;
      try { alert = JSON.parse(event.data); } catch (e) { return; }
      var row = document.createElement("tr");
      row.className = "alert fresh";
      row.setAttribute("data-id", alert.id || "");
      cell(row, alert.time || "", "t");
      cell(row, alert.priority || "", alert.priorityClass || "");
      cell(row, alert.rule || "");
      cell(row, alert.host || "");
      var where = cell(row, alert.container || "");
      if (alert.image) {
        where.appendChild(document.createElement("br"));
        var image = document.createElement("span");
        image.className = "dim";
        image.textContent = alert.image;
        where.appendChild(image);
      }
      cell(row, alert.output || "", "out");
      var incident = cell(row, "");
      if (alert.incident && incidentPattern.test(alert.incident)) {
        var link = document.createElement("a");
        link.className = "incident";
        link.href = "/incidents/" + encodeURIComponent(alert.incident);
        link.textContent = alert.incident;
        incident.appendChild(link);
      }
      body.insertBefore(row, body.firstChild);
      var none = document.getElementById("none");
      if (none) none.remove();
      while (body.rows.length > 500) body.deleteRow(body.rows.length - 1);
    });
    source.addEventListener("open", function () { live.textContent = "Live: new alerts appear at the top."; });
    source.addEventListener("error", function () { live.textContent = "Live feed reconnecting…"; });
  }

  // Each incident on the page (one, or several side by side) has its own axis, buttons and "copy as JSON".
  function axisZoom(root) {
    var svg = root.querySelector("svg.axis");
    if (!svg) return;
    var full = 1000, view = { x: 0, w: full };
    function apply() { svg.setAttribute("viewBox", view.x.toFixed(2) + " 0 " + view.w.toFixed(2) + " 150"); }
    function zoom(factor, centre) {
      var c = centre === undefined ? view.x + view.w / 2 : centre;
      var w = Math.min(full, Math.max(5, view.w * factor));
      view.x = Math.min(full - w, Math.max(0, c - (c - view.x) * (w / view.w)));
      view.w = w;
      apply();
    }
    function button(name, action) {
      var found = root.querySelector("button." + name);
      if (!found) return;
      found.hidden = false;
      found.addEventListener("click", action);
    }
    button("zoomin", function () { zoom(0.5); });
    button("zoomout", function () { zoom(2); });
    button("reset", function () { view = { x: 0, w: full }; apply(); });
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var box = svg.getBoundingClientRect();
      var centre = view.x + (event.clientX - box.left) / box.width * view.w;
      zoom(event.deltaY < 0 ? 0.8 : 1.25, centre);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (event) { drag = { x: event.clientX, start: view.x }; });
    window.addEventListener("pointerup", function () { drag = null; });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var box = svg.getBoundingClientRect();
      var dx = (event.clientX - drag.x) / box.width * view.w;
      view.x = Math.min(full - view.w, Math.max(0, drag.start - dx));
      apply();
    });
  }

  function copyJSON(root) {
    var button = root.querySelector("button.copyjson");
    var source = root.getAttribute("data-json");
    if (!button || !source) return;
    button.hidden = false;
    var note = root.querySelector(".copied");
    button.addEventListener("click", function () {
      fetch(source, { credentials: "same-origin" })
        .then(function (response) { return response.text(); })
        .then(function (text) {
          if (navigator.clipboard && navigator.clipboard.writeText) return navigator.clipboard.writeText(text);
          throw new Error("no clipboard");
        })
        .then(function () { note.textContent = "copied"; },
              function () { note.textContent = "copy failed: use the JSON link"; });
    });
  }

  function incidents() {
    var all = document.querySelectorAll("article.incident");
    for (var i = 0; i < all.length; i++) { axisZoom(all[i]); copyJSON(all[i]); }
  }

  document.addEventListener("DOMContentLoaded", function () { liveFeed(); incidents(); });
})();
