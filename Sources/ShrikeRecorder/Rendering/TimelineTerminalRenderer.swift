import ShrikeCore
/// Renders a timeline for a terminal: a header, the time-ordered list with a process-tree column, then the process
/// tree, files, network and alerts. Every piece of event text passes through `TerminalText.safe`.
public struct TimelineTerminalRenderer: Sendable {
    /// Use ANSI colours (the caller decides: a terminal, and NO_COLOR unset).
    public var color: Bool
    /// The width of the process-tree column.
    public var treeWidth: Int

    public init(color: Bool = false, treeWidth: Int = 30) {
        self.color = color
        self.treeWidth = treeWidth
    }

    private enum Style: String {
        case bold = "1", dim = "2", red = "1;31", yellow = "33", green = "32", cyan = "36", magenta = "35", blue = "34"
    }

    private func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1b}[\(style.rawValue)m\(text)\u{1b}[0m" : text
    }

    public func render(_ timeline: Timeline) -> String {
        let s = TerminalText.safe
        let incident = timeline.incident
        let origin = incident.openedAt.nanoseconds
        var out = paint("incident \(incident.id)", .bold) + "  " + paint(incident.priority, .red) + "  "
            + s(incident.firstRule) + "\n"
        out += "scope:   \(s(incident.scope.description))" + (incident.hostname.isEmpty ? "" : " on \(s(incident.hostname))") + "\n"
        let seconds = Double(incident.end.nanoseconds &- incident.start.nanoseconds) / 1e9
        out += "window:  \(incident.start) … \(incident.end) (\(Self.decimal(seconds, 1)) s)"
            + (incident.closedEarly ? ", closed early at shutdown" : "") + "\n"
        out += "counts:  \(incident.alertCount) alert\(incident.alertCount == 1 ? "" : "s"), \(incident.eventCount) events"
            + (incident.droppedEvents > 0 ? ", \(incident.droppedEvents) dropped (size limit)" : "") + "\n\n"

        out += paint(TerminalText.fit("TIME", 22) + "  " + TerminalText.fit("PROCESS TREE", treeWidth) + "  WHAT", .bold) + "\n"
        for entry in timeline.entries {
            let clock = String(entry.time.description.dropFirst(11).prefix(12))
            let offset = Self.offset(entry.time.nanoseconds, from: origin)
            let indent = String(repeating: "  ", count: min(entry.depth, 12))
            let tree = TerminalText.fit(indent + s(entry.process) + "(\(entry.pid))", treeWidth)
            let kind = TerminalText.fit(entry.kind, 14)
            let style: Style
            switch entry.lane {
            case .alert: style = .red
            case .process: style = .green
            case .file: style = .cyan
            case .network: style = .magenta
            case .other: style = .blue
            }
            var line = clock + " " + TerminalText.fit(offset, 9) + "  " + tree + "  " + paint(kind, style) + " " + s(entry.summary)
            if entry.failed { line += " " + paint("[failed]", .yellow) }
            out += line + "\n"
        }
        if timeline.entriesOmitted > 0 { out += "… \(timeline.entriesOmitted) more entries not shown (see export)\n" }

        out += "\n" + paint("PROCESSES", .bold) + "\n"
        let byPID = Dictionary(timeline.processes.map { ($0.pid, $0) }, uniquingKeysWith: { first, _ in first })
        var stack = timeline.roots.reversed().map { ($0, 0) }
        var seen: Set<Int32> = []
        while let (pid, depth) = stack.popLast() {
            guard seen.insert(pid).inserted, let process = byPID[pid] else { continue }
            var line = String(repeating: "  ", count: min(depth, 12)) + (depth > 0 ? "└─ " : "")
            line += "\(s(process.name))(\(pid)) " + s(process.commandLine)
            line += paint("  uid \(process.uid)" + (process.container == "host" ? "" : " container \(process.container)"), .dim)
            line += paint(process.startedBeforeWindow ? "  running before the window" : "  started \(Self.offset(process.start.nanoseconds, from: origin))", .dim)
            if let exit = process.exit {
                let how = process.exitSignal.map { "signal \($0)" } ?? "exit \(process.exitCode.map(String.init) ?? "?")"
                line += paint("  \(how) at \(Self.offset(exit.nanoseconds, from: origin))", .dim)
            }
            if process.alerted { line += "  " + paint("ALERT: " + process.alertRules.map(s).joined(separator: ", "), .red) }
            out += line + "\n"
            for child in process.children.reversed() { stack.append((child, depth + 1)) }
        }

        let files = timeline.files
        let groups: [(String, [FileTouch])] = [
            ("created", files.created), ("modified", files.modified), ("deleted", files.deleted),
            ("renamed", files.renamed), ("permissions changed", files.permissionsChanged),
            ("sensitive reads", files.sensitiveReads),
        ]
        if groups.contains(where: { !$0.1.isEmpty }) {
            out += "\n" + paint("FILES", .bold) + "\n"
            for (title, touches) in groups where !touches.isEmpty {
                out += "  \(title):\n"
                for touch in touches {
                    var line = "    \(Self.offset(touch.time.nanoseconds, from: origin))  \(s(touch.path))"
                    if let target = touch.target { line += " → \(s(target))" }
                    line += "  by \(s(touch.process))(\(touch.pid)) \(touch.syscall)"
                    if let mode = touch.mode { line += " mode \(mode)" }
                    if let owner = touch.owner { line += " owner \(owner)" }
                    if touch.count > 1 { line += " ×\(touch.count)" }
                    if touch.failed { line += " " + paint("[failed: \(touch.error ?? "?")]", .yellow) }
                    out += line + "\n"
                }
            }
        }
        let network = timeline.network
        let netGroups: [(String, [NetworkTouch])] = [
            ("connections", network.connections), ("listeners", network.listeners), ("accepted peers", network.peers),
        ]
        if netGroups.contains(where: { !$0.1.isEmpty }) {
            out += "\n" + paint("NETWORK", .bold) + "\n"
            for (title, touches) in netGroups where !touches.isEmpty {
                out += "  \(title):\n"
                for touch in touches {
                    var endpoint = s(touch.address ?? "?")
                    if let port = touch.port { endpoint = (touch.family == "inet6" ? "[\(endpoint)]" : endpoint) + ":\(port)" }
                    var line = "    \(Self.offset(touch.time.nanoseconds, from: origin))  \(touch.protocol) \(endpoint)"
                    if let name = touch.hostName { line += " (\(s(name)))" }
                    line += "  by \(s(touch.process))(\(touch.pid))"
                    if touch.count > 1 { line += " ×\(touch.count)" }
                    if touch.failed { line += " " + paint("[failed: \(touch.error ?? "?")]", .yellow) }
                    out += line + "\n"
                }
            }
        }
        out += "\n" + paint("ALERTS", .bold) + "\n"
        for alert in timeline.alerts {
            out += "  \(Self.offset(alert.time.nanoseconds, from: origin))  " + paint("\(alert.priority) \(s(alert.rule))", .red)
                + "  \(s(alert.process))(\(alert.pid))" + (alert.count > 1 ? " ×\(alert.count)" : "") + "\n"
            out += "      \(s(alert.output))\n"
        }
        return out
    }

    /// `+1.234s` / `-0.500s` from the first alert.
    static func offset(_ time: UInt64, from origin: UInt64) -> String {
        let seconds = (Double(time) - Double(origin)) / 1e9
        return (seconds >= 0 ? "+" : "-") + decimal(abs(seconds), 3) + "s"
    }

    static func decimal(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = Int64((value * scale).rounded())
        let whole = rounded / Int64(scale)
        var fraction = String(rounded % Int64(scale))
        while fraction.count < digits { fraction = "0" + fraction }
        return digits == 0 ? String(whole) : "\(whole).\(fraction)"
    }
}
