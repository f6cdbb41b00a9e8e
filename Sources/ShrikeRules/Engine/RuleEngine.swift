#if canImport(Glibc)
import Glibc
#endif
import ShrikeSensor

/// Evaluates compiled rules against events and turns matches into alerts.
///
/// Used from one thread (the sensor's): it keeps per-event scratch state and the de-duplication table. Rules are
/// bucketed by event type, so an event only meets the rules that can match its type (plus those without a type
/// restriction). Every matching rule fires, in load order, unless `firstMatch` is set.
///
/// De-duplication: a rule firing again for the same process within `deduplicationWindow` is folded, not dropped;
/// the next alert of that rule and process carries the folded repeats in `count`, and `flushSuppressed(now:)` emits
/// alerts for folds that no later alert picked up.
public final class RuleEngine {
    public struct Options: Sendable {
        /// Stop at the first matching rule (Falco's old behaviour); default false: every matching rule fires.
        public var firstMatch: Bool
        /// Seconds within which repeats of a rule for one process are folded; 0 turns de-duplication off.
        public var deduplicationWindow: Double
        /// Rules less severe than this never fire.
        public var minimumPriority: RulePriority
        /// The alerts' hostname; nil reads it once with gethostname.
        public var hostname: String?
        /// Responses run dry (`--dry-run-responses`): alerts say `would-kill` / `would-deny`.
        public var dryRunResponses: Bool

        public init(firstMatch: Bool = false, deduplicationWindow: Double = 1, minimumPriority: RulePriority = .debug,
                    hostname: String? = nil, dryRunResponses: Bool = false) {
            self.firstMatch = firstMatch
            self.deduplicationWindow = deduplicationWindow
            self.minimumPriority = minimumPriority
            self.hostname = hostname
            self.dryRunResponses = dryRunResponses
        }
    }

    /// Counters since the engine was made.
    public struct Statistics: Sendable, Equatable {
        public var events = 0
        /// Rule matches, before de-duplication.
        public var matches = 0
        public var alerts = 0
        /// Matches folded into a later alert's `count`.
        public var folded = 0
    }

    public let ruleSet: CompiledRuleSet
    public let options: Options
    public let hostname: String
    public private(set) var statistics = Statistics()

    private let rules: [CompiledRule]
    /// Event type → bucket number; bucket 0 holds the rules without a type restriction.
    private let bucketNumbers: [String: Int]
    private var lastType = ""
    private var lastBucket = 0
    /// Per bucket, the rules' indices in load order, flattened: bucket b is `bucketStart[b]..<bucketStart[b + 1]`.
    private let bucketStart: UnsafeMutablePointer<Int>
    private let bucketRules: UnsafeMutablePointer<Int>
    /// The rules' condition roots, called without reference counting (`rules` keeps them alive).
    private let roots: UnsafeMutablePointer<Unmanaged<PredicateNode>>
    private let context: EvaluationContext
    private let windowNanoseconds: UInt64
    private let placeholder: Event
    private let emptyTable = ProcessTable()

    private struct FoldKey: Hashable {
        var rule: Int
        var pid: Int32
    }

    private struct FoldState {
        var lastEmitted: UInt64
        var pending: Int
        var lastEvent: Event?
    }

    private var folds: [FoldKey: FoldState] = [:]

    public init(rules ruleSet: CompiledRuleSet, options: Options = Options(), users: UserDatabase = UserDatabase(),
                environments: ProcessEnvironmentCache = ProcessEnvironmentCache()) {
        self.ruleSet = ruleSet
        self.options = options
        hostname = options.hostname ?? Self.currentHostname()
        let active = ruleSet.rules.filter { $0.active && $0.priority <= options.minimumPriority }
        rules = active
        var untyped: [Int] = []
        var typed: [String: [Int]] = [:]
        for (index, rule) in active.enumerated() {
            if let types = rule.eventTypes {
                for type in types { typed[type, default: []].append(index) }
            } else {
                untyped.append(index)
            }
        }
        // Each bucket holds its typed rules and the untyped ones, in load order.
        var lists: [[Int]] = [untyped]
        var numbers: [String: Int] = [:]
        for (type, indices) in typed.sorted(by: { $0.key < $1.key }) {
            numbers[type] = lists.count
            lists.append((indices + untyped).sorted())
        }
        bucketNumbers = numbers
        bucketStart = .allocate(capacity: lists.count + 1)
        let total = lists.reduce(0) { $0 + $1.count }
        bucketRules = .allocate(capacity: max(1, total))
        var offset = 0
        for (number, list) in lists.enumerated() {
            bucketStart[number] = offset
            for index in list {
                bucketRules[offset] = index
                offset += 1
            }
        }
        bucketStart[lists.count] = offset
        roots = .allocate(capacity: max(1, active.count))
        for (index, rule) in active.enumerated() {
            (roots + index).initialize(to: Unmanaged.passUnretained(rule.engineRoot))
        }
        windowNanoseconds = UInt64(max(0, options.deduplicationWindow) * 1_000_000_000)
        placeholder = Event(time: 0, type: "", category: .other, ret: 0,
                                process: ProcessSnapshot(pid: 0, tid: 0, ppid: 0, uid: 0, gid: 0, loginuid: .max,
                                                         name: "", exe: "", args: [], cwd: "/", tty: 0,
                                                         container: .host))
        context = EvaluationContext(event: placeholder, hostname: hostname, users: users, environments: environments)
        context.reserveMemo(ruleSet.memoSlotCount)
    }

    deinit {
        bucketStart.deallocate()
        bucketRules.deallocate()
        roots.deallocate()
    }

    /// The rule indices that can match `type`.
    @inline(__always)
    private func candidates(_ type: String) -> Range<Int> {
        // Events come in runs of one type (an open, its close, the next open…) whose names share storage with the
        // syscall table, so comparing with the last type is cheaper than hashing the name each time.
        let bucket: Int
        if type == lastType {
            bucket = lastBucket
        } else {
            bucket = bucketNumbers[type] ?? 0
            lastType = type
            lastBucket = bucket
        }
        return bucketStart[bucket]..<bucketStart[bucket + 1]
    }

    @inline(__always)
    private func matches(rule index: Int) -> Bool {
        roots[index]._withUnsafeGuaranteedRef { $0.evaluate(context) }
    }

    /// The alerts `event` raises (empty for most events). `processes` must be the table as of this event; neither
    /// is copied or kept.
    public func evaluate(_ event: borrowing Event, processes: borrowing ProcessTable) -> [Alert] {
        withUnsafePointer(to: event) { eventPointer in
            withUnsafePointer(to: processes) { evaluate(at: eventPointer, processes: $0) }
        }
    }

    /// The alerts the event at `event` raises; the pointer form of `evaluate(_:processes:)` for callers that hold
    /// events in buffers or `var`s. Passing a `let` event by value makes Swift copy it first (retaining each of its
    /// strings), which costs more than evaluating most events; both pointees must stay valid during the call.
    public func evaluate(at event: UnsafePointer<Event>, processes: UnsafePointer<ProcessTable>) -> [Alert] {
        statistics.events += 1
        let range = candidates(event.pointee.type)
        if range.isEmpty { return [] }
        context.bind(event, processes)
        var alerts: [Alert] = []
        for slot in range {
            let index = bucketRules[slot]
            guard matches(rule: index) else { continue }
            statistics.matches += 1
            if let alert = admit(index, event) { alerts.append(alert) }
            if options.firstMatch { break }
        }
        context.unbind()
        return alerts
    }

    /// How many active rules match `event` (no alerts, no de-duplication): for measuring and for tests.
    public func matches(_ event: borrowing Event, processes: borrowing ProcessTable) -> Int {
        withUnsafePointer(to: event) { eventPointer in
            withUnsafePointer(to: processes) { matches(at: eventPointer, processes: $0) }
        }
    }

    /// The pointer form of `matches(_:processes:)`; see `evaluate(at:processes:)`.
    public func matches(at event: UnsafePointer<Event>, processes: UnsafePointer<ProcessTable>) -> Int {
        let range = candidates(event.pointee.type)
        if range.isEmpty { return 0 }
        context.bind(event, processes)
        var count = 0
        for slot in range where matches(rule: bucketRules[slot]) { count += 1 }
        context.unbind()
        return count
    }

    /// Alerts for repeats folded more than a window ago that no later alert carried; call periodically (every
    /// second or so) and at exit with `now: .max`. `now` is nanoseconds since the Unix epoch. Ancestry fields in
    /// their output come from `processes` (`<NA>` when not given or the process is gone).
    public func flushSuppressed(now: UInt64, processes: ProcessTable = ProcessTable()) -> [Alert] {
        var alerts: [Alert] = []
        for (key, state) in folds {
            guard now >= state.lastEmitted &+ windowNanoseconds || now == .max else { continue }
            if state.pending > 0, let event = state.lastEvent {
                context.reset(event: event, processes: processes)
                var alert = makeAlert(rules[key.rule], event)
                alert.count = state.pending
                alerts.append(alert)
                statistics.alerts += 1
            }
            folds[key] = nil
        }
        context.reset(event: placeholder, processes: emptyTable)
        return alerts.sorted { $0.time < $1.time }
    }

    private func admit(_ index: Int, _ eventPointer: UnsafePointer<Event>) -> Alert? {
        let event = eventPointer.pointee
        guard windowNanoseconds > 0 else {
            statistics.alerts += 1
            return makeAlert(rules[index], event)
        }
        let key = FoldKey(rule: index, pid: event.process.pid)
        if var state = folds[key], event.time < state.lastEmitted &+ windowNanoseconds {
            state.pending += 1
            state.lastEvent = event
            folds[key] = state
            statistics.folded += 1
            return nil
        }
        let pending = folds[key]?.pending ?? 0
        folds[key] = FoldState(lastEmitted: event.time, pending: 0, lastEvent: nil)
        statistics.alerts += 1
        var alert = makeAlert(rules[index], event)
        alert.count = 1 + pending
        return alert
    }

    private func makeAlert(_ rule: CompiledRule, _ event: Event) -> Alert {
        let (output, fields) = rule.output.render(context)
        let response = rule.response?.outcome(for: event, parentName: FieldRegistry.generation(context, 1)?.name,
                                              dryRun: options.dryRunResponses)
        return Alert(time: event.time, rule: rule.name, priority: rule.priority, source: rule.source, tags: rule.tags,
                     output: output, outputFields: fields, hostname: hostname, event: event, count: 1,
                     captureBefore: rule.captureBefore, captureAfter: rule.captureAfter, response: response)
    }

    static func currentHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
