import Foundation
import ShrikeRecorder

/// An incident's timeline (the JSON `shrike incidents export --format json` writes, as the agent sent it) arranged
/// for the page: the process tree, files by action, network, alerts, the time-ordered entries, and an SVG axis with
/// every entry and alert on it and the ±N s window marked. Read leniently: a field an older agent left out shows
/// empty rather than failing the page.
struct ConsoleIncident {
    /// The axis's width in SVG units.
    static let width = 1000.0
    /// Processes deeper than this are listed flat under the last level (a hostile fork chain cannot blow the stack).
    static let maxDepth = 48

    /// How many timeline entries a page shows unless asked for all: those nearest the first alert. An agent keeps up
    /// to 20,000 per incident, and a table that long takes a browser seconds to lay out and a person longer to read.
    static let entriesShown = 1_000

    let object: [String: Any]
    /// `object["entries"]`, cast once: a cast of 20,000 dictionaries is not free, and three views read them.
    let allEntryObjects: [[String: Any]]
    let start: Int64, end: Int64, opened: Int64, closed: Int64
    /// Every entry on the page, not only the `entriesShown` nearest the first alert.
    let allEntries: Bool

    init(body: Data, allEntries: Bool = false) {
        self.allEntries = allEntries
        object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        allEntryObjects = object["entries"] as? [[String: Any]] ?? []
        let incident = object["incident"] as? [String: Any] ?? [:]
        func time(_ key: String) -> Int64 { Self.nanoseconds(incident[key]) }
        opened = time("openedAt")
        closed = max(time("closedAt"), opened)
        start = min(time("start") == 0 ? opened : time("start"), opened)
        end = max(time("end"), closed, start + 1)
    }

    static func nanoseconds(_ value: Any?) -> Int64 {
        (value as? String).flatMap(Timestamp.init(parsing:)).map { Int64(clamping: $0.nanoseconds) } ?? 0
    }

    /// `+1.250 s` / `−2.003 s` from the opening alert.
    func offset(_ nanos: Int64) -> String {
        let seconds = Double(nanos - opened) / 1e9
        return (seconds < 0 ? "−" : "+") + String(format: "%.3f s", abs(seconds))
    }

    func x(_ nanos: Int64) -> String {
        String(format: "%.1f", Double(nanos - start) / Double(end - start) * Self.width)
    }

    var context: [String: Any] {
        let incident = object["incident"] as? [String: Any] ?? [:]
        let id = incident["id"] as? String ?? ""
        let shown = self.shown
        // The recorder's window: `--before` seconds before the first alert to `--after` seconds past the last one
        // (the incident closes later still, when no alert came for a while).
        let lastAlert = (object["alerts"] as? [[String: Any]] ?? []).map { Self.nanoseconds($0["time"]) }.max() ?? opened
        let recorded = Self.nanoseconds(incident["end"]) == 0 ? end : Self.nanoseconds(incident["end"])
        let before = Double(opened - start) / 1e9, after = Double(max(0, recorded - max(lastAlert, opened))) / 1e9
        return [
            "id": ConsoleText.display(id),
            "jsonLink": IncidentIdentifier.isValid(id) ? "/incidents/\(id)/json" : "",
            "host": ConsoleText.field(incident["hostname"]), "scope": ConsoleText.field(incident["scopeDescription"]),
            "rule": ConsoleText.field(incident["firstRule"]), "priority": ConsoleText.field(incident["priority"]),
            "openedAt": ConsoleText.time(nanoseconds: opened), "closedAt": ConsoleText.time(nanoseconds: closed),
            "alertCount": ConsoleText.field(incident["alertCount"]), "eventCount": ConsoleText.field(incident["eventCount"]),
            "dropped": (incident["droppedEvents"] as? Int ?? 0) > 0 ? ConsoleText.field(incident["droppedEvents"]) : "",
            "window": String(format: "−%.1f s … +%.1f s", before, after),
            "axis": axis, "processes": processTree, "files": files, "network": network, "alerts": alerts,
            "entries": shown.rows,
            "entriesHidden": shown.hidden > 0
                ? ["count": shown.hidden, "total": shown.total, "shown": shown.rows.count, "link": "/incidents/\(id)?entries=all"]
                : false,
            "entriesOmitted": (object["entriesOmitted"] as? Int ?? 0) > 0 ? ConsoleText.field(object["entriesOmitted"]) : "",
        ]
    }

    // MARK: The axis

    static let lanes = ["process", "file", "network", "other", "alert"]

    /// Columns of the axis per lane: entries closer than a column share one mark (its title counts them), so
    /// 20,000 entries are at most 5 × 500 circles, and every entry is on the axis, not only the first few thousand.
    static let axisColumns = 500

    var axis: [String: Any] {
        let entries = allEntryObjects
        struct Column { var time: Int64; var title: String; var count: Int }
        var columns: [String: [Int: Column]] = [:]
        let span = Double(end - start)
        for entry in entries {
            let lane = Self.lanes.contains(entry["lane"] as? String ?? "") ? entry["lane"] as? String ?? "other" : "other"
            let time = Self.nanoseconds(entry["time"])
            let column = min(Self.axisColumns - 1, max(0, Int(Double(time - start) / span * Double(Self.axisColumns))))
            if columns[lane, default: [:]][column] != nil {
                columns[lane]?[column]?.count += 1
                continue
            }
            columns[lane, default: [:]][column] = Column(
                time: time, title: offset(time) + " " + ConsoleText.field(entry["kind"]) + " "
                    + ConsoleText.field(entry["process"]) + ": " + ConsoleText.field(entry["summary"]), count: 1)
        }
        var marks: [[String: Any]] = []
        for lane in Self.lanes {
            for (_, column) in (columns[lane] ?? [:]).sorted(by: { $0.key < $1.key }) {
                marks.append(["x": x(column.time), "y": Self.laneY(lane), "lane": lane,
                              "title": column.count > 1 ? column.title + " (and \(column.count - 1) more)" : column.title])
            }
        }
        for alert in object["alerts"] as? [[String: Any]] ?? [] {
            let time = Self.nanoseconds(alert["time"])
            marks.append(["x": x(time), "y": Self.laneY("alert"), "lane": "alert",
                          "title": offset(time) + " alert " + ConsoleText.field(alert["rule"])])
        }
        let ticks: [[String: Any]] = (0...4).map { step in
            let time = start + (end - start) * Int64(step) / 4
            return ["x": x(time), "label": offset(time)]
        }
        return ["marks": marks, "ticks": ticks, "openedX": x(opened), "closedX": x(closed),
                "lanes": Self.lanes.map { ["name": $0, "y": Self.laneY($0)] }]
    }

    static func laneY(_ lane: String) -> Int { 30 + (lanes.firstIndex(of: lane) ?? 3) * 22 }

    // MARK: Processes

    var processTree: [[String: Any]] {
        let processes = object["processes"] as? [[String: Any]] ?? []
        var byPID: [Int: [String: Any]] = [:]
        for process in processes { if let pid = process["pid"] as? Int { byPID[pid] = process } }
        var roots = (object["roots"] as? [Int] ?? []).filter { byPID[$0] != nil }
        let children = Set(processes.flatMap { $0["children"] as? [Int] ?? [] })
        for process in processes {
            if let pid = process["pid"] as? Int, !children.contains(pid), !roots.contains(pid) { roots.append(pid) }
        }
        var seen = Set<Int>()
        func node(_ pid: Int, depth: Int) -> [String: Any]? {
            guard let process = byPID[pid], seen.insert(pid).inserted else { return nil }
            let kids = depth < Self.maxDepth
                ? (process["children"] as? [Int] ?? []).compactMap { node($0, depth: depth + 1) } : []
            let uid = process["uid"] as? Int
            var exit = ""
            if let code = process["exitCode"] as? Int { exit = "exit \(code)" }
            if let signal = process["exitSignal"] as? Int { exit = "signal \(signal)" }
            let execs: [[String: Any]] = (process["execs"] as? [[String: Any]] ?? []).map { exec in
                ["offset": offset(Self.nanoseconds(exec["time"])), "commandLine": ConsoleText.field(exec["commandLine"])]
            }
            return [
                "pid": pid, "name": ConsoleText.field(process["name"]),
                "commandLine": ConsoleText.field(process["commandLine"]), "exe": ConsoleText.field(process["exe"]),
                "user": uid.map { $0 == 0 ? "root" : "uid \($0)" } ?? "", "container": ConsoleText.field(process["container"]),
                "start": process["start"] == nil ? "" : offset(Self.nanoseconds(process["start"])),
                "exit": exit, "alerted": process["alerted"] as? Bool ?? false, "execs": execs,
                "children": kids, "hasChildren": !kids.isEmpty,
            ]
        }
        return roots.compactMap { node($0, depth: 0) }
    }

    // MARK: Files, network, alerts, entries

    static let fileActions = [("created", "Created"), ("modified", "Modified"), ("deleted", "Deleted"),
                              ("renamed", "Renamed"), ("permissionsChanged", "Permissions changed"),
                              ("sensitiveReads", "Sensitive reads")]

    var files: [[String: Any]] {
        let files = object["files"] as? [String: Any] ?? [:]
        return Self.fileActions.compactMap { key, label in
            let rows = (files[key] as? [[String: Any]] ?? []).map { touch -> [String: Any] in
                ["offset": offset(Self.nanoseconds(touch["time"])), "path": ConsoleText.field(touch["path"]),
                 "target": ConsoleText.field(touch["target"]), "process": ConsoleText.field(touch["process"]),
                 "pid": ConsoleText.field(touch["pid"]), "syscall": ConsoleText.field(touch["syscall"]),
                 "failed": touch["failed"] as? Bool ?? false, "error": ConsoleText.field(touch["error"]),
                 "count": ConsoleText.field(touch["count"])]
            }
            return rows.isEmpty ? nil : ["label": label, "rows": rows]
        }
    }

    var network: [[String: Any]] {
        let network = object["network"] as? [String: Any] ?? [:]
        return [("connections", "Connections"), ("listeners", "Listeners"), ("peers", "Peers")].compactMap { key, label in
            let rows = (network[key] as? [[String: Any]] ?? []).map { touch -> [String: Any] in
                let address = ConsoleText.field(touch["address"]), port = ConsoleText.field(touch["port"])
                return ["offset": offset(Self.nanoseconds(touch["time"])), "protocol": ConsoleText.field(touch["protocol"]),
                        "endpoint": port.isEmpty ? address : "\(address):\(port)",
                        "hostName": ConsoleText.field(touch["hostName"]), "process": ConsoleText.field(touch["process"]),
                        "pid": ConsoleText.field(touch["pid"]), "failed": touch["failed"] as? Bool ?? false,
                        "count": ConsoleText.field(touch["count"])]
            }
            return rows.isEmpty ? nil : ["label": label, "rows": rows]
        }
    }

    var alerts: [[String: Any]] {
        (object["alerts"] as? [[String: Any]] ?? []).map { alert in
            ["offset": offset(Self.nanoseconds(alert["time"])), "rule": ConsoleText.field(alert["rule"]),
             "priority": ConsoleText.field(alert["priority"]), "output": ConsoleText.field(alert["output"]),
             "process": ConsoleText.field(alert["process"]), "pid": ConsoleText.field(alert["pid"])]
        }
    }

    /// The entry fields the row shows itself; the rest (syscall, the exact time, error, …) are its detail panel.
    static let shownFields: Set<String> = ["lane", "kind", "process", "pid", "summary", "failed"]
    /// At most this many detail fields per entry (an agent's entry could carry any number).
    static let maxDetailFields = 24

    /// The entries the page shows (all, or the `entriesShown` around the first alert) and how many it leaves out.
    var shown: (rows: [[String: Any]], hidden: Int, total: Int) {
        let all = allEntryObjects
        guard !allEntries, all.count > Self.entriesShown else { return (entries(all[...]), 0, all.count) }
        let first = all.firstIndex { Self.nanoseconds($0["time"]) >= opened } ?? all.count
        let lower = max(0, min(first - Self.entriesShown / 2, all.count - Self.entriesShown))
        return (entries(all[lower..<(lower + Self.entriesShown)]), all.count - Self.entriesShown, all.count)
    }

    func entries(_ slice: ArraySlice<[String: Any]>) -> [[String: Any]] {
        slice.map { entry in
            var row: [String: Any] = [
                "offset": offset(Self.nanoseconds(entry["time"])), "lane": ConsoleText.field(entry["lane"]),
                "kind": ConsoleText.field(entry["kind"]), "process": ConsoleText.field(entry["process"]),
                "pid": ConsoleText.field(entry["pid"]), "summary": ConsoleText.field(entry["summary"]),
                "failed": entry["failed"] as? Bool ?? false]
            let fields: [[String: Any]] = entry.keys.filter { !Self.shownFields.contains($0) }.sorted()
                .prefix(Self.maxDetailFields).compactMap { key in
                    let value = ConsoleText.field(entry[key])
                    return value.isEmpty ? nil : ["name": ConsoleText.display(key, limit: 64), "value": value]
                }
            if !fields.isEmpty { row["details"] = ["fields": fields] }
            return row
        }
    }
}
