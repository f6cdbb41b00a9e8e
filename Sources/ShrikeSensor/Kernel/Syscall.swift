/// A syscall the sensor can report, with how the kernel side reads its strings.
public struct Syscall: Sendable, Hashable {
    /// How one string of a syscall is read at its exit.
    public enum StringSource: UInt8, Sendable {
        case none = 0
        /// A NUL-terminated user-space string.
        case path = 1
        /// A sockaddr (or other struct) whose length is the next argument.
        case sockaddr = 2
        /// A sockaddr the kernel filled; the next argument points to its length.
        case sockaddrFromPointer = 3
        /// The argument is a `struct msghdr`: its `msg_name` (sendmsg's destination, recvmsg's source).
        case messageName = 4
        /// A data buffer: its first bytes (at most 256, and never more than the call returned) for `evt.buffer`.
        /// Read only when a rule asks for `evt.buffer` (`SensorConfiguration.captureBuffers`).
        case buffer = 5
        /// The argument is a `struct msghdr`: the first bytes of its first iovec, as `buffer`.
        case messageBuffer = 6

        /// Whether this source carries data bytes (read only when buffers are captured).
        public var isBuffer: Bool { self == .buffer || self == .messageBuffer }
    }

    public var name: String
    public var number: Int
    public var category: EventCategory
    /// Up to three strings: where each comes from and which argument holds its pointer.
    public var strings: [(source: StringSource, argument: Int)]
    /// Successful calls are not reported (execve: the exec tracepoint reports it, and the old arguments are gone).
    public var reportFailuresOnly: Bool
    /// Only calls whose first string (a destination address) is present are reported: sendto/sendmsg on connected
    /// sockets, by far the most frequent, are decided in the kernel and never shipped (their peer is the connect's).
    public var addressedOnly: Bool

    public init(_ name: String, _ number: Int, _ category: EventCategory,
                _ strings: [(source: StringSource, argument: Int)] = [], reportFailuresOnly: Bool = false,
                addressedOnly: Bool = false) {
        self.name = name
        self.number = number
        self.category = category
        self.strings = strings
        self.reportFailuresOnly = reportFailuresOnly
        self.addressedOnly = addressedOnly
    }

    public static func == (lhs: Syscall, rhs: Syscall) -> Bool { lhs.number == rhs.number && lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(number) }
}
