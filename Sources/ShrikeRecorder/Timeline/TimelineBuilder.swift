import ShrikeSensor

/// Builds the `Timeline` of a stored incident.
public struct TimelineBuilder: Sendable {
    /// DNS names for addresses (address → name) learnt elsewhere; used for events that carry no host name of their
    /// own (the sensor names an event's address when it saw a DNS answer for it, `NetworkActivity.hostName`).
    public var hostNames: [String: String]
    /// At most this many entries in the time-ordered list; the rest are counted in `entriesOmitted`.
    public var entryLimit: Int

    public init(hostNames: [String: String] = [:], entryLimit: Int = 20_000) {
        self.hostNames = hostNames
        self.entryLimit = entryLimit
    }

    public func build(_ incident: StoredIncident) -> Timeline {
        let events = incident.events.sorted { $0.time < $1.time }
        let summary = incident.summary
        var processes = ProcessCollector()
        for event in events { processes.add(event) }
        for alert in incident.alerts { processes.markAlert(pid: alert.pid, rule: alert.rule) }
        let tree = processes.finish()
        let depth = tree.depths

        var files = FileCollector()
        var network = NetworkCollector(hostNames: hostNames)
        var entries: [TimelineEntry] = []
        var omitted = 0
        func add(_ entry: TimelineEntry) {
            if entries.count < entryLimit { entries.append(entry) } else { omitted += 1 }
        }
        for event in events {
            let pid = event.process.pid
            let base = TimelineEntry(time: Timestamp(event.time), lane: .other, kind: event.type, pid: pid,
                                     process: event.process.name, depth: depth[pid] ?? 0, summary: "",
                                     syscall: event.type, failed: event.failed)
            // What Shrike itself did (a kill, a refused connect) sits in the alert lane, beside the alert it answers.
            if event.type == "response" {
                var entry = base
                entry.lane = .alert
                entry.kind = "response"
                entry.summary = Self.responseSummary(event)
                add(entry)
                continue
            }
            if let action = FileActionClassifier.action(of: event) {
                files.add(event, action: action)
                var entry = base
                entry.lane = .file
                entry.kind = action.rawValue
                entry.summary = Self.fileSummary(event)
                add(entry)
                continue
            }
            if event.net != nil, let (kind, summary) = network.add(event) {
                var entry = base
                entry.lane = .network
                entry.kind = kind
                entry.summary = summary
                add(entry)
                continue
            }
            if let (lane, kind, text) = Self.notable(event) {
                var entry = base
                entry.lane = lane
                entry.kind = kind
                entry.summary = text
                add(entry)
            }
        }
        network.finish()
        for alert in incident.alerts {
            add(TimelineEntry(time: Timestamp(alert.time), lane: .alert, kind: "alert", pid: alert.pid,
                              process: alert.processName, depth: depth[alert.pid] ?? 0,
                              summary: "\(alert.priority) \(alert.rule): \(alert.output)", syscall: alert.eventType,
                              failed: false))
        }
        // Alerts sort after the event that raised them (same time), which keeps cause before effect.
        entries = entries.enumerated().sorted { a, b in
            (a.element.time, a.element.lane == .alert ? 1 : 0, a.offset) < (b.element.time, b.element.lane == .alert ? 1 : 0, b.offset)
        }.map(\.element)

        let start = min(summary.windowStart, events.first?.time ?? summary.windowStart)
        let end = max(summary.windowEnd, events.last?.time ?? summary.windowEnd)
        let header = TimelineIncident(
            id: summary.id, scope: summary.scope, scopeDescription: summary.scope.description,
            openedAt: Timestamp(summary.openedAt), closedAt: Timestamp(summary.closedAt), start: Timestamp(start),
            end: Timestamp(end), firstRule: summary.firstRule, priority: summary.priority,
            alertCount: summary.alertCount, eventCount: summary.eventCount, droppedEvents: summary.droppedEvents,
            hostname: summary.hostname, closedEarly: summary.closedEarly)
        let alerts = incident.alerts.map {
            TimelineAlert(time: Timestamp($0.time), rule: $0.rule, priority: $0.priority, output: $0.output, pid: $0.pid,
                          process: $0.processName, tags: $0.tags, count: $0.count)
        }
        return Timeline(incident: header, processes: tree.processes, roots: tree.roots, files: files.files,
                        network: network.network, alerts: alerts, entries: entries, entriesOmitted: omitted)
    }

    static func fileSummary(_ event: Event) -> String {
        guard let file = event.file else { return "" }
        var text = file.path
        if let target = file.target {
            switch event.type {
            case "symlink", "symlinkat": text += " -> " + target
            default: text += " → " + target
            }
        }
        switch event.type {
        case "chmod", "fchmod", "fchmodat":
            if let mode = file.mode { text += " mode 0" + String(mode & 0o7777, radix: 8) }
        case "chown", "lchown", "fchown", "fchownat":
            text += " owner \(event.arguments["uid"] ?? "?"):\(event.arguments["gid"] ?? "?")"
        default: break
        }
        if let error = ErrnoName.name(event.ret) { text += " (\(error))" }
        return text
    }

    /// `killed (rule 'Write below binary dir'): openat /usr/local/bin/x`, `denied (rule …): connect 10.0.0.1:443`.
    static func responseSummary(_ event: Event) -> String {
        let arguments = event.arguments
        var text = "\(arguments["response"] ?? "?") (rule '\(arguments["rule"] ?? "?")'): \(arguments["syscall"] ?? "?")"
        if let path = event.file?.path { text += " " + path }
        if let endpoint = event.net?.endpoint { text += " " + endpoint }
        return text
    }

    /// Events worth a line that are neither file changes nor network: execs, exits, privilege changes, signals, ….
    static func notable(_ event: Event) -> (TimelineEntry.Lane, String, String)? {
        let failure = ErrnoName.name(event.ret).map { " (\($0))" } ?? ""
        let arguments = event.arguments
        switch event.type {
        case "execve", "execveat":
            if event.failed { return (.process, "exec", (event.file?.path ?? event.process.exe) + failure) }
            return (.process, "exec", event.process.cmdline)
        case "exit":
            if let signal = arguments["signal"] { return (.process, "exit", "killed by signal \(signal)") }
            return (.process, "exit", "exit code \(arguments["exit_code"] ?? "?")")
        case "setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid":
            let values = arguments.keys.sorted().map { "\($0)=\(arguments[$0] ?? "")" }.joined(separator: " ")
            return (.other, "privilege", "\(event.type) \(values)\(failure)")
        case "kill", "tkill", "tgkill":
            return (.other, "signal", "signal \(arguments["signal"] ?? "?") to \(arguments["target_pid"] ?? "?")\(failure)")
        case "ptrace":
            return (.other, "ptrace", "request \(arguments["request"] ?? "?") on \(arguments["target_pid"] ?? "?")\(failure)")
        case "mount", "umount2":
            return (.other, "mount", "\(event.type) \(event.file?.path ?? "") \(arguments["fstype"] ?? "")\(failure)")
        case "init_module", "finit_module":
            return (.other, "module", "\(event.type) \(event.file?.path ?? "")\(failure)")
        case "setns", "unshare":
            return (.other, "namespace", "\(event.type) \(arguments["nstype"] ?? arguments["flags"] ?? "")\(failure)")
        case "memfd_create":
            return (.other, "memfd", (event.file?.path ?? "") + failure)
        default:
            return nil
        }
    }
}

/// Gathers processes from events: forks, execs, exits and the snapshot each event carries.
struct ProcessCollector {
    private var byPID: [Int32: TimelineProcess] = [:]
    private var order: [Int32] = []

    mutating func add(_ event: Event) {
        let snapshot = event.process
        let time = Timestamp(event.time)
        var process: TimelineProcess
        if let known = byPID[snapshot.pid] {
            process = known
        } else {
            let fresh = event.type == "execve" && !event.failed
            process = Self.process(snapshot, start: time, beforeWindow: !fresh)
            order.append(snapshot.pid)
        }
        process.eventCount += 1
        if snapshot.ppid != 0 { process.ppid = snapshot.ppid }
        switch event.type {
        case "execve" where !event.failed, "execveat" where !event.failed:
            process.execs.append(TimelineExec(time: time, exe: snapshot.exe, commandLine: snapshot.cmdline))
            process.name = snapshot.name
            process.exe = snapshot.exe
            process.commandLine = snapshot.cmdline
            process.uid = snapshot.uid
            process.gid = snapshot.gid
            process.cwd = snapshot.cwd
        case "exit":
            process.exit = time
            process.exitCode = event.arguments["exit_code"].flatMap(Int.init)
            process.exitSignal = event.arguments["signal"].flatMap(Int.init)
        case "fork" where event.arguments["thread"] != "true":
            if let child = event.arguments["child_pid"].flatMap(Int32.init), child != snapshot.pid {
                if byPID[child] == nil {
                    var forked = Self.process(snapshot, start: time, beforeWindow: false)
                    forked.pid = child
                    forked.ppid = snapshot.pid
                    byPID[child] = forked
                    order.append(child)
                } else if var known = byPID[child], known.startedBeforeWindow {
                    known.start = time
                    known.startedBeforeWindow = false
                    byPID[child] = known
                }
            }
        default:
            break
        }
        byPID[snapshot.pid] = process
    }

    mutating func markAlert(pid: Int32, rule: String) {
        guard var process = byPID[pid] else { return }
        process.alerted = true
        if !process.alertRules.contains(rule) { process.alertRules.append(rule) }
        byPID[pid] = process
    }

    private static func process(_ snapshot: ProcessSnapshot, start: Timestamp, beforeWindow: Bool) -> TimelineProcess {
        TimelineProcess(pid: snapshot.pid, ppid: snapshot.ppid, name: snapshot.name, exe: snapshot.exe,
                        commandLine: snapshot.cmdline, cwd: snapshot.cwd, uid: snapshot.uid, gid: snapshot.gid,
                        loginuid: snapshot.loginuid == .max ? nil : snapshot.loginuid, container: snapshot.container.id,
                        start: start, startedBeforeWindow: beforeWindow, exit: nil, exitCode: nil, exitSignal: nil,
                        execs: [], alerted: false, alertRules: [], children: [], eventCount: 0)
    }

    struct Tree {
        var processes: [TimelineProcess]
        var roots: [Int32]
        var depths: [Int32: Int]
    }

    func finish() -> Tree {
        var byPID = self.byPID
        var roots: [Int32] = []
        for pid in order {
            guard let process = byPID[pid] else { continue }
            if process.ppid != pid, byPID[process.ppid] != nil {
                byPID[process.ppid]?.children.append(pid)
            } else {
                roots.append(pid)
            }
        }
        var depths: [Int32: Int] = [:]
        var stack = roots.map { ($0, 0) }
        while let (pid, depth) = stack.popLast() {
            guard depths[pid] == nil else { continue }
            depths[pid] = depth
            for child in byPID[pid]?.children ?? [] { stack.append((child, depth + 1)) }
        }
        // A cycle (pid reuse) leaves members without a depth; they become roots.
        for pid in order where depths[pid] == nil {
            roots.append(pid)
            depths[pid] = 0
        }
        let processes = order.compactMap { byPID[$0] }.sorted { ($0.start, $0.pid) < ($1.start, $1.pid) }
        return Tree(processes: processes, roots: roots, depths: depths)
    }
}

/// Folds file events into `TimelineFiles`, one touch per (action, path, process, syscall, outcome).
struct FileCollector {
    private(set) var files = TimelineFiles()
    private var index: [String: (FileActionClassifier.Action, Int)] = [:]

    mutating func add(_ event: Event, action: FileActionClassifier.Action) {
        guard let file = event.file else { return }
        let key = "\(action.rawValue)\u{0}\(file.path)\u{0}\(file.target ?? "")\u{0}\(event.process.pid)\u{0}\(event.type)\u{0}\(event.failed)"
        if let (known, position) = index[key] {
            update(known, position) { touch in
                touch.count += 1
                touch.lastTime = Timestamp(event.time)
            }
            return
        }
        var mode: String?
        var owner: String?
        switch action {
        case .created, .permissions:
            if let value = file.mode { mode = "0" + String(value & 0o7777, radix: 8) }
            if event.type.contains("chown") {
                owner = "\(event.arguments["uid"] ?? "?"):\(event.arguments["gid"] ?? "?")"
                mode = nil
            }
        default: break
        }
        let touch = FileTouch(time: Timestamp(event.time), lastTime: Timestamp(event.time), count: 1, path: file.path,
                              target: file.target, pid: event.process.pid, process: event.process.name,
                              syscall: event.type, mode: mode, owner: owner,
                              flags: file.flags.map(OpenFlags.describe), failed: event.failed,
                              error: ErrnoName.name(event.ret))
        let position: Int
        switch action {
        case .created: position = files.created.count; files.created.append(touch)
        case .modified: position = files.modified.count; files.modified.append(touch)
        case .deleted: position = files.deleted.count; files.deleted.append(touch)
        case .renamed: position = files.renamed.count; files.renamed.append(touch)
        case .permissions: position = files.permissionsChanged.count; files.permissionsChanged.append(touch)
        case .sensitiveRead: position = files.sensitiveReads.count; files.sensitiveReads.append(touch)
        }
        index[key] = (action, position)
    }

    private mutating func update(_ action: FileActionClassifier.Action, _ position: Int, _ body: (inout FileTouch) -> Void) {
        switch action {
        case .created: body(&files.created[position])
        case .modified: body(&files.modified[position])
        case .deleted: body(&files.deleted[position])
        case .renamed: body(&files.renamed[position])
        case .permissions: body(&files.permissionsChanged[position])
        case .sensitiveRead: body(&files.sensitiveReads[position])
        }
    }
}

/// Folds network events into connections, listeners and accepted peers; a bind waits for its listen (TCP) and
/// counts as a listener by itself only when no listen follows (UDP).
struct NetworkCollector {
    let hostNames: [String: String]
    private(set) var network = TimelineNetwork()
    private var index: [String: Int] = [:]
    /// Binds by (pid, fd) not yet followed by a listen.
    private var binds: [String: (Event, Bool)] = [:]
    private var bindOrder: [String] = []

    init(hostNames: [String: String]) {
        self.hostNames = hostNames
    }

    /// Adds the event; returns its entry kind (`connect`, `listen`, `bind`, `accept`) and one-line summary, or nil
    /// when it is not shown.
    mutating func add(_ event: Event) -> (String, String)? {
        guard let net = event.net else { return nil }
        switch event.type {
        case "connect":
            insert(event, net: net, into: \.connections, keyPrefix: "c")
            return ("connect", summary(event, net))
        case "accept", "accept4":
            insert(event, net: net, into: \.peers, keyPrefix: "p")
            return ("accept", summary(event, net))
        case "bind":
            let key = "\(event.process.pid):\(net.fd ?? -1)"
            if binds[key] == nil { bindOrder.append(key) }
            binds[key] = (event, false)
            return ("bind", summary(event, net))
        case "listen":
            let key = "\(event.process.pid):\(net.fd ?? -1)"
            var listening = net
            if let (bind, _) = binds[key], let bound = bind.net {
                listening.address = bound.address
                listening.port = bound.port
                if case .other = listening.family { listening.family = bound.family }
                if listening.socketType == nil { listening.socketType = bound.socketType }
                binds[key] = (bind, true)
            }
            insert(event, net: listening, into: \.listeners, keyPrefix: "l")
            return ("listen", summary(event, listening))
        default:
            return nil
        }
    }

    /// Binds never followed by a listen become listeners (UDP servers).
    mutating func finish() {
        for key in bindOrder {
            guard let (event, listened) = binds[key], !listened, let net = event.net else { continue }
            insert(event, net: net, into: \.listeners, keyPrefix: "b")
        }
        network.listeners.sort { $0.time < $1.time }
    }

    /// The event's own host name, else one learnt elsewhere.
    func hostName(_ net: NetworkActivity) -> String? {
        net.hostName ?? net.address.flatMap { hostNames[$0] }
    }

    func summary(_ event: Event, _ net: NetworkActivity) -> String {
        let endpoint = net.endpoint ?? "?"
        let proto = net.transport ?? net.family.name
        let name = hostName(net).map { " (\($0))" } ?? ""
        let failure = ErrnoName.name(event.ret).map { " (\($0))" } ?? ""
        switch event.type {
        case "connect": return "\(proto) → \(endpoint)\(name)\(failure)"
        case "accept", "accept4": return "\(proto) ← \(endpoint)\(name)\(failure)"
        case "bind": return "\(proto) bind \(endpoint)\(failure)"
        default: return "\(proto) listen " + (net.address == nil ? "fd \(net.fd.map(String.init) ?? "?")" : endpoint) + failure
        }
    }

    private mutating func insert(_ event: Event, net: NetworkActivity, into list: WritableKeyPath<TimelineNetwork, [NetworkTouch]>,
                                 keyPrefix: String) {
        let proto = net.transport ?? net.family.name
        let key = "\(keyPrefix)\u{0}\(event.process.pid)\u{0}\(proto)\u{0}\(net.address ?? "")\u{0}\(net.port ?? 0)\u{0}\(event.failed)"
        if let position = index[key] {
            network[keyPath: list][position].count += 1
            network[keyPath: list][position].lastTime = Timestamp(event.time)
            // A later connect may be the first one after the DNS answer was seen.
            if network[keyPath: list][position].hostName == nil {
                network[keyPath: list][position].hostName = hostName(net)
            }
            return
        }
        index[key] = network[keyPath: list].count
        network[keyPath: list].append(NetworkTouch(
            time: Timestamp(event.time), lastTime: Timestamp(event.time), count: 1, pid: event.process.pid,
            process: event.process.name, protocol: proto, family: net.family.name, address: net.address, port: net.port,
            hostName: hostName(net), syscall: event.type, failed: event.failed,
            error: ErrnoName.name(event.ret)))
    }
}
