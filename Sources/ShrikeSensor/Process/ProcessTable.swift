/// Every process the sensor knows, kept current by fork, exec, chdir and exit events.
///
/// Seeded from /proc so processes older than the sensor are known; entries are removed when their process exits, and
/// `sweep` removes those whose exit was lost (dropped events), so the table does not grow over a long run.
public struct ProcessTable: Sendable {
    public private(set) var entries: [Int32: ProcessEntry] = [:]
    public var procfs: ProcfsReader

    public init(procfs: ProcfsReader = ProcfsReader()) {
        self.procfs = procfs
    }

    /// A table holding `entries` (keyed by pid): for tests and for replaying recorded events.
    public init(entries: [ProcessEntry], procfs: ProcfsReader = ProcfsReader()) {
        self.procfs = procfs
        for entry in entries { self.entries[entry.pid] = entry }
    }

    public var count: Int { entries.count }
    public subscript(pid: Int32) -> ProcessEntry? { entries[pid] }

    /// Loads every live process from /proc.
    public mutating func seed(clock: BootClock) {
        for pid in procfs.pids() {
            if let entry = procfs.entry(pid: pid, bootTimeTicks: clock.bootNanoseconds(fromTicks:)) {
                entries[pid] = entry
            }
        }
    }

    /// The entry for `pid`, loading it from /proc (or making a minimal one) when the sensor missed its fork.
    mutating func entry(for pid: Int32, ppid: Int32, comm: String, clock: BootClock) -> ProcessEntry {
        if let entry = entries[pid] { return entry }
        let entry = load(pid, ppid: ppid, comm: comm, clock: clock)
        entries[pid] = entry
        return entry
    }

    /// Removes and returns the entry for `pid` (loading or making it as `entry(for:)` does); put it back with `update`.
    mutating func take(_ pid: Int32, ppid: Int32, comm: String, clock: BootClock) -> ProcessEntry {
        entries.removeValue(forKey: pid) ?? load(pid, ppid: ppid, comm: comm, clock: clock)
    }

    /// A process the table does not know: from /proc while it lives, else what the event says (cwd inherited).
    private func load(_ pid: Int32, ppid: Int32, comm: String, clock: BootClock) -> ProcessEntry {
        procfs.entry(pid: pid, bootTimeTicks: clock.bootNanoseconds(fromTicks:))
            ?? ProcessEntry(pid: pid, ppid: ppid, name: comm, cwd: entries[ppid]?.cwd ?? "/")
    }

    mutating func fork(parent: ProcessEntry, child: Int32, time: UInt64, vpid: Int32 = 0) {
        var entry = parent
        entry.pid = child
        entry.ppid = parent.pid
        entry.startBootTime = time
        entry.vpid = vpid
        entries[child] = entry
    }

    /// Stores `entry` under its pid, replacing what was there (the sensor after each event; replays of recordings).
    public mutating func update(_ entry: ProcessEntry) {
        entries[entry.pid] = entry
    }

    mutating func remove(_ pid: Int32) {
        entries[pid] = nil
    }

    /// Removes entries whose process is gone; returns how many were removed.
    @discardableResult
    public mutating func sweep(isAlive: (Int32) -> Bool) -> Int {
        let dead = entries.keys.filter { !isAlive($0) }
        for pid in dead { entries[pid] = nil }
        return dead.count
    }

    /// Ancestors of `pid`, nearest first (parent, grandparent, …), stopping at a loop or an unknown pid.
    public func ancestors(of pid: Int32, limit: Int = 64) -> [ProcessEntry] {
        var result: [ProcessEntry] = []
        var seen: Set<Int32> = [pid]
        var current = entries[pid]?.ppid
        while let next = current, result.count < limit, let entry = entries[next], seen.insert(next).inserted {
            result.append(entry)
            current = entry.ppid
        }
        return result
    }
}
