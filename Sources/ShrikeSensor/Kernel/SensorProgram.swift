import CShrikeBPF
import CShrikeLibbpf
import Foundation
import ShrikeCore

/// The loaded and attached BPF sensor: owns the libbpf object, its links and maps. Not thread-safe; `Sensor` keeps it
/// on one thread except for `drops()`, which only reads a map through a syscall.
final class SensorProgram: @unchecked Sendable {
    private let object: OpaquePointer
    private var links: [OpaquePointer] = []
    private let objectBytes: [UInt8]
    let eventsMapFD: Int32
    private let dropsMap: OpaquePointer
    private let configMap: OpaquePointer
    private let filteredMap: OpaquePointer
    private let possibleCPUs: Int
    /// Where the DNS answer program is attached (the cgroup2 root); nil when it is not loaded.
    private(set) var dnsCgroup: String?
    /// How syscalls are traced: `syscalls:sys_exit_NAME` for just the wanted ones, or `raw_syscalls:sys_exit`.
    private(set) var syscallHook: SyscallHook
    /// Why the raw tracepoint is used although per-syscall tracepoints were asked for; nil when they are used (or
    /// were not asked for).
    private(set) var rawHookReason: String?

    /// Where the syscall program runs.
    enum SyscallHook: String, Sendable {
        /// One tracepoint per wanted syscall: unwanted syscalls run no BPF program.
        case perSyscallTracepoints = "per-syscall tracepoints"
        /// The raw tracepoint on every syscall's exit (no tracefs): an array lookup turns unwanted ones away.
        case rawTracepoint = "raw sys_exit"
    }

    static let rawExitProgramName = "shrike_sys_exit"
    static let perSyscallExitProgramName = "shrike_sys_exit_tp"

    /// The program that copies DNS answers; it is loaded only on request.
    static let dnsProgramName = "shrike_dns_ingress"

    /// Opens the embedded object, sizes the ring buffer, loads (verifies) and attaches every program, and fills the
    /// syscall table with `syscalls`. With `captureDNS`, also loads the DNS answer program and attaches it to the
    /// cgroup2 root with a bpf_link (so it detaches when the sensor closes or the process dies); throws when that
    /// fails, so the caller can retry without it. With `captureBuffers`, send/receive calls carry their first data
    /// bytes (`evt.buffer`).
    init(syscalls: [Syscall], ringBufferBytes: Int, wakeupBytes: Int, readPathPrefixes: [String]?,
         captureDNS: Bool = false, captureBuffers: Bool = false, perSyscallTracepoints: Bool = true) throws {
        LibbpfLog.install()
        LibbpfLog.clear()
        guard let bytes = Data(base64Encoded: embeddedSensorObjectBase64) else {
            throw ShrikeError(.sensorLoadFailed, "the embedded BPF object is corrupt; rebuild shrike", input: "sensor.bpf.o")
        }
        objectBytes = [UInt8](bytes)
        let opened = objectBytes.withUnsafeBytes { raw in
            bpf_object__open_mem(raw.baseAddress, raw.count, nil)
        }
        guard let object = opened, libbpf_get_error(UnsafeRawPointer(object)) == 0 else {
            throw ShrikeError(.sensorLoadFailed, "libbpf could not open the BPF object: \(Self.lastLines())",
                              input: "sensor.bpf.o")
        }
        self.object = object
        func map(_ name: String) throws -> OpaquePointer {
            guard let map = bpf_object__find_map_by_name(object, name) else {
                bpf_object__close(object)
                throw ShrikeError(.sensorLoadFailed, "the BPF object has no map \(name); rebuild shrike",
                                  input: "sensor.bpf.o")
            }
            return map
        }
        let events = try map("events")
        let specs = try map("syscall_specs")
        configMap = try map("config")
        dropsMap = try map("drops")
        filteredMap = try map("filtered")
        let prefixes = try map("read_prefixes")
        // The ring size must be a power of two and a multiple of the page size.
        var size = 1 << 20
        while size < ringBufferBytes && size < 1 << 30 { size <<= 1 }
        bpf_map__set_max_entries(events, UInt32(size))
        var dnsCgroupFD: Int32 = -1
        if let dns = bpf_object__find_program_by_name(object, Self.dnsProgramName) {
            if captureDNS {
                // Found before loading, so a machine without cgroup2 fails here with a clear message.
                guard let root = Cgroup2Mount.current() else {
                    bpf_object__close(object)
                    throw ShrikeError(.sensorLoadFailed, "no cgroup2 file system is mounted, so DNS answers cannot be "
                                      + "captured; mount one (mount -t cgroup2 none /sys/fs/cgroup/unified)",
                                      input: "/proc/self/mountinfo")
                }
                dnsCgroupFD = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                guard dnsCgroupFD >= 0 else {
                    let reason = String(cString: strerror(errno))
                    bpf_object__close(object)
                    throw ShrikeError(.sensorLoadFailed, "cannot open the cgroup2 root to capture DNS answers: \(reason)",
                                      input: root)
                }
                dnsCgroup = root
            } else {
                bpf_program__set_autoload(dns, false)
            }
        } else if captureDNS {
            bpf_object__close(object)
            throw ShrikeError(.sensorLoadFailed, "the BPF object has no DNS program; rebuild shrike", input: "sensor.bpf.o")
        }
        defer { if dnsCgroupFD >= 0 { close(dnsCgroupFD) } }
        // One of the two syscall programs is loaded: per-syscall tracepoints when tracefs has them.
        var tracefs = perSyscallTracepoints ? SyscallTracepoints.eventsRoot() : nil
        if perSyscallTracepoints, tracefs == nil {
            rawHookReason = "tracefs is not mounted and could not be mounted at /sys/kernel/tracing"
        }
        if let root = tracefs {
            // A wanted syscall with no tracepoint is one this kernel lacks; its calls (all failing with ENOSYS, an
            // attack's probe) are seen only at the raw tracepoint. Attaching both would run two programs on the
            // wanted syscalls, so the raw one takes them all: never a silently unwatched syscall.
            let missing = syscalls.map(\.name).filter { !SyscallTracepoints.hasExit($0, root: root) }
            if !missing.isEmpty {
                tracefs = nil
                rawHookReason = "this kernel has no tracepoint for \(missing.sorted().joined(separator: ", ")) "
                    + "(not built in: every call fails with ENOSYS), and only the raw tracepoint sees those calls"
            }
        }
        syscallHook = tracefs == nil ? .rawTracepoint : .perSyscallTracepoints
        let unused = tracefs == nil ? Self.perSyscallExitProgramName : Self.rawExitProgramName
        if let program = bpf_object__find_program_by_name(object, unused) { bpf_program__set_autoload(program, false) }

        let loaded = bpf_object__load(object)
        if loaded != 0 {
            let lines = Self.lastLines()
            bpf_object__close(object)
            let reason = loaded == -Int32(EPERM)
                ? "the kernel refused to load BPF programs (EPERM): run as root, and check kernel lockdown"
                : "the kernel rejected the BPF program (\(String(cString: strerror(-loaded)))): \(lines)"
            throw ShrikeError(.sensorLoadFailed, reason, input: "sensor.bpf.o")
        }
        eventsMapFD = bpf_map__fd(events)
        possibleCPUs = max(1, Int(libbpf_num_possible_cpus()))
        // From here on self is fully initialised: a throw runs deinit, which destroys the links made so far and
        // closes the object (closing it here as well would free it twice).

        let readPrefixes = Self.normalizedPrefixes(readPathPrefixes ?? [])
        var config = shrike_config(self_tgid: UInt32(getpid()), read_filter: readPathPrefixes == nil ? 0 : 1,
                                   wakeup_bytes: UInt64(max(0, wakeupBytes)),
                                   read_prefix_count: UInt32(readPrefixes.count), pad: 0)
        for (index, prefix) in readPrefixes.enumerated() {
            var entry = shrike_path_prefix()
            withUnsafeMutableBytes(of: &entry.bytes) { raw in
                for (offset, byte) in prefix.utf8.enumerated() { raw[offset] = byte }
            }
            entry.length = UInt8(prefix.utf8.count)
            var key = UInt32(index)
            guard bpf_map__update_elem(prefixes, &key, 4, &entry, MemoryLayout<shrike_path_prefix>.size, 0) == 0 else {
                throw ShrikeError(.sensorLoadFailed, "could not fill the read filter", input: prefix)
            }
        }
        var zero: UInt32 = 0
        guard bpf_map__update_elem(configMap, &zero, 4, &config, MemoryLayout<shrike_config>.size, 0) == 0 else {
            throw ShrikeError(.sensorLoadFailed, "could not write the sensor's configuration map", input: "sensor.bpf.o")
        }
        for call in syscalls {
            var spec = shrike_syscall_spec()
            var flags = UInt8(SHRIKE_SC_REPORT.rawValue)
            if call.category == .file { flags |= UInt8(SHRIKE_SC_FILE.rawValue) }
            if call.category == .network { flags |= UInt8(SHRIKE_SC_NETWORK.rawValue) }
            if call.reportFailuresOnly { flags |= UInt8(SHRIKE_SC_FAILURES_ONLY.rawValue) }
            if call.name == "fcntl" { flags |= UInt8(SHRIKE_SC_FCNTL_DUP.rawValue) }
            if SyscallTable.sessionChanges.contains(call.name) { flags |= UInt8(SHRIKE_SC_SESSION.rawValue) }
            if SyscallTable.capabilityChanges.contains(call.name) { flags |= UInt8(SHRIKE_SC_CREDS.rawValue) }
            if call.addressedOnly { flags |= UInt8(SHRIKE_SC_ADDRESSED_ONLY.rawValue) }
            spec.flags = flags
            var sources: [UInt8] = [0, 0, 0], arguments: [UInt8] = [0, 0, 0]
            for (index, string) in call.strings.prefix(3).enumerated() where captureBuffers || !string.source.isBuffer {
                sources[index] = string.source.rawValue
                arguments[index] = UInt8(string.argument)
            }
            spec.string_source = (sources[0], sources[1], sources[2])
            spec.string_arg = (arguments[0], arguments[1], arguments[2])
            spec.open_flags = Self.openFlagsSource(call.name)
            var key = UInt32(call.number)
            guard bpf_map__update_elem(specs, &key, 4, &spec, MemoryLayout<shrike_syscall_spec>.size, 0) == 0 else {
                throw ShrikeError(.sensorLoadFailed, "could not fill the syscall table", input: call.name)
            }
        }

        var program = bpf_object__next_program(object, nil)
        while let current = program {
            defer { program = bpf_object__next_program(object, current) }
            guard bpf_program__autoload(current) else { continue }
            let programName = String(cString: bpf_program__name(current))
            if programName == Self.perSyscallExitProgramName, let tracefs {
                // The same program on the exit tracepoint of every wanted syscall (each has one: checked above).
                for call in syscalls {
                    let event = SyscallTracepoints.exitEvent(call.name)
                    guard let link = bpf_program__attach_tracepoint(current, "syscalls", event),
                          libbpf_get_error(UnsafeRawPointer(link)) == 0 else {
                        throw ShrikeError(.sensorLoadFailed, "could not attach to syscalls:\(event): "
                                          + Self.lastLines(), input: "sensor.bpf.o")
                    }
                    links.append(link)
                }
                continue
            }
            let isDNS = programName == Self.dnsProgramName
            // cgroup programs have no automatic attach point: the link goes on the cgroup2 root, and a link attaches
            // alongside any other program there (the kernel treats it as BPF_F_ALLOW_MULTI).
            let attached = isDNS ? bpf_program__attach_cgroup(current, dnsCgroupFD) : bpf_program__attach(current)
            guard let link = attached, libbpf_get_error(UnsafeRawPointer(link)) == 0 else {
                let name = String(cString: bpf_program__name(current))
                throw ShrikeError(.sensorLoadFailed, "could not attach \(name): \(Self.lastLines())",
                                  input: "sensor.bpf.o")
            }
            links.append(link)
        }
    }

    /// The kernel's id of the loaded DNS answer program (what `bpftool cgroup show` lists); nil when not loaded.
    var dnsProgramID: UInt32? {
        guard dnsCgroup != nil, let program = bpf_object__find_program_by_name(object, Self.dnsProgramName) else {
            return nil
        }
        var info = bpf_prog_info()
        var length = UInt32(MemoryLayout<bpf_prog_info>.size)
        guard bpf_obj_get_info_by_fd(bpf_program__fd(program), &info, &length) == 0 else { return nil }
        return info.id
    }

    deinit {
        // Closing a per-syscall tracepoint's perf event waits for the kernel to unregister its probe under a global
        // lock (~70 ms each, serialised: concurrent closes were no faster), so a watch on ~40 syscalls takes ~3 s to
        // stop. Attaching is fast.
        for link in links { bpf_link__destroy(link) }
        bpf_object__close(object)
    }

    /// Events the kernel could not queue because the ring buffer was full, per category, summed over CPUs.
    func drops() -> [EventCategory: UInt64] {
        var result: [EventCategory: UInt64] = [:]
        for category in EventCategory.allCases {
            var key = category.dropSlot
            var values = [UInt64](repeating: 0, count: possibleCPUs)
            let status = values.withUnsafeMutableBytes { raw in
                bpf_map__lookup_elem(dropsMap, &key, 4, raw.baseAddress, raw.count, 0)
            }
            result[category] = status == 0 ? values.reduce(0, +) : 0
        }
        return result
    }

    /// Opens the read filter kept from user space, summed over CPUs.
    func filteredOpens() -> UInt64 {
        var key: UInt32 = 0
        var values = [UInt64](repeating: 0, count: possibleCPUs)
        let status = values.withUnsafeMutableBytes { raw in
            bpf_map__lookup_elem(filteredMap, &key, 4, raw.baseAddress, raw.count, 0)
        }
        return status == 0 ? values.reduce(0, +) : 0
    }

    /// Where an open-family syscall keeps its flags, for the read filter; creat always writes, so it is never filtered.
    static func openFlagsSource(_ name: String) -> UInt8 {
        switch name {
        case "open": UInt8(SHRIKE_OPEN_FLAGS_ARG.rawValue) | 1
        case "openat": UInt8(SHRIKE_OPEN_FLAGS_ARG.rawValue) | 2
        case "openat2": UInt8(SHRIKE_OPEN_FLAGS_HOW.rawValue)
        default: UInt8(SHRIKE_OPEN_NONE.rawValue)
        }
    }

    /// The prefixes the kernel can hold: too-long ones are cut (a shorter prefix ships a superset), prefixes covered
    /// by a shorter one are dropped, and past the limit the filter falls back to `/` (everything absolute).
    static func normalizedPrefixes(_ prefixes: [String]) -> [String] {
        let cut = Set(prefixes.filter { $0.hasPrefix("/") }.map { prefix -> String in
            var bytes = Array(prefix.utf8.prefix(SensorConfiguration.maximumReadPrefixBytes))
            while !bytes.isEmpty, String(bytes: bytes, encoding: .utf8) == nil { bytes.removeLast() }
            return String(decoding: bytes, as: UTF8.self)
        }).sorted { $0.utf8.count < $1.utf8.count }
        var kept: [String] = []
        for prefix in cut where !kept.contains(where: { prefix.hasPrefix($0) }) { kept.append(prefix) }
        return kept.count <= SensorConfiguration.maximumReadPrefixes ? kept.sorted() : ["/"]
    }

    private static func lastLines() -> String {
        let lines = LibbpfLog.tail(12)
        return lines.isEmpty ? "no details from libbpf" : lines.joined(separator: " | ")
    }
}
