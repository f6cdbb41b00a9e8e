/// How the sensor runs.
public struct SensorConfiguration: Sendable {
    /// Syscalls to report by name; nil for every syscall the sensor knows. The process table's own needs are added.
    public var syscalls: Set<String>?
    /// Ring buffer size in bytes (rounded up to a power of two, at least 1 MiB).
    public var ringBufferBytes: Int
    /// 8 MiB, Falco's default for a pair of CPUs. User space maps a ring buffer's data twice, so its size counts
    /// double in the agent's resident memory; larger only helps a reader starved of CPU.
    public static let defaultRingBufferBytes = 8 << 20
    /// Wake the reader only when this many bytes are pending; 0 wakes it for every event (much more expensive, kept
    /// to measure the difference).
    public var wakeupBytes: Int
    /// How long the reader sleeps between drains when no wake-up comes, in milliseconds. This bounds the latency of
    /// an event (and so of an alert) below the wake-up threshold; 2 ms costs ~500 idle wake-ups a second.
    public var pollIntervalMilliseconds: Int32
    /// Load the processes already running from /proc before the first event.
    public var seedProcesses: Bool
    public var filter: EventFilter
    /// The in-kernel read filter: nil ships every open; otherwise opens without a write, create or truncate flag are
    /// shipped only when their path starts with one of these prefixes (at most 32, each at most 63 bytes), is relative,
    /// or has a `..` component. Writes are always shipped.
    public var readPathPrefixes: [String]?
    /// Capture DNS answers (UDP from port 53, received by any socket of the cgroup2 hierarchy) so that network
    /// events carry the host name of their address (`NetworkActivity.hostName`). Off by default: it runs a small
    /// program on every received packet. When it cannot be loaded the sensor runs without it
    /// (`Sensor.hostNamesUnavailableReason` says why).
    public var captureDNS: Bool
    /// Copy the first bytes (at most 256) of the data that sendto/sendmsg/recvfrom/recvmsg move into their events
    /// (`Event.buffer`, the rules' `evt.buffer`). Off by default: only rules that read `evt.buffer` need it.
    public var captureBuffers: Bool
    /// Attach the syscall program to the `syscalls:sys_exit_NAME` tracepoints of the wanted syscalls (mounting
    /// tracefs when needed), so unwanted syscalls run no BPF program; false (or no tracefs) uses
    /// `raw_syscalls:sys_exit` for every syscall. On by default.
    public var perSyscallTracepoints = true
    /// What the response program enforces (`response:` rules); nil or empty loads no response program at all.
    public var enforcement: EnforcementPlan?

    public init(syscalls: Set<String>? = nil, ringBufferBytes: Int = defaultRingBufferBytes, wakeupBytes: Int = 256 << 10,
                pollIntervalMilliseconds: Int32 = 2, seedProcesses: Bool = true, filter: EventFilter = EventFilter(),
                readPathPrefixes: [String]? = nil, captureDNS: Bool = false, captureBuffers: Bool = false,
                enforcement: EnforcementPlan? = nil) {
        self.captureBuffers = captureBuffers
        self.syscalls = syscalls
        self.ringBufferBytes = ringBufferBytes
        self.wakeupBytes = wakeupBytes
        self.pollIntervalMilliseconds = pollIntervalMilliseconds
        self.seedProcesses = seedProcesses
        self.filter = filter
        self.readPathPrefixes = readPathPrefixes
        self.captureDNS = captureDNS
        self.enforcement = enforcement
    }

    /// The most read prefixes the kernel filter holds, and the longest prefix it compares.
    public static let maximumReadPrefixes = 32
    public static let maximumReadPrefixBytes = 63
}
