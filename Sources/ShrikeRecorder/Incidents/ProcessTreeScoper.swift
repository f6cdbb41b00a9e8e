import ShrikeSensor

/// Finds the process tree an alert on a host process belongs to, from the flight recorder's history and the live
/// process table.
///
/// The tree's root is the alert process's topmost ancestor within its session (the climb stops at the session leader,
/// pid = sid, and before a parent in another session) and below init (pid 1), kernel threads and, by name, managers
/// such as systemd, sshd, login or a container runtime (for processes whose session id is unknown): those parent
/// everything, so climbing past them would pull in unrelated sessions.
struct ProcessTreeScoper {
    /// Process names (comm) of session leaders and service managers the climb stops below.
    static let sessionLeaders: Set<String> = [
        "systemd", "init", "kthreadd", "sshd", "login", "agetty", "getty", "su", "containerd", "containerd-shim",
        "containerd-shim-runc-v2", "containerd-shim-runc-v1", "conmon", "dockerd", "docker-proxy", "runc", "crun",
        "cron", "crond", "atd", "tmux: server", "screen", "SCREEN", "gdm-session-wor", "systemd-logind", "sddm",
        "lightdm", "xrdp", "supervisord", "s6-supervise", "runsv", "tini", "dumb-init",
    ]

    private var parents: [Int32: Int32] = [:]
    private var names: [Int32: String] = [:]
    /// Session ids where known (non-zero).
    private var sessions: [Int32: Int32] = [:]
    private var memo: [Int32: Bool] = [:]
    private(set) var root: Int32 = 0

    init(alertProcess: ProcessSnapshot, ring: FlightRecorder, from: UInt64, processes: ProcessTable?) {
        if let processes {
            for (pid, entry) in processes.entries {
                parents[pid] = entry.ppid
                names[pid] = entry.name
                if entry.sid > 0 { sessions[pid] = entry.sid }
            }
        }
        var seen: Set<UInt32> = []
        let forkType = ring.tables.types.firstIndex { $0.name == "fork" }.map { UInt16($0) }
        ring.forEach(from: from) { entry in
            if entry.record.type == forkType, let fork = ring.event(entry), fork.arguments["thread"] != "true",
               let child = fork.arguments["child_pid"].flatMap(Int32.init), parents[child] == nil {
                parents[child] = fork.process.pid
            }
            guard seen.insert(entry.record.process).inserted, let packed = ring.packedProcess(entry.record.process) else { return }
            if parents[packed.pid] == nil {
                parents[packed.pid] = packed.ppid
                names[packed.pid] = ring.tables.string(packed.name)
            }
            if packed.sid > 0, sessions[packed.pid] == nil { sessions[packed.pid] = packed.sid }
        }
        parents[alertProcess.pid] = alertProcess.ppid
        names[alertProcess.pid] = alertProcess.name
        if alertProcess.sid > 0 { sessions[alertProcess.pid] = alertProcess.sid }
        root = Self.climb(from: alertProcess.pid, parents: parents, names: names, sessions: sessions)
        memo[root] = true
    }

    static func climb(from pid: Int32, parents: [Int32: Int32], names: [Int32: String],
                      sessions: [Int32: Int32] = [:]) -> Int32 {
        guard pid > 1 else { return pid }
        var current = pid
        var steps = 0
        while steps < 128, let parent = parents[current], parent > 1, parent != current {
            if let sid = sessions[current] {
                if sid == current { break }
                if let parentSID = sessions[parent], parentSID != sid { break }
            }
            if sessionLeaders.contains(names[parent] ?? "") { break }
            current = parent
            steps += 1
        }
        return current
    }

    var rootName: String? { names[root] }

    /// True when `pid` is the root or descends from it (as far as the history and table tell).
    mutating func contains(_ pid: Int32) -> Bool {
        if let known = memo[pid] { return known }
        var chain: [Int32] = []
        var current = pid
        var result = false
        while true {
            if let known = memo[current] { result = known; break }
            chain.append(current)
            guard current > 1, chain.count < 256, let parent = parents[current], parent != current else { break }
            current = parent
        }
        for member in chain { memo[member] = result }
        return result
    }

    var members: Set<Int32> { Set(memo.filter(\.value).keys) }
}
