import ShrikeCore

/// `shrike analyze -o html`: one self-contained page (inline CSS and JavaScript, no network) with the summary, the
/// layers, the findings, a tree view with sizes and a treemap of the final tree.
///
/// The report's JSON goes into a `<script type="application/json">` element, escaped so it cannot end the element;
/// the page builds everything from it with `textContent`, so paths and commands from the image are shown as text and
/// never parsed as markup. A Content-Security-Policy forbids every fetch. The tree is the report's bounded view.
public enum AnalysisHTMLRenderer {
    public static func render(_ report: AnalysisReport) throws -> String {
        let data = HTMLEscaping.scriptJSON(try AnalysisJSONRenderer.render(report))
        let title = HTMLEscaping.text("Shrike analyze — \(report.source.type):\(report.source.path)")
        // The data goes in last, so placeholders inside image text are never substituted.
        return template.replacingOccurrences(of: "@@TITLE@@", with: title).replacingOccurrences(of: "@@DATA@@", with: data)
    }

    static let template = #"""
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@@TITLE@@</title>
<style>
body { margin:0; font:13px/1.4 system-ui, sans-serif; color:#1d1f21; background:#fbfbfa; }
header { padding:12px 16px; background:#fff; border-bottom:1px solid #ddd; }
h1 { font-size:16px; margin:0 0 4px; } h2 { font-size:14px; margin:18px 0 6px; }
main { padding:0 16px 24px; }
table { border-collapse:collapse; width:100%; background:#fff; }
th, td { text-align:left; padding:3px 8px; border-bottom:1px solid #eee; vertical-align:top; }
td.n, th.n { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
code, .mono { font-family:ui-monospace, monospace; font-size:12px; word-break:break-all; }
.base { color:#6b7075; } .fix { color:#2f5f8f; }
.stat { display:inline-block; margin-right:18px; } .stat b { font-size:15px; }
#tree ul { list-style:none; padding-left:16px; margin:0; } #tree li { white-space:nowrap; }
#tree .toggle { cursor:pointer; user-select:none; display:inline-block; width:12px; }
#tree .size { display:inline-block; width:80px; text-align:right; margin-right:8px; color:#444; }
#treemap { position:relative; width:100%; height:480px; background:#fff; border:1px solid #ccc; }
#treemap div { position:absolute; box-sizing:border-box; border:1px solid #fff; overflow:hidden; font-size:11px;
  padding:1px 3px; color:#fff; white-space:nowrap; }
.note { color:#8a5300; }
</style>
</head>
<body>
<header><h1 id="title"></h1><div id="stats"></div></header>
<main>
<h2>Layers</h2><table id="layers"><thead><tr><th>#</th><th class="n">size</th><th class="n">visible</th><th class="n">added</th><th class="n">modified</th><th class="n">deleted</th><th>command</th></tr></thead><tbody></tbody></table>
<h2>Findings</h2><table id="findings"><thead><tr><th class="n">bytes</th><th>finding and fix</th></tr></thead><tbody></tbody></table>
<h2>Wasted bytes</h2><table id="waste"><thead><tr><th class="n">bytes</th><th>cause</th><th class="n">added by</th><th class="n">removed by</th><th>path</th></tr></thead><tbody></tbody></table>
<h2>Duplicates (not counted as waste)</h2><table id="dups"><thead><tr><th class="n">reclaimable</th><th class="n">copies</th><th>paths</th></tr></thead><tbody></tbody></table>
<h2>Final tree</h2><div id="tree" class="mono"></div>
<h2>Treemap of the final tree</h2><div id="treemap"></div>
<div id="notes"></div>
</main>
<script type="application/json" id="data">@@DATA@@</script>
<script>
(function () {
  "use strict";
  var r = JSON.parse(document.getElementById("data").textContent);
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined && text !== null) e.textContent = String(text); if (cls) e.className = cls; return e; }
  function human(b) { var u = ["B","kB","MB","GB","TB"], i = 0, v = b; while (Math.abs(v) >= 1000 && i < u.length - 1) { v /= 1000; i++; } return i === 0 ? b + " B" : (Math.round(v * 10) / 10) + " " + u[i]; }
  function row(tbody, cells) { var tr = el("tr"); cells.forEach(function (c) { var td = el("td", c.t, c.c); tr.appendChild(td); }); tbody.appendChild(tr); return tr; }
  document.getElementById("title").textContent = r.source.type + ":" + r.source.path + (r.distro ? "  (" + r.distro + " " + (r.distroVersion || "") + ")" : "");
  var stats = document.getElementById("stats");
  function stat(label, value) { var s = el("span", null, "stat"); s.appendChild(el("b", value)); s.appendChild(document.createTextNode(" " + label)); stats.appendChild(s); }
  if (r.summary) {
    stat("efficiency", (Math.round(r.summary.efficiency * 1000) / 10) + " %");
    stat("total", human(r.summary.totalBytes)); stat("wasted", human(r.summary.wastedBytes));
    stat("yours", human(r.summary.userWastedBytes)); stat("base", human(r.summary.baseWastedBytes));
    stat("base layers (" + r.base.method + ")", r.base.layerCount);
  } else { stat("files", r.finalFiles); stat("bytes", human(r.finalBytes)); }
  var lt = document.querySelector("#layers tbody");
  r.layers.forEach(function (l) {
    var tr = row(lt, [{t: l.index + (l.inBase ? " (base)" : "")}, {t: human(l.contentBytes), c: "n"}, {t: human(l.visibleBytes), c: "n"},
      {t: l.added, c: "n"}, {t: l.modified, c: "n"}, {t: l.deleted, c: "n"}, {t: l.createdBy || "", c: "mono"}]);
    if (l.inBase) tr.className = "base";
  });
  var ft = document.querySelector("#findings tbody");
  r.findings.forEach(function (f) {
    var tr = el("tr"); tr.appendChild(el("td", human(f.bytes), "n"));
    var td = el("td"); td.appendChild(el("div", f.kind + (f.inBase ? " (base)" : "") + ": " + f.title));
    td.appendChild(el("div", "fix: " + f.fix, "fix"));
    f.paths.slice(0, 5).forEach(function (p) { td.appendChild(el("div", p, "mono")); });
    tr.appendChild(td); ft.appendChild(tr);
  });
  var wt = document.querySelector("#waste tbody");
  r.waste.forEach(function (w) { row(wt, [{t: human(w.bytes), c: "n"}, {t: w.cause + (w.inBase ? " (base)" : "")}, {t: w.addedBy, c: "n"}, {t: w.removedBy, c: "n"}, {t: w.path + (w.files > 1 ? "  (" + w.files + " files)" : ""), c: "mono"}]); });
  var dt = document.querySelector("#dups tbody");
  r.duplicates.forEach(function (d) { row(dt, [{t: human(d.reclaimableBytes), c: "n"}, {t: d.count + " × " + human(d.size), c: "n"}, {t: d.paths.join("  "), c: "mono"}]); });
  function treeNode(n, depth) {
    var li = el("li"), kids = n.children || [];
    var t = el("span", kids.length ? (depth < 2 ? "▾" : "▸") : "", "toggle");
    li.appendChild(t); li.appendChild(el("span", human(n.size), "size")); li.appendChild(el("span", n.name + (n.directory && n.name !== "/" ? "/" : "")));
    if (kids.length) {
      var ul = el("ul"); ul.style.display = depth < 2 ? "" : "none";
      kids.forEach(function (k) { ul.appendChild(treeNode(k, depth + 1)); });
      li.appendChild(ul);
      t.addEventListener("click", function () { var open = ul.style.display === "none"; ul.style.display = open ? "" : "none"; t.textContent = open ? "▾" : "▸"; });
    }
    return li;
  }
  var root = el("ul"); root.appendChild(treeNode(r.tree, 0)); document.getElementById("tree").appendChild(root);
  var map = document.getElementById("treemap"), colors = ["#0b6e99", "#2f7d32", "#8e3fa8", "#c06014", "#5c6bc0", "#00897b"];
  function layout(n, x, y, w, h, depth, color) {
    var kids = (n.children || []).filter(function (k) { return k.size > 0; });
    if (depth > 0) {
      var box = el("div", n.name + " " + human(n.size)); box.title = n.name + " — " + human(n.size);
      box.style.left = x + "%"; box.style.top = y + "%"; box.style.width = w + "%"; box.style.height = h + "%";
      box.style.background = color; box.style.opacity = String(Math.max(0.35, 1 - depth * 0.18)); map.appendChild(box);
    }
    if (!kids.length || depth >= 4 || n.size <= 0) return;
    var horizontal = (depth % 2 === 0), offset = 0;
    kids.forEach(function (k, i) {
      var share = k.size / n.size, c = depth === 0 ? colors[i % colors.length] : color;
      if (horizontal) layout(k, x + offset * w, y, w * share, h, depth + 1, c); else layout(k, x, y + offset * h, w, h * share, depth + 1, c);
      offset += share;
    });
  }
  layout(r.tree, 0, 0, 100, 100, 0, colors[0]);
  var notes = document.getElementById("notes");
  r.truncated.forEach(function (t) { notes.appendChild(el("p", "note: " + t, "note")); });
})();
</script>
</body>
</html>
"""#
}
