import ShrikeCore

/// Renders a timeline as one self-contained HTML file: inline CSS and JavaScript, no network, no external scripts.
///
/// The timeline's JSON is embedded in a `<script type="application/json">` element (escaped so it cannot close the
/// element) and the page's script builds the lanes from it with `textContent` only, so hostile file names, command
/// lines and alert outputs are shown as text, never parsed as markup. A Content-Security-Policy forbids every
/// network fetch.
public enum TimelineHTMLRenderer {
    public static func render(_ timeline: Timeline) throws -> String {
        let json = HTMLEscaping.scriptJSON(try TimelineJSONRenderer.render(timeline, pretty: false))
        let title = HTMLEscaping.text("Shrike incident \(timeline.incident.id) — \(timeline.incident.firstRule)")
        let scope = HTMLEscaping.text(timeline.incident.scope.description)
        return template
            .replacingOccurrences(of: "@@TITLE@@", with: title)
            .replacingOccurrences(of: "@@SCOPE@@", with: scope)
            .replacingOccurrences(of: "@@DATA@@", with: json)
    }

    // The data goes in last, so placeholders inside event text are never substituted.
    static let template = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@@TITLE@@</title>
<style>
:root { --bg:#fbfbfa; --fg:#1d1f21; --dim:#6b7075; --line:#dcdcdc; --proc:#2f7d32; --file:#0b6e99; --net:#8e3fa8; --alert:#c62828; --other:#5c6bc0; }
* { box-sizing: border-box; }
body { margin:0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:var(--bg); }
header { padding:12px 16px; border-bottom:1px solid var(--line); background:#fff; }
header h1 { font-size:16px; margin:0 0 4px; }
header .meta { color:var(--dim); }
.prio { color:#fff; background:var(--alert); border-radius:3px; padding:1px 6px; font-weight:600; margin-right:6px; }
#toolbar { padding:6px 16px; display:flex; gap:8px; align-items:center; border-bottom:1px solid var(--line); background:#fff; position:sticky; top:0; z-index:5; }
#toolbar button { font:inherit; padding:2px 10px; }
#main { display:flex; min-height:calc(100vh - 110px); }
#chart { flex:1; overflow:auto; position:relative; }
#detail { width:360px; border-left:1px solid var(--line); padding:10px 12px; background:#fff; overflow:auto; }
#detail h2 { font-size:14px; margin:0 0 8px; }
#detail dl { margin:0; display:grid; grid-template-columns:max-content 1fr; gap:2px 10px; }
#detail dt { color:var(--dim); }
#detail dd { margin:0; word-break:break-all; font-family: ui-monospace, monospace; }
.grid { position:relative; }
.axis { position:sticky; top:0; height:24px; background:var(--bg); border-bottom:1px solid var(--line); z-index:3; }
.tick { position:absolute; top:0; height:100%; border-left:1px solid var(--line); padding-left:3px; color:var(--dim); font-size:11px; white-space:nowrap; }
.lanehead { background:#eef0f2; font-weight:600; padding:2px 0; border-top:1px solid var(--line); }
.lanehead span { position:sticky; left:8px; z-index:2; }
.row { position:relative; height:22px; border-bottom:1px dashed #eee; }
.label { position:sticky; left:0; z-index:2; display:inline-block; max-width:320px; overflow:hidden; text-overflow:ellipsis; white-space:nowrap; background:rgba(251,251,250,.92); padding:2px 6px; font-family: ui-monospace, monospace; font-size:12px; }
.bar { position:absolute; top:5px; height:12px; border-radius:3px; background:rgba(47,125,50,.25); border:1px solid var(--proc); cursor:pointer; }
.bar.alerted { background:rgba(198,40,40,.25); border-color:var(--alert); }
.mark { position:absolute; top:3px; width:9px; height:16px; margin-left:-4px; border-radius:2px; cursor:pointer; opacity:.85; }
.mark:hover, .bar:hover, .selected { outline:2px solid #000; }
.mark[data-lane="process"] { background:var(--proc); }
.mark[data-lane="file"] { background:var(--file); }
.mark[data-lane="network"] { background:var(--net); }
.mark[data-lane="other"] { background:var(--other); }
.mark[data-lane="alert"] { background:var(--alert); width:11px; }
.mark.failed { opacity:.45; border:1px dashed #000; }
.alertline { position:absolute; top:0; bottom:0; border-left:2px solid var(--alert); opacity:.35; pointer-events:none; z-index:1; }
table { border-collapse:collapse; width:100%; }
#list { padding:8px 16px 24px; }
#list h2 { font-size:14px; }
#list td { border-bottom:1px solid #eee; padding:2px 6px; vertical-align:top; font-family: ui-monospace, monospace; font-size:12px; }
#list tr { cursor:pointer; }
#list tr:hover { background:#f0f4f8; }
.k-alert { color:var(--alert); font-weight:600; } .k-file { color:var(--file); } .k-network { color:var(--net); } .k-process { color:var(--proc); } .k-other { color:var(--other); }
</style>
</head>
<body>
<header>
<h1>@@TITLE@@</h1>
<div class="meta">@@SCOPE@@ · <span id="summary"></span></div>
</header>
<div id="toolbar">
<button id="zoomout" title="Zoom out (or Ctrl+wheel)">−</button>
<button id="zoomin" title="Zoom in (or Ctrl+wheel)">+</button>
<button id="fit" title="Zoom to the events">Fit events</button>
<button id="whole" title="The whole before/after window">Whole window</button>
<span id="scale" class="meta"></span>
<label><input type="checkbox" id="onlyFailed"> failed only</label>
</div>
<div id="main">
<div id="chart"><div class="grid" id="grid"></div></div>
<aside id="detail"><h2>Details</h2><p class="meta">Click a bar or a mark to see what happened.</p></aside>
</div>
<section id="list"><h2>All notable events</h2><table id="entries"></table></section>
<script type="application/json" id="timeline-data">@@DATA@@</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("timeline-data").textContent);
  function t(s) { var ms = Date.parse(s.slice(0, 19) + "Z"); var frac = s.length > 21 ? parseFloat("0" + s.slice(19, -1)) : 0; return ms / 1000 + frac; }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  var inc = data.incident;
  var t0 = t(inc.start), t1 = Math.max(t(inc.end), t0 + 0.001), origin = t(inc.openedAt);
  var labelWidth = 330, pxPerSecond = 1;
  var chart = document.getElementById("chart"), grid = document.getElementById("grid");
  document.getElementById("summary").textContent = inc.alertCount + " alert(s), " + inc.eventCount + " events, " + inc.start + " … " + inc.end + (inc.droppedEvents ? ", " + inc.droppedEvents + " dropped" : "");
  function rel(s) { var d = t(s) - origin; return (d >= 0 ? "+" : "−") + Math.abs(d).toFixed(3) + " s"; }
  function x(s) { return labelWidth + (t(s) - t0) * pxPerSecond; }
  var selected = null;
  function show(title, fields) {
    var d = document.getElementById("detail");
    d.textContent = "";
    d.appendChild(el("h2", null, title));
    var dl = el("dl");
    Object.keys(fields).forEach(function (k) {
      var v = fields[k];
      if (v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length)) return;
      dl.appendChild(el("dt", null, k));
      dl.appendChild(el("dd", null, typeof v === "object" ? JSON.stringify(v) : String(v)));
    });
    d.appendChild(dl);
  }
  function select(node, title, fields) { if (selected) selected.classList.remove("selected"); selected = node; if (node) node.classList.add("selected"); show(title, fields); }
  var byPid = {}; data.processes.forEach(function (p) { byPid[p.pid] = p; });
  var order = [], seen = {};
  function walk(pid, depth) { if (seen[pid] || !byPid[pid]) return; seen[pid] = 1; order.push([byPid[pid], depth]); byPid[pid].children.forEach(function (c) { walk(c, depth + 1); }); }
  data.roots.forEach(function (r) { walk(r, 0); });
  data.processes.forEach(function (p) { walk(p.pid, 0); });
  function processFields(p) { return { pid: p.pid, ppid: p.ppid, command: p.commandLine, exe: p.exe, cwd: p.cwd, uid: p.uid, gid: p.gid, loginuid: p.loginuid, container: p.container, start: p.start + (p.startedBeforeWindow ? " (running before the window)" : ""), exit: p.exit, "exit code": p.exitCode, "exit signal": p.exitSignal, execs: p.execs.map(function (e) { return e.commandLine; }), alerts: p.alertRules, events: p.eventCount }; }
  function entryFields(e) { return { time: e.time + " (" + rel(e.time) + ")", lane: e.lane, kind: e.kind, what: e.summary, syscall: e.syscall, process: e.process + " (" + e.pid + ")", failed: e.failed ? "yes" : "" }; }
  var onlyFailed = document.getElementById("onlyFailed");
  function draw() {
    grid.textContent = "";
    var width = labelWidth + (t1 - t0) * pxPerSecond + 40;
    grid.style.width = width + "px";
    var axis = el("div", "axis"); axis.style.width = width + "px"; grid.appendChild(axis);
    var span = t1 - t0, target = 100 / pxPerSecond, steps = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600];
    var step = steps.filter(function (s) { return s >= target; })[0] || 600;
    for (var s = Math.ceil((t0 - origin) / step) * step; origin + s <= t1; s += step) {
      var tick = el("div", "tick", (s >= 0 ? "+" : "−") + Math.abs(s).toFixed(step < 1 ? 3 : 0) + "s");
      tick.style.left = (labelWidth + (origin + s - t0) * pxPerSecond) + "px"; axis.appendChild(tick);
    }
    document.getElementById("scale").textContent = "window " + span.toFixed(1) + " s, " + pxPerSecond.toFixed(pxPerSecond < 10 ? 2 : 0) + " px/s";
    grid.appendChild(laneHead("Processes"));
    order.forEach(function (pair) {
      var p = pair[0], row = el("div", "row"); row.setAttribute("data-lane-row", "process");
      var label = el("span", "label", "\u00a0".repeat(pair[1] * 2) + p.name + " (" + p.pid + ") " + p.commandLine); label.title = p.commandLine; row.appendChild(label);
      var bar = el("div", "bar" + (p.alerted ? " alerted" : ""));
      bar.setAttribute("data-lane", "process"); bar.setAttribute("data-pid", String(p.pid));
      var a = p.startedBeforeWindow ? x(inc.start) : x(p.start), b = p.exit ? x(p.exit) : x(inc.end);
      bar.style.left = a + "px"; bar.style.width = Math.max(b - a, 3) + "px"; bar.title = p.commandLine;
      bar.addEventListener("click", function () { select(bar, "Process " + p.pid, processFields(p)); });
      row.appendChild(bar);
      data.entries.forEach(function (e) {
        if (e.pid !== p.pid || e.lane !== "process") return;
        row.appendChild(mark(e));
      });
      grid.appendChild(row);
    });
    [["file", "Files"], ["network", "Network"], ["other", "Privileges, signals, mounts"], ["alert", "Alerts"]].forEach(function (lane) {
      var items = data.entries.filter(function (e) { return e.lane === lane[0] && (!onlyFailed.checked || e.failed || lane[0] === "alert"); });
      if (!items.length) return;
      grid.appendChild(laneHead(lane[1] + " (" + items.length + ")"));
      var rows = {};
      items.forEach(function (e) {
        var key = lane[0] === "alert" ? "alerts" : e.kind;
        if (!rows[key]) { rows[key] = el("div", "row"); rows[key].appendChild(el("span", "label", key)); grid.appendChild(rows[key]); }
        rows[key].appendChild(mark(e));
      });
    });
    data.alerts.forEach(function (a) { var line = el("div", "alertline"); line.style.left = x(a.time) + "px"; grid.appendChild(line); });
  }
  function laneHead(text) { var head = el("div", "lanehead"); head.appendChild(el("span", null, text)); return head; }
  function mark(e) {
    var m = el("div", "mark" + (e.failed ? " failed" : ""));
    m.setAttribute("data-lane", e.lane); m.setAttribute("data-kind", e.kind);
    m.style.left = x(e.time) + "px"; m.title = e.kind + ": " + e.summary;
    m.addEventListener("click", function (ev) { ev.stopPropagation(); select(m, e.kind + " · " + e.process + " (" + e.pid + ")", entryFields(e)); });
    return m;
  }
  function fitRange(a, b) {
    pxPerSecond = Math.min(Math.max((chart.clientWidth - labelWidth - 60) / Math.max(b - a, 0.001), 0.01), 1e6); draw();
    chart.scrollLeft = (a - t0) * pxPerSecond;
  }
  function whole() { fitRange(t0, t1); }
  function fit() {
    var times = data.entries.map(function (e) { return t(e.time); });
    if (!times.length) return whole();
    var a = times.reduce(function (m, v) { return Math.min(m, v); }, Infinity), b = times.reduce(function (m, v) { return Math.max(m, v); }, -Infinity), pad = Math.max((b - a) * 0.05, 0.5);
    fitRange(Math.max(a - pad, t0), Math.min(b + pad, t1));
  }
  function zoom(f, cx) {
    var anchor = cx === undefined ? chart.clientWidth / 2 : cx;
    var at = (chart.scrollLeft + anchor - labelWidth) / pxPerSecond;
    pxPerSecond = Math.min(Math.max(pxPerSecond * f, 0.01), 1e6); draw();
    chart.scrollLeft = at * pxPerSecond + labelWidth - anchor;
  }
  document.getElementById("zoomin").addEventListener("click", function () { zoom(2); });
  document.getElementById("zoomout").addEventListener("click", function () { zoom(0.5); });
  document.getElementById("fit").addEventListener("click", fit);
  document.getElementById("whole").addEventListener("click", whole);
  onlyFailed.addEventListener("change", draw);
  chart.addEventListener("wheel", function (ev) { if (!ev.ctrlKey) return; ev.preventDefault(); zoom(ev.deltaY < 0 ? 1.25 : 0.8, ev.clientX - chart.getBoundingClientRect().left); }, { passive: false });
  var table = document.getElementById("entries");
  data.entries.forEach(function (e) {
    var tr = el("tr");
    tr.appendChild(el("td", null, rel(e.time)));
    tr.appendChild(el("td", null, "\u00a0".repeat(e.depth * 2) + e.process + "(" + e.pid + ")"));
    tr.appendChild(el("td", "k-" + e.lane, e.kind));
    tr.appendChild(el("td", null, e.summary + (e.failed ? " [failed]" : "")));
    tr.addEventListener("click", function () { select(null, e.kind + " · " + e.process + " (" + e.pid + ")", entryFields(e)); });
    table.appendChild(tr);
  });
  if (data.entriesOmitted) { var more = el("tr"); more.appendChild(el("td", null, data.entriesOmitted + " more entries omitted")); table.appendChild(more); }
  fit();
  if (data.alerts.length) { var a = data.alerts[0]; show("Alert · " + a.rule, { time: a.time, priority: a.priority, rule: a.rule, output: a.output, process: a.process + " (" + a.pid + ")", tags: a.tags }); }
})();
</script>
</body>
</html>
"""#
}

import Foundation
