/// What a spool holds and what it lost, for the heartbeat, the exit summary and the docs' "what is left" question.
public struct SpoolStatistics: Sendable, Equatable {
    /// Records waiting for the server's acknowledgement.
    public var records = 0
    /// Bytes of the segment files on disk (acknowledged records in a segment still in use included).
    public var bytes = 0
    /// Records dropped, oldest first, because the spool was full; persisted, so it counts across restarts.
    public var evicted: UInt64 = 0
    /// Records appended since this spool was opened.
    public var appended: UInt64 = 0
    /// Records found damaged (CRC mismatch) when the spool was opened, and skipped.
    public var corrupt = 0
    /// Bytes of a torn tail (a record half written at a crash) cut off when the spool was opened.
    public var tornBytes = 0
    /// The sequence number the next record gets.
    public var nextSeq: UInt64 = 1

    public init() {}
}
