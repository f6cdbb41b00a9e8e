import CShrikeBPF

extension EventAssembler {
    /// A response the kernel carried out (or, dry-run, would have) as an event of type `response`, so it lands in
    /// the incident timeline next to what caused it: `arguments["response"]` is `killed`, `would-kill`, `denied` or
    /// `would-deny`, `arguments["rule"]` the rule, `arguments["syscall"]` the call it answered; the path or the
    /// refused destination in `file` / `net`.
    mutating func response(_ record: KernelRecord) -> Event {
        let entry = processes.entry(for: record.pid, ppid: record.ppid, comm: record.comm, clock: clock)
        let action: String
        switch UInt32(truncatingIfNeeded: record.arg(0)) {
        case SHRIKE_ACTION_KILLED.rawValue: action = "killed"
        case SHRIKE_ACTION_WOULD_KILL.rawValue: action = "would-kill"
        case SHRIKE_ACTION_DENIED.rawValue: action = "denied"
        case SHRIKE_ACTION_WOULD_DENY.rawValue: action = "would-deny"
        default: action = "unknown"
        }
        let ruleIndex = Int(truncatingIfNeeded: record.arg(1))
        let rule = responseRuleNames.indices.contains(ruleIndex) ? responseRuleNames[ruleIndex] : "#\(ruleIndex)"
        var arguments = ["response": action, "rule": rule]
        var file: FileActivity?
        var net: NetworkActivity?
        if action == "denied" || action == "would-deny" {
            arguments["syscall"] = "connect"
            if let decoded = SocketAddressDecoder.decode(Array(record.bytes(0))) {
                net = NetworkActivity(family: decoded.family, role: .destination, address: decoded.address,
                                      port: decoded.port)
            }
        } else {
            let number = Int64(bitPattern: record.arg(2))
            arguments["syscall"] = number < 0 ? "execve" : syscalls[Int(number)]?.name ?? String(number)
            if let raw = record.string(0), !raw.isEmpty {
                let resolved = PathResolver.resolve(raw, against: entry.cwd)
                file = FileActivity(path: resolved, rawPath: resolved == raw ? nil : raw)
            }
        }
        var process = snapshot(entry, record, container: container(record))
        // The connect hook cannot read the comm: the process table knows the name.
        if process.name.isEmpty { process.name = entry.name }
        return Event(time: clock.wallNanoseconds(boot: record.bootTime), type: "response", category: .process,
                     ret: 0, process: process, file: file, net: net, arguments: arguments)
    }
}
