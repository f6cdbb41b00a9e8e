import ShrikeCore

/// How `shrike watch` records: the flight recorder's bounds, incident windows and the incident store.
public struct RecorderConfiguration: Sendable {
    /// Where incidents are stored (`--record-dir`).
    public var recordDirectory: String
    /// Seconds of history an incident starts with (`--before`).
    public var before: Double
    /// Seconds an incident keeps collecting after its last alert (`--after`).
    public var after: Double
    /// The flight recorder's window in seconds; raised to `before` when smaller.
    public var window: Double
    /// The flight recorder's memory budget (`--record-max-bytes`).
    public var maxRecordBytes: Int
    /// The incident store's size bound.
    public var maxStoreBytes: Int64
    /// The longest an incident stays open, however many alerts join it.
    public var maxIncidentDuration: Double
    /// Events kept per incident at most.
    public var maxEventsPerIncident: Int
    /// Fixes the random part of incident ids (tests); nil is random.
    public var seed: UInt64?
    /// Called on the persistence queue after each incident is written.
    public var onSaved: (@Sendable (IncidentSummary) -> Void)?
    /// Called on the persistence queue when writing an incident failed.
    public var onError: (@Sendable (ShrikeError) -> Void)?

    public init(recordDirectory: String = IncidentStore.defaultDirectory(), before: Double = 30, after: Double = 30,
                window: Double = 60, maxRecordBytes: Int = 64 << 20, maxStoreBytes: Int64 = 1 << 30,
                maxIncidentDuration: Double = 600, maxEventsPerIncident: Int = 1_000_000, seed: UInt64? = nil,
                onSaved: (@Sendable (IncidentSummary) -> Void)? = nil,
                onError: (@Sendable (ShrikeError) -> Void)? = nil) {
        self.recordDirectory = recordDirectory
        self.before = before
        self.after = after
        self.window = window
        self.maxRecordBytes = maxRecordBytes
        self.maxStoreBytes = maxStoreBytes
        self.maxIncidentDuration = maxIncidentDuration
        self.maxEventsPerIncident = maxEventsPerIncident
        self.seed = seed
        self.onSaved = onSaved
        self.onError = onError
    }
}
