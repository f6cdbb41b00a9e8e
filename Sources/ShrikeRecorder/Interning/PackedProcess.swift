/// A process snapshot with every string replaced by its id in a `StringTable`: what many events of one process share.
struct PackedProcess: InternCost {
    var pid: Int32
    var tid: Int32
    var ppid: Int32
    var uid: UInt32
    var gid: UInt32
    var loginuid: UInt32
    var tty: UInt32
    var name: UInt32
    var exe: UInt32
    /// The arguments joined by NUL bytes.
    var args: UInt32
    /// 0 when the command line is the arguments joined by spaces (or the name when there are none), as it nearly
    /// always is; else the id of the command line.
    var cmdline: UInt32
    var cwd: UInt32
    var containerFullID: UInt32
    var containerName: UInt32
    var containerImage: UInt32
    var containerRuntime: UInt32
    var sid: Int32 = 0
    var pgid: Int32 = 0
    /// `exeFromMemfd` and the container's `privileged` (see `Flags`).
    var flags: UInt8 = 0

    /// Bits of `flags`: bit 0 the executable came from a memfd; bits 1–2 privileged unknown (0), false (1), true (2).
    enum Flags {
        static let exeFromMemfd: UInt8 = 1

        static func make(exeFromMemfd: Bool, privileged: Bool?) -> UInt8 {
            (exeFromMemfd ? Self.exeFromMemfd : 0) | (privileged.map { $0 ? 4 : 2 } ?? 0)
        }

        static func privileged(_ flags: UInt8) -> Bool? {
            switch flags & 6 {
            case 2: false
            case 4: true
            default: nil
            }
        }
    }

    /// The key (~76 bytes) is stored twice: in the dictionary and in the value array; plus bookkeeping.
    var internCost: Int { 2 * MemoryLayout<PackedProcess>.stride + 40 }

    /// The string ids this process holds a reference on.
    var strings: [UInt32] {
        [name, exe, args, cmdline, cwd, containerFullID, containerName, containerImage, containerRuntime]
    }

    /// The same process with every string id passed through `map` (0, "none", stays 0).
    func mappingStrings(_ map: (UInt32) -> UInt32) -> PackedProcess {
        var copy = self
        copy.name = map(name)
        copy.exe = map(exe)
        copy.args = map(args)
        copy.cmdline = cmdline == 0 ? 0 : map(cmdline)
        copy.cwd = map(cwd)
        copy.containerFullID = map(containerFullID)
        copy.containerName = map(containerName)
        copy.containerImage = map(containerImage)
        copy.containerRuntime = map(containerRuntime)
        return copy
    }
}

/// The file, network and argument parts of one event with strings as ids; many events share one (the same open of
/// the same file by the same fd number).
struct PackedDetail: InternCost {
    struct Presence: OptionSet, Hashable, Sendable {
        let rawValue: UInt16
        static let file = Presence(rawValue: 1 << 0)
        static let target = Presence(rawValue: 1 << 1)
        static let flags = Presence(rawValue: 1 << 2)
        static let mode = Presence(rawValue: 1 << 3)
        static let fileFD = Presence(rawValue: 1 << 4)
        static let net = Presence(rawValue: 1 << 5)
        static let address = Presence(rawValue: 1 << 6)
        static let port = Presence(rawValue: 1 << 7)
        static let socketType = Presence(rawValue: 1 << 8)
        static let netFD = Presence(rawValue: 1 << 9)
        /// The file or network fd is kept in the record, not here (so one detail serves every fd number).
        static let fileFDInRecord = Presence(rawValue: 1 << 10)
        static let netFDInRecord = Presence(rawValue: 1 << 11)
        /// A fork whose child pid (= child tid) is kept in the record's return-value slot (a fork returns 0), so
        /// forks don't each need a detail of their own.
        static let forkChildInRecord = Presence(rawValue: 1 << 12)
        /// The network address has a host name from a DNS answer (`hostName`).
        static let hostName = Presence(rawValue: 1 << 13)
    }

    var presence: Presence = []
    var path: UInt32 = 0
    var target: UInt32 = 0
    var flags: Int32 = 0
    var mode: UInt32 = 0
    var fileFD: Int32 = 0
    var family: Int32 = 0
    var role: UInt8 = 0
    var address: UInt32 = 0
    var port: UInt16 = 0
    var socketType: Int32 = 0
    var netFD: Int32 = 0
    var hostName: UInt32 = 0
    /// Argument name and value string ids, alternating, sorted by name.
    var arguments: [UInt32] = []

    var internCost: Int {
        2 * MemoryLayout<PackedDetail>.stride + 40 + (arguments.isEmpty ? 0 : 32 + arguments.count * 4)
    }

    var strings: [UInt32] {
        var result: [UInt32] = []
        if presence.contains(.file) { result.append(path) }
        if presence.contains(.target) { result.append(target) }
        if presence.contains(.address) { result.append(address) }
        if presence.contains(.hostName) { result.append(hostName) }
        result.append(contentsOf: arguments)
        return result
    }

    var isEmpty: Bool { presence.isEmpty && arguments.isEmpty }

    /// The same detail with every string id it holds (those `strings` lists) passed through `map`.
    func mappingStrings(_ map: (UInt32) -> UInt32) -> PackedDetail {
        var copy = self
        if presence.contains(.file) { copy.path = map(path) }
        if presence.contains(.target) { copy.target = map(target) }
        if presence.contains(.address) { copy.address = map(address) }
        if presence.contains(.hostName) { copy.hostName = map(hostName) }
        copy.arguments = arguments.map(map)
        return copy
    }
}

/// An event type and its category; a handful exist, so they are never freed.
struct PackedType: Hashable, Sendable {
    var name: String
    var category: EventCategoryCode
}

/// `EventCategory` as a byte for the serialised form.
enum EventCategoryCode: UInt8, Sendable {
    case process = 0, file, network, other
}
