/// How the sensor runs.
public struct SensorConfiguration: Sendable {
    /// Syscalls to report by name; nil for every syscall the sensor knows. The process table's own needs are added.
    public var syscalls: Set<String>?
    /// Ring buffer size in bytes (rounded up to a power of two, at least 1 MiB).
    public var ringBufferBytes: Int
    /// Wake the reader only when this many bytes are pending; 0 wakes it for every event (much more expensive, kept
    /// to measure the difference).
    public var wakeupBytes: Int
    /// How long the reader sleeps between drains when no wake-up comes, in milliseconds (bounds event latency).
    public var pollIntervalMilliseconds: Int32
    /// Load the processes already running from /proc before the first event.
    public var seedProcesses: Bool
    public var filter: EventFilter

    public init(syscalls: Set<String>? = nil, ringBufferBytes: Int = 16 << 20, wakeupBytes: Int = 256 << 10,
                pollIntervalMilliseconds: Int32 = 50, seedProcesses: Bool = true, filter: EventFilter = EventFilter()) {
        self.syscalls = syscalls
        self.ringBufferBytes = ringBufferBytes
        self.wakeupBytes = wakeupBytes
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
        self.seedProcesses = seedProcesses
        self.filter = filter
    }
}
