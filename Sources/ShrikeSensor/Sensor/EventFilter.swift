/// Which events reach the sink (`shrike watch --pid/--container/--type`).
public struct EventFilter: Sendable {
    /// Events of these processes or of any of their descendants.
    public var pids: Set<Int32>
    /// Container ids (a prefix of the full id is enough) or `host`.
    public var containers: Set<String>
    /// Event types (`openat`, `execve`, `fork`, …).
    public var types: Set<String>

    public init(pids: Set<Int32> = [], containers: Set<String> = [], types: Set<String> = []) {
        self.pids = pids
        self.containers = containers
        self.types = types
    }

    public var isEmpty: Bool { pids.isEmpty && containers.isEmpty && types.isEmpty }

    func accepts(_ event: Event, processes: ProcessTable) -> Bool {
        if !types.isEmpty && !types.contains(event.type) { return false }
        if !containers.isEmpty {
            let container = event.process.container
            let matches = containers.contains { wanted in
                wanted == container.id || (!container.isHost && container.fullID.hasPrefix(wanted))
                    || (!container.name.isEmpty && wanted == container.name)
            }
            if !matches { return false }
        }
        if !pids.isEmpty {
            if pids.contains(event.process.pid) || pids.contains(event.process.ppid) { return true }
            // The exit event's process has already left the table; its parent is still there.
            return processes.ancestors(of: event.process.ppid).contains { pids.contains($0.pid) }
                || processes.ancestors(of: event.process.pid).contains { pids.contains($0.pid) }
        }
        return true
    }
}
