import ShrikeRules
import ShrikeSensor

/// An incident still collecting events: its scope (with the pids of a process tree as they become known), alerts,
/// events so far and when it closes.
struct OpenIncident: Sendable {
    var id: String
    var scope: IncidentScope
    /// Members of a process tree (unused for a container).
    var pids: Set<Int32> = []
    /// Pids already found outside the tree, so their ancestry is not walked again.
    var outsiders: Set<Int32> = []
    var alerts: [IncidentAlert] = []
    var log = EventLog()
    var priority: RulePriority
    var openedAt: UInt64
    var windowStart: UInt64
    var windowEnd: UInt64
    /// The latest `windowEnd` joining alerts may push to.
    var hardEnd: UInt64
    var dropped = 0
    var maxEvents: Int

    /// True when `event` belongs to the incident; learns new members of a process tree on the way (children seen by
    /// their parent pid, forks, and with a process table, descendants whose parents were quiet).
    mutating func admit(_ event: Event, processes: ProcessTable?) -> Bool {
        switch scope.kind {
        case .container:
            return event.process.container.fullID == scope.container
        case .processTree:
            let pid = event.process.pid
            var member = pids.contains(pid)
            if !member, pid > 1, !outsiders.contains(pid) {
                if pids.contains(event.process.ppid) {
                    member = true
                } else if let processes, processes.ancestors(of: pid).contains(where: { pids.contains($0.pid) }) {
                    member = true
                } else {
                    if outsiders.count > 65_536 { outsiders.removeAll(keepingCapacity: true) }
                    outsiders.insert(pid)
                }
                if member { pids.insert(pid) }
            }
            guard member else { return false }
            if event.type == "fork", event.arguments["thread"] != "true",
               let child = event.arguments["child_pid"].flatMap(Int32.init), child > 1 {
                pids.insert(child)
                outsiders.remove(child)
            }
            return true
        }
    }

    mutating func append(_ event: Event) {
        if log.count >= maxEvents {
            dropped += 1
        } else {
            log.append(event)
        }
    }

    /// Appends a record of the ring (the history before the alert) without rebuilding its event.
    mutating func append(_ entry: FlightRecorder.Entry, from ring: FlightRecorder,
                         translation: inout EventLog.RingTranslation) {
        if log.count >= maxEvents {
            dropped += 1
        } else {
            log.append(entry, from: ring, translation: &translation)
        }
    }

    func closed(at time: UInt64, early: Bool) -> ClosedIncident {
        let summary = IncidentSummary(
            id: id, openedAt: openedAt, closedAt: time, windowStart: windowStart,
            windowEnd: early ? min(windowEnd, max(time, windowStart)) : windowEnd, scope: scope,
            firstRule: alerts.first?.rule ?? "", priority: priority.name, alertCount: alerts.count,
            eventCount: log.count, droppedEvents: dropped, bytes: 0, hostname: alerts.first?.hostname ?? "",
            closedEarly: early)
        return ClosedIncident(summary: summary, alerts: alerts, log: log)
    }
}
