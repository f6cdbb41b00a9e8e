import CShrikeBPF
import CShrikeLibbpf
import Foundation
import ShrikeCore
import Synchronization

extension ShrikeError.Code {
    /// A response could not be put in place (program refused, cgroup missing); the message says what to change.
    public static let responseFailed = ShrikeError.Code("response-failed")
}

/// The loaded response program (enforce.bpf.c): its kill programs attached at once, its connect programs attached
/// to each cgroup a policy covers (`attachConnect`). Loaded only when a plan has something to enforce; it writes its
/// records into the sensor's ring buffer, so responses arrive in order with the events they answer.
final class EnforcementProgram: @unchecked Sendable {
    // @unchecked: the libbpf object is only touched under `lock` after init.
    private let object: OpaquePointer
    private let lock = Mutex<[String: [OpaquePointer]]>([:])
    private var links: [OpaquePointer] = []
    private let objectBytes: [UInt8]
    private let denyCgroups: OpaquePointer
    let plan: EnforcementPlan

    private static let input = "enforce.bpf.o"

    init(plan: EnforcementPlan, eventsMapFD: Int32, wakeupBytes: Int, syscalls: SyscallTable) throws {
        self.plan = plan
        LibbpfLog.clear()
        guard let bytes = Data(base64Encoded: embeddedEnforceObjectBase64) else {
            throw ShrikeError(.responseFailed, "the embedded response program is corrupt; rebuild shrike", input: Self.input)
        }
        objectBytes = [UInt8](bytes)
        let opened = objectBytes.withUnsafeBytes { raw in bpf_object__open_mem(raw.baseAddress, raw.count, nil) }
        guard let object = opened, libbpf_get_error(UnsafeRawPointer(object)) == 0 else {
            throw ShrikeError(.responseFailed, "libbpf could not open the response program: \(Self.lastLines())",
                              input: Self.input)
        }
        func map(_ name: String) throws -> OpaquePointer {
            guard let map = bpf_object__find_map_by_name(object, name) else {
                bpf_object__close(object)
                throw ShrikeError(.responseFailed, "the response program has no map \(name); rebuild shrike",
                                  input: Self.input)
            }
            return map
        }
        let events = try map("events")
        let configMap = try map("enforce_config")
        let termsMap = try map("terms")
        let names = try map("name_sets")
        let paths = try map("path_sets")
        let policiesMap = try map("policies")
        denyCgroups = try map("deny_cgroups")
        guard bpf_map__reuse_fd(events, eventsMapFD) == 0 else {
            bpf_object__close(object)
            throw ShrikeError(.responseFailed, "could not share the sensor's ring buffer: \(Self.lastLines())",
                              input: Self.input)
        }
        let classes = plan.terms.reduce(into: UInt32(0)) { bits, term in
            for kind in term.classes { bits |= kind.bit }
        }
        // Only what the plan needs runs: no exec hook without exec terms, no sys_exit hook without open terms.
        let wanted: [String: Bool] = [
            "shrike_enforce_exec": classes & EnforcedEventClass.execve.bit != 0,
            "shrike_enforce_sys_exit": classes & ~EnforcedEventClass.execve.bit != 0,
            "shrike_enforce_connect4": !plan.policies.isEmpty,
            "shrike_enforce_connect6": !plan.policies.isEmpty,
        ]
        for (name, load) in wanted {
            if let program = bpf_object__find_program_by_name(object, name) { bpf_program__set_autoload(program, load) }
        }
        let loaded = bpf_object__load(object)
        if loaded != 0 {
            let lines = Self.lastLines()
            bpf_object__close(object)
            throw ShrikeError(.responseFailed, "the kernel rejected the response program "
                              + "(\(String(cString: strerror(-loaded)))): \(lines)", input: Self.input)
        }
        self.object = object
        // From here a throw runs deinit, which detaches and closes.

        var tables = SetTables()
        var index: UInt32 = 0
        for term in plan.terms {
            var entry = shrike_term()
            entry.rule = UInt32(term.rule)
            entry.classes = term.classes.reduce(0) { $0 | $1.bit }
            entry.count = UInt32(min(term.atoms.count, EnforcementPlan.maximumAtomsPerTerm))
            var atoms = [shrike_atom](repeating: shrike_atom(), count: EnforcementPlan.maximumAtomsPerTerm)
            for (slot, atom) in term.atoms.prefix(EnforcementPlan.maximumAtomsPerTerm).enumerated() {
                atoms[slot] = tables.encode(atom)
            }
            withUnsafeMutableBytes(of: &entry.atoms) { raw in
                atoms.withUnsafeBytes { raw.copyMemory(from: $0) }
            }
            var key = index
            try Self.update(termsMap, &key, &entry, "a kill term")
            index += 1
        }
        for (set, name) in tables.names {
            var key = shrike_name_key()
            key.set = set
            withUnsafeMutableBytes(of: &key.name) { raw in
                for (offset, byte) in name.utf8.prefix(15).enumerated() { raw[offset] = byte }
            }
            var one: UInt8 = 1
            try Self.update(names, &key, &one, "a name list")
        }
        for (set, path) in tables.paths {
            var key = shrike_path_key()
            key.set = set
            withUnsafeMutableBytes(of: &key.path) { raw in
                for (offset, byte) in path.utf8.prefix(EnforcementPlan.maximumPathBytes).enumerated() { raw[offset] = byte }
            }
            var one: UInt8 = 1
            try Self.update(paths, &key, &one, "a path list")
        }
        for (number, policy) in plan.policies.prefix(EnforcementPlan.maximumPolicies).enumerated() {
            var entry = shrike_connect_policy()
            entry.rule = UInt32(policy.rule)
            entry.count = UInt32(min(policy.allow.count, EnforcementPlan.maximumAllowEntries))
            var allow = [shrike_allow_entry](repeating: shrike_allow_entry(), count: EnforcementPlan.maximumAllowEntries)
            for (slot, item) in policy.allow.prefix(EnforcementPlan.maximumAllowEntries).enumerated() {
                var raw = shrike_allow_entry()
                raw.family = item.family
                raw.prefix_len = UInt32(item.prefixLength)
                raw.port = UInt32(item.port ?? 0)
                withUnsafeMutableBytes(of: &raw.addr) { bytes in
                    for (offset, byte) in item.address.prefix(16).enumerated() { bytes[offset] = byte }
                }
                allow[slot] = raw
            }
            withUnsafeMutableBytes(of: &entry.allow) { raw in allow.withUnsafeBytes { raw.copyMemory(from: $0) } }
            var key = UInt32(number)
            try Self.update(policiesMap, &key, &entry, "a connect policy")
        }
        let number = { (name: String) in Int32(syscalls[name]?.number ?? -1) }
        var config = shrike_enforce_config(
            self_tgid: UInt32(getpid()), dry_run: plan.dryRun ? 1 : 0, term_count: index, classes: classes,
            wakeup_bytes: UInt64(max(0, wakeupBytes)), nr_open: number("open"), nr_openat: number("openat"),
            nr_openat2: number("openat2"), nr_creat: number("creat"))
        var zero: UInt32 = 0
        try Self.update(configMap, &zero, &config, "the configuration")

        for name in ["shrike_enforce_exec", "shrike_enforce_sys_exit"] where wanted[name] == true {
            guard let program = bpf_object__find_program_by_name(object, name),
                  let link = bpf_program__attach(program), libbpf_get_error(UnsafeRawPointer(link)) == 0 else {
                throw ShrikeError(.responseFailed, "could not attach \(name): \(Self.lastLines())", input: Self.input)
            }
            links.append(link)
        }
    }

    deinit {
        lock.withLock { attached in
            for link in attached.values.flatMap({ $0 }) { bpf_link__destroy(link) }
            attached.removeAll()
        }
        for link in links { bpf_link__destroy(link) }
        bpf_object__close(object)
    }

    /// Attaches the connect programs to the cgroup2 directory at `cgroupPath` under `policy` (an index into the
    /// plan's policies); a cgroup already attached is left as it is. Throws `responseFailed` when the directory
    /// cannot be opened or the kernel refuses.
    func attachConnect(policy: Int, cgroupPath: String) throws {
        guard policy >= 0, policy < plan.policies.count else {
            throw ShrikeError(.responseFailed, "no connect policy \(policy)", input: cgroupPath)
        }
        try lock.withLock { attached in
            guard attached[cgroupPath] == nil else { return }
            let fd = open(cgroupPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else {
                throw ShrikeError(.responseFailed, "cannot open the cgroup (\(String(cString: strerror(errno)))): "
                                  + "give a cgroup2 directory, e.g. /sys/fs/cgroup/unified/libpod_parent/libpod-ID",
                                  input: cgroupPath)
            }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else {
                throw ShrikeError(.responseFailed, "cannot stat the cgroup", input: cgroupPath)
            }
            // A cgroup2 directory's inode number is the cgroup id bpf_get_current_cgroup_id returns.
            var id = UInt64(info.st_ino)
            var value = UInt32(policy)
            try Self.update(denyCgroups, &id, &value, "the cgroup table")
            var made: [OpaquePointer] = []
            for name in ["shrike_enforce_connect4", "shrike_enforce_connect6"] {
                guard let program = bpf_object__find_program_by_name(object, name),
                      let link = bpf_program__attach_cgroup(program, fd),
                      libbpf_get_error(UnsafeRawPointer(link)) == 0 else {
                    for link in made { bpf_link__destroy(link) }
                    throw ShrikeError(.responseFailed, "could not attach \(name) to the cgroup: \(Self.lastLines())",
                                      input: cgroupPath)
                }
                made.append(link)
            }
            attached[cgroupPath] = made
        }
    }

    /// The cgroup directories the connect programs are attached to.
    var connectCgroups: [String] { lock.withLock { $0.keys.sorted() } }

    private static func update<Key, Value>(_ map: OpaquePointer, _ key: inout Key, _ value: inout Value,
                                           _ what: String) throws {
        guard bpf_map__update_elem(map, &key, MemoryLayout<Key>.size, &value, MemoryLayout<Value>.size, 0) == 0 else {
            throw ShrikeError(.responseFailed, "could not write \(what) into the response program (\(what) table full?)",
                              input: input)
        }
    }

    private static func lastLines() -> String {
        let lines = LibbpfLog.tail(12)
        return lines.isEmpty ? "no details from libbpf" : lines.joined(separator: " | ")
    }
}

/// Numbers the string lists of a plan's atoms, one set per distinct list.
private struct SetTables {
    var names: [(UInt32, String)] = []
    var paths: [(UInt32, String)] = []
    private var nameSets: [[String]: UInt32] = [:]
    private var pathSets: [[String]: UInt32] = [:]

    mutating func nameSet(_ items: [String]) -> UInt32 {
        if let known = nameSets[items] { return known }
        let id = UInt32(nameSets.count)
        nameSets[items] = id
        // A comm has at most 15 bytes: a longer name can never equal it, and cut short it would match wrongly.
        for item in Set(items) where item.utf8.count <= 15 && !item.isEmpty { names.append((id, item)) }
        return id
    }

    /// Path lists, without the entries no comparable path can equal (the kernel compares paths of at most
    /// `maximumPathBytes`), with trailing slashes removed for prefix lists.
    mutating func pathSet(_ items: [String], trimSlashes: Bool) -> UInt32 {
        let key = (trimSlashes ? ["/"] : []) + items
        if let known = pathSets[key] { return known }
        let id = UInt32(pathSets.count)
        pathSets[key] = id
        for item in Set(items) {
            var path = item
            if trimSlashes { while path.count > 1, path.hasSuffix("/") { path.removeLast() } }
            guard !path.isEmpty, path.utf8.count <= EnforcementPlan.maximumPathBytes else { continue }
            paths.append((id, path))
        }
        return id
    }

    mutating func encode(_ atom: KernelAtom) -> shrike_atom {
        var raw = shrike_atom()
        raw.negate = atom.negated ? 1 : 0
        switch atom.test {
        case .pathIn(let items):
            raw.field = UInt8(SHRIKE_ATOM_PATH.rawValue)
            raw.op = UInt8(SHRIKE_OP_EXACT.rawValue)
            raw.set = pathSet(items, trimSlashes: false)
        case .directoryIn(let items):
            raw.field = UInt8(SHRIKE_ATOM_PATH.rawValue)
            raw.op = UInt8(SHRIKE_OP_DIRECTORY.rawValue)
            raw.set = pathSet(items, trimSlashes: false)
        case .pathUnder(let items):
            raw.field = UInt8(SHRIKE_ATOM_PATH.rawValue)
            raw.op = UInt8(SHRIKE_OP_PMATCH.rawValue)
            raw.set = pathSet(items, trimSlashes: true)
            // `/` covers every absolute path (PathPrefixTree's rule).
            raw.value = items.contains { !$0.isEmpty && $0.allSatisfy { $0 == "/" } } ? 1 : 0
        case .pathStartsWith(let items):
            raw.field = UInt8(SHRIKE_ATOM_PATH.rawValue)
            raw.op = UInt8(SHRIKE_OP_STARTSWITH.rawValue)
            raw.set = pathSet(items, trimSlashes: false)
            raw.value = items.contains("") ? 1 : 0
        case .nameIn(let items):
            raw.field = UInt8(SHRIKE_ATOM_PROC_NAME.rawValue)
            raw.set = nameSet(items)
        case .parentNameIn(let items):
            raw.field = UInt8(SHRIKE_ATOM_PROC_PNAME.rawValue)
            raw.set = nameSet(items)
        case .inContainer:
            raw.field = UInt8(SHRIKE_ATOM_CONTAINER.rawValue)
            raw.value = 1
        case .uid(let comparison, let value):
            raw.field = UInt8(SHRIKE_ATOM_UID.rawValue)
            raw.value = UInt64(value)
            switch comparison {
            case .equal: raw.op = UInt8(SHRIKE_OP_EQ.rawValue)
            case .less: raw.op = UInt8(SHRIKE_OP_LT.rawValue)
            case .lessOrEqual: raw.op = UInt8(SHRIKE_OP_LE.rawValue)
            case .greater: raw.op = UInt8(SHRIKE_OP_GT.rawValue)
            case .greaterOrEqual: raw.op = UInt8(SHRIKE_OP_GE.rawValue)
            }
        case .openWrite: raw.field = UInt8(SHRIKE_ATOM_OPEN_WRITE.rawValue)
        case .openCreate: raw.field = UInt8(SHRIKE_ATOM_OPEN_CREATE.rawValue)
        case .failed: raw.field = UInt8(SHRIKE_ATOM_FAILED.rawValue)
        }
        return raw
    }
}
