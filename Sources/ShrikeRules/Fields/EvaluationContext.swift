import ShrikeSensor

/// The event being evaluated and what fields may look up about it: the process table (ancestors), the user
/// database and process environments.
///
/// One context is reused for every event of an engine (no allocation per event); lookups that cost something
/// (ancestors) are done once per event, when a rule first asks.
public final class EvaluationContext {
    public private(set) var event: Event
    public private(set) var processes: ProcessTable
    /// Counts events from 1 (`evt.num`).
    public private(set) var eventNumber: UInt64 = 0
    public let hostname: String
    let users: UserDatabase
    let environments: ProcessEnvironmentCache

    private var ancestorsLoaded = false
    private var ancestorCache: [ProcessEntry] = []

    public init(event: Event, processes: ProcessTable = ProcessTable(), hostname: String = "",
                users: UserDatabase = UserDatabase(), environments: ProcessEnvironmentCache = ProcessEnvironmentCache()) {
        self.event = event
        self.processes = processes
        self.hostname = hostname
        self.users = users
        self.environments = environments
    }

    /// Points the context at the next event.
    public func reset(event: Event, processes: ProcessTable) {
        self.event = event
        self.processes = processes
        eventNumber &+= 1
        if ancestorsLoaded {
            ancestorsLoaded = false
            ancestorCache.removeAll(keepingCapacity: true)
        }
    }

    /// The parent's table entry (nil when the table does not know it).
    var parent: ProcessEntry? { processes[event.process.ppid] }

    /// Ancestors nearest first: index 0 is the parent.
    var ancestors: [ProcessEntry] {
        if !ancestorsLoaded {
            ancestorsLoaded = true
            var seen: Set<Int32> = [event.process.pid]
            var current = event.process.ppid
            while ancestorCache.count < 64, let entry = processes[current], seen.insert(current).inserted {
                ancestorCache.append(entry)
                current = entry.ppid
            }
        }
        return ancestorCache
    }

    /// The `n`th ancestor: 1 is the parent (0 is the process itself, which callers handle).
    func ancestor(_ n: Int) -> ProcessEntry? {
        if n == 1 { return parent }
        let list = ancestors
        return n - 1 < list.count ? list[n - 1] : nil
    }
}
