import ShrikeSensor

/// The interned parts of events: strings, processes, details and types, shared by many packed records.
///
/// `retain` functions take references the caller must give back with `release` (the flight recorder does when it
/// evicts a record); an append-only event log simply never releases.
struct EventTables: Sendable {
    var strings = InternTable<String>()
    var processes = InternTable<PackedProcess>()
    var details = InternTable<PackedDetail>()
    private(set) var types: [PackedType] = []
    private var typeIDs: [PackedType: UInt16] = [:]

    /// Estimated heap bytes of all tables.
    var bytes: Int { strings.bytes + processes.bytes + details.bytes + types.count * 96 }

    // MARK: Retaining

    mutating func retainString(_ string: String) -> UInt32 {
        strings.retain(string).id
    }

    mutating func retainProcess(_ process: ProcessSnapshot) -> UInt32 {
        let derivedCommandLine = process.args.isEmpty ? process.name : process.args.joined(separator: " ")
        let key = PackedProcess(
            pid: process.pid, tid: process.tid, ppid: process.ppid, uid: process.uid, gid: process.gid,
            loginuid: process.loginuid, tty: process.tty, name: retainString(process.name),
            exe: retainString(process.exe), args: retainString(process.args.joined(separator: "\u{0}")),
            cmdline: process.cmdline == derivedCommandLine ? 0 : retainString(process.cmdline),
            cwd: retainString(process.cwd), containerFullID: retainString(process.container.fullID),
            containerName: retainString(process.container.name), containerImage: retainString(process.container.image),
            containerRuntime: retainString(process.container.runtime), sid: process.sid, pgid: process.pgid,
            flags: PackedProcess.Flags.make(exeFromMemfd: process.exeFromMemfd,
                                            privileged: process.container.privileged))
        return retain(process: key)
    }

    /// Interns an already packed process whose string references the caller holds; gives them back when the process
    /// was known (it holds its own).
    mutating func retain(process key: PackedProcess) -> UInt32 {
        let (id, inserted) = processes.retain(key)
        if !inserted { for string in key.strings { strings.release(string) } }
        return id
    }

    /// The detail id of an event's file, network and argument parts; 0 when it has none.
    mutating func retainDetail(of event: Event) -> UInt32 {
        retainDetail(of: event, separateFD: false).id
    }

    /// The value of a record's fd slot that means "no fd there".
    static let noRecordFD = UInt16.max

    /// Like `retainDetail(of:)`; with `separateFD`, a file or network fd below 65535 is returned for the record to
    /// keep instead of being part of the detail, and a fork's child pid is returned as `ret` for the record's
    /// return-value slot.
    mutating func retainDetail(of event: Event, separateFD: Bool) -> (id: UInt32, fd: UInt16, ret: Int64) {
        guard event.file != nil || event.net != nil || !event.arguments.isEmpty else {
            return (0, Self.noRecordFD, event.ret)
        }
        var recordFD = Self.noRecordFD
        var ret = event.ret
        var arguments = event.arguments
        var detail = PackedDetail()
        if separateFD, event.type == "fork", event.ret == 0, let text = arguments["child_pid"],
           arguments["child_tid"] == text, let child = Int32(text), String(child) == text {
            detail.presence.insert(.forkChildInRecord)
            ret = Int64(child)
            arguments["child_pid"] = nil
            arguments["child_tid"] = nil
        }
        if let file = event.file {
            detail.presence.insert(.file)
            detail.path = retainString(file.path)
            if let target = file.target { detail.presence.insert(.target); detail.target = retainString(target) }
            if let flags = file.flags { detail.presence.insert(.flags); detail.flags = flags }
            if let mode = file.mode { detail.presence.insert(.mode); detail.mode = mode }
            if let fd = file.fd {
                if separateFD, fd >= 0, fd < Int32(Self.noRecordFD) {
                    detail.presence.insert(.fileFDInRecord)
                    recordFD = UInt16(fd)
                } else {
                    detail.presence.insert(.fileFD)
                    detail.fileFD = fd
                }
            }
        }
        if let net = event.net {
            detail.presence.insert(.net)
            detail.family = Int32(net.family.rawCode)
            detail.role = net.role.code
            if let address = net.address { detail.presence.insert(.address); detail.address = retainString(address) }
            if let port = net.port { detail.presence.insert(.port); detail.port = port }
            if let name = net.hostName { detail.presence.insert(.hostName); detail.hostName = retainString(name) }
            if let type = net.socketType { detail.presence.insert(.socketType); detail.socketType = type }
            if let fd = net.fd {
                if separateFD, recordFD == Self.noRecordFD, fd >= 0, fd < Int32(Self.noRecordFD) {
                    detail.presence.insert(.netFDInRecord)
                    recordFD = UInt16(fd)
                } else {
                    detail.presence.insert(.netFD)
                    detail.netFD = fd
                }
            }
        }
        if !arguments.isEmpty {
            let pairs = arguments.count == 1 ? Array(arguments) : arguments.sorted { $0.key < $1.key }
            detail.arguments.reserveCapacity(pairs.count * 2)
            for (key, value) in pairs {
                detail.arguments.append(retainString(key))
                detail.arguments.append(retainString(value))
            }
        }
        return (retain(detail: detail), recordFD, ret)
    }

    mutating func retain(detail: PackedDetail) -> UInt32 {
        let (id, inserted) = details.retain(detail)
        if !inserted { for string in detail.strings { strings.release(string) } }
        return id
    }

    mutating func typeID(_ name: String, category: EventCategory) -> UInt16 {
        typeID(PackedType(name: name, category: EventCategoryCode(category)))
    }

    mutating func typeID(_ type: PackedType) -> UInt16 {
        if let id = typeIDs[type] { return id }
        let id = UInt16(truncatingIfNeeded: types.count)
        types.append(type)
        typeIDs[type] = id
        return id
    }

    // MARK: Releasing

    mutating func releaseProcess(_ id: UInt32) {
        guard let freed = processes.release(id) else { return }
        for string in freed.strings { strings.release(string) }
    }

    mutating func releaseDetail(_ id: UInt32) {
        guard id != 0, let freed = details.release(id) else { return }
        for string in freed.strings { strings.release(string) }
    }

    // MARK: Decoding

    func string(_ id: UInt32) -> String {
        strings[id] ?? ""
    }

    func process(_ id: UInt32) -> ProcessSnapshot? {
        guard let packed = processes[id] else { return nil }
        return snapshot(packed)
    }

    func snapshot(_ packed: PackedProcess) -> ProcessSnapshot {
        let joined = string(packed.args)
        let args = joined.isEmpty ? [] : joined.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
        var container = ContainerInfo(fullID: string(packed.containerFullID), name: string(packed.containerName),
                                      image: string(packed.containerImage), runtime: string(packed.containerRuntime))
        container.privileged = PackedProcess.Flags.privileged(packed.flags)
        return ProcessSnapshot(pid: packed.pid, tid: packed.tid, ppid: packed.ppid, uid: packed.uid, gid: packed.gid,
                               loginuid: packed.loginuid, name: string(packed.name), exe: string(packed.exe),
                               args: args, cmdline: packed.cmdline == 0 ? nil : string(packed.cmdline),
                               cwd: string(packed.cwd), tty: packed.tty, sid: packed.sid, pgid: packed.pgid,
                               container: container,
                               exeFromMemfd: packed.flags & PackedProcess.Flags.exeFromMemfd != 0)
    }

    /// Rebuilds the event of a packed record.
    func event(time: UInt64, type typeID: UInt16, ret: Int64, process processID: UInt32, detail detailID: UInt32,
               recordFD: UInt16 = noRecordFD) -> Event? {
        guard Int(typeID) < types.count, let process = process(processID) else { return nil }
        let type = types[Int(typeID)]
        var event = Event(time: time, type: type.name, category: type.category.category, ret: ret, process: process)
        guard detailID != 0, let detail = details[detailID] else { return event }
        if detail.presence.contains(.file) {
            event.file = FileActivity(
                path: string(detail.path), target: detail.presence.contains(.target) ? string(detail.target) : nil,
                flags: detail.presence.contains(.flags) ? detail.flags : nil,
                mode: detail.presence.contains(.mode) ? detail.mode : nil,
                fd: detail.presence.contains(.fileFD) ? detail.fileFD
                    : detail.presence.contains(.fileFDInRecord) ? Int32(recordFD) : nil)
        }
        if detail.presence.contains(.net) {
            event.net = NetworkActivity(
                family: SocketFamily(rawValue: Int(detail.family)), role: NetworkActivity.Role(code: detail.role),
                address: detail.presence.contains(.address) ? string(detail.address) : nil,
                port: detail.presence.contains(.port) ? detail.port : nil,
                socketType: detail.presence.contains(.socketType) ? detail.socketType : nil,
                fd: detail.presence.contains(.netFD) ? detail.netFD
                    : detail.presence.contains(.netFDInRecord) ? Int32(recordFD) : nil,
                hostName: detail.presence.contains(.hostName) ? string(detail.hostName) : nil)
        }
        if detail.presence.contains(.forkChildInRecord) {
            event.arguments["child_pid"] = String(ret)
            event.arguments["child_tid"] = String(ret)
            event.ret = 0
        }
        var index = 0
        while index + 1 < detail.arguments.count {
            event.arguments[string(detail.arguments[index])] = string(detail.arguments[index + 1])
            index += 2
        }
        return event
    }
}

extension EventCategoryCode {
    init(_ category: EventCategory) {
        switch category {
        case .process: self = .process
        case .file: self = .file
        case .network: self = .network
        case .other: self = .other
        }
    }

    var category: EventCategory {
        switch self {
        case .process: .process
        case .file: .file
        case .network: .network
        case .other: .other
        }
    }
}

extension SocketFamily {
    /// The AF_* number.
    var rawCode: Int {
        switch self {
        case .unix: 1
        case .inet: 2
        case .inet6: 10
        case .netlink: 16
        case .other(let value): value
        }
    }
}

extension NetworkActivity.Role {
    var code: UInt8 {
        switch self {
        case .destination: 0
        case .peer: 1
        case .local: 2
        case .socket: 3
        }
    }

    init(code: UInt8) {
        switch code {
        case 0: self = .destination
        case 1: self = .peer
        case 2: self = .local
        default: self = .socket
        }
    }
}
