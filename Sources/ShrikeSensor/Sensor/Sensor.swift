import CShrikeLibbpf
import Foundation
import ShrikeCore
import Synchronization

/// The runtime sensor: loads the BPF program, drains its ring buffer on a dedicated thread and hands decoded events
/// to a sink.
///
/// ```swift
/// let sensor = try Sensor(configuration: SensorConfiguration())
/// try sensor.start(sink: mySink)
/// …
/// sensor.stop()   // drains what is left, then returns
/// ```
public final class Sensor: @unchecked Sendable {
    public let configuration: SensorConfiguration
    public let syscalls: SyscallTable
    private let program: SensorProgram
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let stats = Mutex(SensorStatistics())
    private let started = Mutex(false)
    private let startTime = BootClock.nowBoot()

    /// Checks the machine, then loads and attaches the BPF program. Throws `sensorUnavailable` or `sensorLoadFailed`
    /// with the fix in the message.
    public init(configuration: SensorConfiguration = SensorConfiguration()) throws {
        try SensorPreflight.check()
        guard let table = SyscallTable.current else {
            throw ShrikeError(.sensorUnavailable, "unsupported architecture", input: SensorPreflight.machine())
        }
        self.configuration = configuration
        self.syscalls = table
        var selected = table.syscalls
        if let wanted = configuration.syscalls {
            let all = wanted.union(SyscallTable.processTableNeeds)
            for name in wanted where table[name] == nil && !["fork", "exit", "execve"].contains(name) {
                throw ShrikeError(.usage, "unknown event type; known: fork, exit, "
                                    + table.syscalls.map(\.name).joined(separator: ", "), input: name)
            }
            selected = table.syscalls.filter { all.contains($0.name) }
        }
        func load(dns: Bool) throws -> SensorProgram {
            try SensorProgram(syscalls: selected, ringBufferBytes: configuration.ringBufferBytes,
                              wakeupBytes: configuration.wakeupBytes,
                              readPathPrefixes: configuration.readPathPrefixes, captureDNS: dns,
                              captureBuffers: configuration.captureBuffers,
                              perSyscallTracepoints: configuration.perSyscallTracepoints)
        }
        if configuration.captureDNS {
            // Host names are a nicety: a kernel or cgroup setup that refuses the DNS program must not stop the sensor.
            do {
                program = try load(dns: true)
                hostNamesUnavailableReason = nil
            } catch let error as ShrikeError {
                program = try load(dns: false)
                hostNamesUnavailableReason = error.description
            }
        } else {
            program = try load(dns: false)
            hostNamesUnavailableReason = nil
        }
        if let plan = configuration.enforcement, !plan.isEmpty {
            enforcement = try EnforcementProgram(plan: plan, eventsMapFD: program.eventsMapFD,
                                                 wakeupBytes: configuration.wakeupBytes, syscalls: table)
        } else {
            enforcement = nil
        }
    }

    /// The response program, when the configuration has a plan.
    private let enforcement: EnforcementProgram?

    /// True when a response program is loaded (some rule sets `response:`).
    public var enforcesResponses: Bool { enforcement != nil }

    /// Attaches the `deny-connect` programs to the cgroup2 directory `cgroupPath` under the plan's connect policy
    /// `policy`. Safe from any thread; attaching a cgroup twice does nothing. Throws `responseFailed`.
    public func attachConnectPolicy(_ policy: Int, cgroupPath: String) throws {
        guard let enforcement else {
            throw ShrikeError(.responseFailed, "no response program is loaded (no deny-connect rule)", input: cgroupPath)
        }
        try enforcement.attachConnect(policy: policy, cgroupPath: cgroupPath)
    }

    /// The cgroup directories deny-connect programs are attached to.
    public var connectPolicyCgroups: [String] { enforcement?.connectCgroups ?? [] }

    /// Why DNS answers are not captured although the configuration asked for them; nil when they are (or were not
    /// asked for).
    public let hostNamesUnavailableReason: String?

    /// How syscalls are traced: "per-syscall tracepoints" (only the wanted syscalls run a BPF program) or
    /// "raw sys_exit" (every syscall's exit, when tracefs is not available).
    public var syscallHook: String { program.syscallHook.rawValue }

    /// Why every syscall's exit runs the sensor although per-syscall tracepoints were asked for (no tracefs, or a
    /// wanted syscall this kernel has no tracepoint for); nil otherwise.
    public var rawHookReason: String? { program.rawHookReason }

    /// True when DNS answers are captured and network events get host names.
    public var capturesDNS: Bool { program.dnsCgroup != nil }

    /// The kernel's id of the DNS answer program while it is loaded, for tests that check it is attached and
    /// detached.
    var dnsProgramID: UInt32? { program.dnsProgramID }

    /// Starts draining on a new thread. Events go to `sink` on that thread.
    public func start(sink: any EventSink) throws {
        try started.withLock { started in
            guard !started else { throw ShrikeError(.usage, "the sensor is already running", input: "sensor") }
            started = true
        }
        var assembler = EventAssembler(syscalls: syscalls)
        assembler.responseRuleNames = configuration.enforcement?.ruleNames ?? []
        if configuration.seedProcesses { assembler.seedProcesses() }
        let pipeline = EventPipeline(assembler: assembler, filter: configuration.filter, sink: sink,
                                     capturesDNS: capturesDNS)
        let context = Unmanaged.passRetained(pipeline).toOpaque()
        guard let ring = ring_buffer__new(program.eventsMapFD, { context, data, size in
            guard let context, let data else { return 0 }
            let pipeline = Unmanaged<EventPipeline>.fromOpaque(context).takeUnretainedValue()
            pipeline.handle(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }, context, nil) else {
            Unmanaged<EventPipeline>.fromOpaque(context).release()
            throw ShrikeError(.sensorLoadFailed, "could not open the ring buffer", input: "events")
        }
        let handles = RingHandles(ring: ring, context: context)
        let thread = Thread { [self] in
            self.drain(ring: handles.ring, pipeline: pipeline)
            ring_buffer__free(handles.ring)
            Unmanaged<EventPipeline>.fromOpaque(handles.context).release()
            self.finished.signal()
        }
        thread.name = "shrike-sensor"
        thread.start()
    }

    private func drain(ring: OpaquePointer, pipeline: EventPipeline) {
        var lastSweep = BootClock.nowBoot()
        while !stopping.load(ordering: .relaxed) {
            _ = ring_buffer__poll(ring, configuration.pollIntervalMilliseconds)
            // With batched wake-ups the kernel does not notify below the threshold: read whatever is there anyway.
            _ = ring_buffer__consume(ring)
            pipeline.sink.flush()
            let now = BootClock.nowBoot()
            if now - lastSweep > 30_000_000_000 {
                pipeline.sweep()
                lastSweep = now
            }
            publish(pipeline)
        }
        _ = ring_buffer__consume(ring)
        pipeline.sink.flush()
        publish(pipeline)
    }

    private func publish(_ pipeline: EventPipeline) {
        let drops = program.drops()
        let filtered = program.filteredOpens()
        let elapsed = Double(BootClock.nowBoot() - startTime) / 1e9
        stats.withLock { stats in
            stats.received = pipeline.received
            stats.delivered = pipeline.delivered
            stats.malformed = pipeline.malformed
            stats.processes = pipeline.assembler.processes.count
            stats.dropped = drops
            stats.filtered = filtered
            stats.elapsed = elapsed
            stats.dnsAnswers = pipeline.capturesDNS ? pipeline.dnsAnswers : nil
            stats.hostNames = pipeline.assembler.hostNames.count
        }
    }

    /// Stops draining after one more pass over the ring buffer; returns when the thread has finished.
    public func stop() {
        guard started.withLock({ $0 }) else { return }
        if stopping.exchange(true, ordering: .relaxed) == false {
            finished.wait()
        }
    }

    /// The counters as of the last drained batch (drops read from the kernel then).
    public func statistics() -> SensorStatistics {
        stats.withLock { $0 }
    }
}

/// The libbpf ring and the pipeline pointer handed to the sensor thread, which alone uses them from then on.
private struct RingHandles: @unchecked Sendable {
    let ring: OpaquePointer
    let context: UnsafeMutableRawPointer
}

/// The sensor thread's state: decoding, the process table, filtering. Touched only by that thread (hence unchecked).
final class EventPipeline: @unchecked Sendable {
    var assembler: EventAssembler
    let filter: EventFilter
    let sink: any EventSink
    var received: [EventCategory: UInt64] = [:]
    var delivered: UInt64 = 0
    var malformed: UInt64 = 0
    let capturesDNS: Bool
    var dnsAnswers: UInt64 = 0

    init(assembler: EventAssembler, filter: EventFilter, sink: any EventSink, capturesDNS: Bool = false) {
        self.assembler = assembler
        self.filter = filter
        self.sink = sink
        self.capturesDNS = capturesDNS
    }

    func handle(_ bytes: UnsafeRawBufferPointer) {
        guard let record = KernelRecord(bytes: bytes) else {
            malformed += 1
            return
        }
        // Before any filter: the answer names the addresses of events of every process that follow it.
        if record.kind == .dns {
            dnsAnswers += 1
            assembler.learnHostNames(from: record)
            return
        }
        guard var event = assembler.event(from: record) else {
            malformed += 1
            return
        }
        received[event.category, default: 0] += 1
        guard filter.isEmpty || filter.accepts(event, processes: assembler.processes) else { return }
        delivered += 1
        // In place: handing the event over by value would copy it (and retain each of its strings) per sink call.
        let sink = sink
        withUnsafePointer(to: &event) { eventPointer in
            assembler.withProcesses { sink.receive(eventAt: eventPointer, processesAt: $0) }
        }
    }

    func sweep() {
        _ = assembler.sweepProcesses { pid in kill(pid, 0) == 0 || errno == EPERM }
    }
}
