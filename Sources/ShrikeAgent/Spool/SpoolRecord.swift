/// One record of the spool: its per-agent sequence number, its kind and its JSON body (UTF-8 bytes).
public struct SpoolRecord: Sendable, Equatable {
    /// Strictly increasing for one spool directory and never reused, across restarts too.
    public var seq: UInt64
    public var kind: SpoolKind
    /// The record's JSON object, as it goes into `"body"` on the wire.
    public var body: [UInt8]

    public init(seq: UInt64, kind: SpoolKind, body: [UInt8]) {
        self.seq = seq
        self.kind = kind
        self.body = body
    }
}
