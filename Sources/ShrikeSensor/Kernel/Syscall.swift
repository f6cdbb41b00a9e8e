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
    }

    public var name: String
    public var number: Int
    public var category: EventCategory
    /// Up to three strings: where each comes from and which argument holds its pointer.
    public var strings: [(source: StringSource, argument: Int)]
    /// Successful calls are not reported (execve: the exec tracepoint reports it, and the old arguments are gone).
    public var reportFailuresOnly: Bool

    public init(_ name: String, _ number: Int, _ category: EventCategory,
                _ strings: [(source: StringSource, argument: Int)] = [], reportFailuresOnly: Bool = false) {
        self.name = name
        self.number = number
        self.category = category
        self.strings = strings
        self.reportFailuresOnly = reportFailuresOnly
    }

    public static func == (lhs: Syscall, rhs: Syscall) -> Bool { lhs.number == rhs.number && lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(number) }
}
