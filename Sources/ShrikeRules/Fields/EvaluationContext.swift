import ShrikeSensor

/// The event being evaluated and what fields may look up about it: the process table (ancestors), the user
/// database and process environments.
///
/// One context is reused for every event of an engine (no allocation per event); lookups that cost something
/// (ancestors) are done once per event, when a rule first asks.
public final class EvaluationContext {
    // The event and table live behind pointers so the many reads per event are plain loads: a class's stored `var`
    // would pay a dynamic exclusivity check on every access.
    private let eventStorage: UnsafeMutablePointer<Event>
    private let processStorage: UnsafeMutablePointer<ProcessTable>

    /// The event being evaluated.
    public var event: Event { unsafeAddress { UnsafePointer(eventStorage) } }
    /// The process table as of this event.
    public var processes: ProcessTable { unsafeAddress { UnsafePointer(processStorage) } }
    /// Counts events from 1 (`evt.num`).
    public private(set) var eventNumber: UInt64 = 0
    public let hostname: String
    let users: UserDatabase
    let environments: ProcessEnvironmentCache

    private var ancestorsLoaded = false
    private var ancestorCache: [ProcessEntry] = []

    public init(event: Event, processes: ProcessTable = ProcessTable(), hostname: String = "",
                users: UserDatabase = UserDatabase(), environments: ProcessEnvironmentCache = ProcessEnvironmentCache()) {
        eventStorage = .allocate(capacity: 1)
        eventStorage.initialize(to: event)
        processStorage = .allocate(capacity: 1)
        processStorage.initialize(to: processes)
        self.hostname = hostname
        self.users = users
        self.environments = environments
    }

    deinit {
        eventStorage.deinitialize(count: 1)
        eventStorage.deallocate()
        processStorage.deinitialize(count: 1)
        processStorage.deallocate()
    }

    private var directoryLoaded = false
    private var directoryCache: String?

    /// `fd.directory`, computed once per event (several rules usually ask).
    var fileDirectory: String? {
        if !directoryLoaded {
            directoryLoaded = true
            if event.net == nil, let path = event.file?.path {
                directoryCache = FieldRegistry.directory(of: path)
            } else {
                directoryCache = nil
            }
        }
        return directoryCache
    }

    private var kindLoaded = false
    private var kindCache: (name: String, char: String)?

    /// `fd.type`/`fd.typechar`, computed once per event.
    var descriptorKind: (name: String, char: String)? {
        if !kindLoaded {
            kindLoaded = true
            kindCache = FieldRegistry.descriptorType(event)
        }
        return kindCache
    }

    /// Points the context at the next event.
    public func reset(event: Event, processes: ProcessTable) {
        eventStorage.pointee = event
        processStorage.pointee = processes
        directoryLoaded = false
        kindLoaded = false
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
