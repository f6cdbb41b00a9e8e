import ShrikeRules
import ShrikeSensor

/// Opens, fills and closes incidents: a pure state machine fed alerts, events and ticks; closed incidents are handed
/// out by `takeClosed()` for the caller to store.
///
/// An alert opens an incident holding the flight recorder's events of its scope from `before` seconds before the
/// alert; events in scope that arrive later are appended until `after` seconds past the (latest joining) alert. An
/// alert whose scope matches an open incident (same container, or a process of the same tree) joins it and extends
/// its after-window, up to `maxDuration` after the first alert.
public struct IncidentManager: Sendable {
    public struct Settings: Sendable {
        /// Seconds of history before an alert (an alert's `captureBefore` overrides).
        public var before: Double
        /// Seconds after an alert (an alert's `captureAfter` overrides).
        public var after: Double
        /// The longest an incident stays open, however many alerts join it.
        public var maxDuration: Double
        /// Events beyond this many are counted as dropped, not kept.
        public var maxEventsPerIncident: Int

        public init(before: Double = 30, after: Double = 30, maxDuration: Double = 600,
                    maxEventsPerIncident: Int = 1_000_000) {
            self.before = before
            self.after = after
            self.maxDuration = maxDuration
            self.maxEventsPerIncident = maxEventsPerIncident
        }
    }

    public let settings: Settings
    private(set) var open: [OpenIncident] = []
    private var closed: [ClosedIncident] = []
    private var random: SplitMix64

    /// - Parameter seed: fixes the random part of incident ids (tests); nil draws it from the system.
    public init(settings: Settings = Settings(), seed: UInt64? = nil) {
        self.settings = settings
        random = SplitMix64(seed: seed ?? UInt64.random(in: 0...UInt64.max))
    }

    /// Ids of the incidents still open.
    public var openIncidents: [String] { open.map(\.id) }

    /// Files `alert` under an incident (a new one, or an open one of the same scope) and returns its id.
    ///
    /// `ring` supplies the history before the alert; `processes` (the sensor's table, when at hand) the ancestry of
    /// host processes whose parents the history does not show.
    public mutating func alert(_ alert: Alert, ring: FlightRecorder, processes: ProcessTable? = nil) -> String {
        closeExpired(now: alert.time)
        let process = alert.event.process
        let after = UInt64(max(alert.captureAfter ?? settings.after, 0) * 1e9)
        for index in open.indices where joins(open[index], process) {
            open[index].alerts.append(IncidentAlert(alert))
            open[index].priority = min(open[index].priority, alert.priority)
            open[index].windowEnd = min(open[index].hardEnd, max(open[index].windowEnd, alert.time + after))
            if open[index].scope.kind == .processTree { open[index].pids.insert(process.pid) }
            return open[index].id
        }
        let before = UInt64(max(alert.captureBefore ?? settings.before, 0) * 1e9)
        let start = alert.time > before ? alert.time - before : 0
        let id = uniqueID(time: alert.time)
        var incident = OpenIncident(
            id: id, scope: IncidentScope(kind: .container, container: process.container.fullID), priority: alert.priority,
            openedAt: alert.time, windowStart: start, windowEnd: alert.time + after,
            hardEnd: alert.time + UInt64(max(settings.maxDuration, 0) * 1e9), maxEvents: settings.maxEventsPerIncident)
        incident.alerts = [IncidentAlert(alert)]
        if process.container.isHost {
            var scoper = ProcessTreeScoper(alertProcess: process, ring: ring, from: start, processes: processes)
            incident.scope = IncidentScope(kind: .processTree, container: "host", rootPID: scoper.root,
                                           rootCommand: scoper.rootName)
            var decisions: [UInt32: Bool] = [:]
            var translation = EventLog.RingTranslation()
            ring.forEach(from: start) { entry in
                let id = entry.record.process
                let member: Bool
                if let known = decisions[id] {
                    member = known
                } else {
                    member = ring.packedProcess(id).map { $0.pid > 1 && scoper.contains($0.pid) } ?? false
                    decisions[id] = member
                }
                if member { incident.append(entry, from: ring, translation: &translation) }
            }
            incident.pids = scoper.members
            incident.pids.insert(process.pid)
        } else {
            incident.scope.containerName = process.container.name
            incident.scope.containerImage = process.container.image
            var decisions: [UInt32: Bool] = [:]
            var translation = EventLog.RingTranslation()
            ring.forEach(from: start) { entry in
                let id = entry.record.process
                let member: Bool
                if let known = decisions[id] {
                    member = known
                } else {
                    member = ring.packedProcess(id).map { ring.tables.string($0.containerFullID) == process.container.fullID } ?? false
                    decisions[id] = member
                }
                if member { incident.append(entry, from: ring, translation: &translation) }
            }
        }
        open.append(incident)
        return id
    }

    private func joins(_ incident: OpenIncident, _ process: ProcessSnapshot) -> Bool {
        switch incident.scope.kind {
        case .container: return !process.container.isHost && incident.scope.container == process.container.fullID
        case .processTree: return process.container.isHost && incident.pids.contains(process.pid)
        }
    }

    /// Appends `event` to every open incident it belongs to; closes those whose after-window it has passed.
    public mutating func record(_ event: Event, processes: ProcessTable? = nil) {
        guard !open.isEmpty else { return }
        closeExpired(now: event.time)
        for index in open.indices where open[index].admit(event, processes: processes) {
            open[index].append(event)
            if event.type == "exit", open[index].scope.kind == .processTree {
                // The pid may be reused by an unrelated process from now on.
                open[index].pids.remove(event.process.pid)
            }
        }
    }

    /// Closes the incidents whose after-window ends before `now` (event time, nanoseconds since the epoch).
    public mutating func tick(now: UInt64) {
        closeExpired(now: now)
    }

    /// Closes every open incident (marked as closed early when its window had not ended).
    public mutating func shutdown(now: UInt64) {
        for incident in open {
            closed.append(incident.closed(at: now, early: now < incident.windowEnd))
        }
        open.removeAll()
    }

    /// The incidents closed since the last call, oldest first.
    public mutating func takeClosed() -> [ClosedIncident] {
        defer { closed.removeAll() }
        return closed
    }

    private mutating func closeExpired(now: UInt64) {
        guard open.contains(where: { now > $0.windowEnd }) else { return }
        var remaining: [OpenIncident] = []
        for incident in open {
            if now > incident.windowEnd {
                closed.append(incident.closed(at: now, early: false))
            } else {
                remaining.append(incident)
            }
        }
        open = remaining
    }

    private mutating func uniqueID(time: UInt64) -> String {
        while true {
            let id = IncidentIdentifier.make(time: time, random: UInt32(truncatingIfNeeded: random.next()))
            if !open.contains(where: { $0.id == id }) { return id }
        }
    }
}

/// A small seedable generator (SplitMix64), so ids are reproducible in tests.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
