/// The index entry of a stored incident: what `shrike incidents list` shows.
public struct IncidentSummary: Codable, Sendable, Equatable {
    /// `inc-YYYYMMDD-HHMMSS-<6 hex>`, from the first alert's time (UTC).
    public var id: String
    /// The first alert's time, nanoseconds since the Unix epoch.
    public var openedAt: UInt64
    /// The event time at which the incident was closed.
    public var closedAt: UInt64
    /// The span of events collected.
    public var windowStart: UInt64
    public var windowEnd: UInt64
    public var scope: IncidentScope
    public var firstRule: String
    /// The most severe priority among its alerts (Falco's spelling).
    public var priority: String
    public var alertCount: Int
    public var eventCount: Int
    /// Events in scope that were not kept because the incident reached its size limit.
    public var droppedEvents: Int
    /// Bytes stored (compressed events and alerts).
    public var bytes: Int
    public var hostname: String
    /// True when the incident was closed by shutdown before its after-window ended.
    public var closedEarly: Bool

    public init(id: String, openedAt: UInt64, closedAt: UInt64, windowStart: UInt64, windowEnd: UInt64,
                scope: IncidentScope, firstRule: String, priority: String, alertCount: Int, eventCount: Int,
                droppedEvents: Int = 0, bytes: Int = 0, hostname: String = "", closedEarly: Bool = false) {
        self.id = id
        self.openedAt = openedAt
        self.closedAt = closedAt
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.scope = scope
        self.firstRule = firstRule
        self.priority = priority
        self.alertCount = alertCount
        self.eventCount = eventCount
        self.droppedEvents = droppedEvents
        self.bytes = bytes
        self.hostname = hostname
        self.closedEarly = closedEarly
    }
}

/// A closed incident, ready to be stored: its summary, alerts and events.
public struct ClosedIncident: Sendable {
    public var summary: IncidentSummary
    public var alerts: [IncidentAlert]
    public var log: EventLog
}

/// An incident read back from the store.
public struct StoredIncident: Sendable {
    public var summary: IncidentSummary
    public var alerts: [IncidentAlert]
    public var events: [Event]

    public init(summary: IncidentSummary, alerts: [IncidentAlert], events: [Event]) {
        self.summary = summary
        self.alerts = alerts
        self.events = events
    }
}

import ShrikeSensor
