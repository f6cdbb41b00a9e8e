import ShrikeSensor

/// The event being evaluated and what fields may look up about it: the process table (ancestors), the user
/// database and process environments.
///
/// One context is reused for every event of an engine (no allocation per event); lookups that cost something
/// (ancestors) are done once per event, when a rule first asks.
public final class EvaluationContext {
    // The event and table are read through pointers: a class's stored `var` would pay a dynamic exclusivity check on
    // every access, and the engine points them at the caller's values for the duration of one evaluation instead of
    // copying them (holding the sensor's table would make its next update copy the whole table).
    private let ownedEvent: UnsafeMutablePointer<Event>
    private let ownedProcesses: UnsafeMutablePointer<ProcessTable>

    /// Everything that changes per event, behind one `let` pointer: reads on the hot path are plain loads (a
    /// class's stored `var` pays a dynamic exclusivity check on every access).
    struct State {
        var event: UnsafePointer<Event>
        var processes: UnsafePointer<ProcessTable>
        var eventNumber: UInt64 = 0
        var directoryLoaded = false
        var directory: String?
        var kindLoaded = false
        var kind: (name: String, char: String)?
        var ancestorsLoaded = false
        var ancestors: [ProcessEntry] = []
    }

    private let state: UnsafeMutablePointer<State>

    /// The event being evaluated.
    public var event: Event { unsafeAddress { state.pointee.event } }
    /// The process table as of this event.
    public var processes: ProcessTable { unsafeAddress { state.pointee.processes } }
    /// Counts events from 1 (`evt.num`).
    /// Counts events from 1 (`evt.num`).
    public var eventNumber: UInt64 { state.pointee.eventNumber }
    public let hostname: String
    let users: UserDatabase
    let environments: ProcessEnvironmentCache


    public init(event: Event, processes: ProcessTable = ProcessTable(), hostname: String = "",
                users: UserDatabase = UserDatabase(), environments: ProcessEnvironmentCache = ProcessEnvironmentCache()) {
        ownedEvent = .allocate(capacity: 1)
        ownedEvent.initialize(to: event)
        ownedProcesses = .allocate(capacity: 1)
        ownedProcesses.initialize(to: processes)
        state = .allocate(capacity: 1)
        state.initialize(to: State(event: UnsafePointer(ownedEvent), processes: UnsafePointer(ownedProcesses)))
        self.hostname = hostname
        self.users = users
        self.environments = environments
    }

    deinit {
        ownedEvent.deinitialize(count: 1)
        ownedEvent.deallocate()
        ownedProcesses.deinitialize(count: 1)
        ownedProcesses.deallocate()
        memoState.pointee.stamps?.deallocate()
        memoState.pointee.values?.deallocate()
        memoState.deinitialize(count: 1)
        memoState.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }


    /// `fd.directory`, computed once per event (several rules usually ask).
    var fileDirectory: String? {
        if !state.pointee.directoryLoaded {
            state.pointee.directoryLoaded = true
            if event.net == nil, let path = event.file?.path {
                state.pointee.directory = FieldRegistry.directory(of: path)
            } else {
                state.pointee.directory = nil
            }
        }
        return state.pointee.directory
    }


    /// `fd.type`/`fd.typechar`, computed once per event.
    var descriptorKind: (name: String, char: String)? {
        if !state.pointee.kindLoaded {
            state.pointee.kindLoaded = true
            state.pointee.kind = FieldRegistry.descriptorType(event)
        }
        return state.pointee.kind
    }

    /// Points the context at the next event (a copy the context keeps).
    public func reset(event: Event, processes: ProcessTable) {
        ownedEvent.pointee = event
        ownedProcesses.pointee = processes
        bind(UnsafePointer(ownedEvent), UnsafePointer(ownedProcesses))
    }

    /// Macro results of the current event: slot i holds a value when `stamps[i] == generation`. Behind a `let`
    /// pointer so the hot path pays no exclusivity checks.
    struct MemoState {
        var generation: UInt64 = 1
        var capacity = 0
        var stamps: UnsafeMutablePointer<UInt64>?
        var values: UnsafeMutablePointer<Bool>?
    }

    private let memoState: UnsafeMutablePointer<MemoState> = {
        let state = UnsafeMutablePointer<MemoState>.allocate(capacity: 1)
        state.initialize(to: MemoState())
        return state
    }()

    /// Makes room for `count` macro results (the engine sizes it from its rule set).
    func reserveMemo(_ count: Int) {
        guard count > memoState.pointee.capacity else { return }
        memoState.pointee.stamps?.deallocate()
        memoState.pointee.values?.deallocate()
        let stamps = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
        stamps.initialize(repeating: 0, count: count)
        let values = UnsafeMutablePointer<Bool>.allocate(capacity: count)
        values.initialize(repeating: false, count: count)
        memoState.pointee = MemoState(generation: 1, capacity: count, stamps: stamps, values: values)
    }

    @inline(__always)
    func memo(_ slot: Int) -> Bool? {
        let state = memoState
        guard slot < state.pointee.capacity, let stamps = state.pointee.stamps, let values = state.pointee.values,
              stamps[slot] == state.pointee.generation else { return nil }
        return values[slot]
    }

    @inline(__always)
    func remember(_ slot: Int, _ value: Bool) {
        let state = memoState
        guard slot < state.pointee.capacity, let stamps = state.pointee.stamps, let values = state.pointee.values
        else { return }
        stamps[slot] = state.pointee.generation
        values[slot] = value
    }

    /// Points the context back at its own copies (after `bind`, before the caller's values go away).
    func unbind() {
        state.pointee.event = UnsafePointer(ownedEvent)
        state.pointee.processes = UnsafePointer(ownedProcesses)
    }

    /// Points the context at values the caller keeps alive until it is done evaluating (no copies).
    func bind(_ event: UnsafePointer<Event>, _ processes: UnsafePointer<ProcessTable>) {
        state.pointee.event = event
        state.pointee.processes = processes
        state.pointee.eventNumber &+= 1
        memoState.pointee.generation &+= 1
        state.pointee.directoryLoaded = false
        state.pointee.kindLoaded = false
        if state.pointee.ancestorsLoaded {
            state.pointee.ancestorsLoaded = false
            state.pointee.ancestors.removeAll(keepingCapacity: true)
        }
    }

    /// The parent's table entry (nil when the table does not know it).
    var parent: ProcessEntry? { processes[event.process.ppid] }

    /// Ancestors nearest first: index 0 is the parent.
    var ancestors: [ProcessEntry] {
        if !state.pointee.ancestorsLoaded {
            state.pointee.ancestorsLoaded = true
            var seen: Set<Int32> = [event.process.pid]
            var current = event.process.ppid
            var list: [ProcessEntry] = []
            while list.count < 64, let entry = processes[current], seen.insert(current).inserted {
                list.append(entry)
                current = entry.ppid
            }
            state.pointee.ancestors = list
        }
        return state.pointee.ancestors
    }

    /// The `n`th ancestor: 1 is the parent (0 is the process itself, which callers handle).
    func ancestor(_ n: Int) -> ProcessEntry? {
        if n == 1 { return parent }
        let list = ancestors
        return n - 1 < list.count ? list[n - 1] : nil
    }
}
