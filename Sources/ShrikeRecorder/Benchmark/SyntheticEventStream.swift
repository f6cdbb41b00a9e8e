import ShrikeSensor

/// A reproducible stream of plausible events at a fixed rate, for the recorder's benchmark and load tests: 300
/// processes (a third on the host, the rest in six containers) doing 84 % opens of 4,000 paths (10 % for writing,
/// some failing), 14 % TCP connects to 256 addresses, 0.5 % forks (each a new child pid), 0.5 % execs (each a new
/// command line) and 1 % setuid calls.
public struct SyntheticEventStream: Sendable {
    public let rate: Int
    public let start: UInt64
    private var random: SplitMix64
    private var processes: [ProcessSnapshot]
    private let paths: [String]
    private let addresses: [String]
    public private(set) var produced = 0

    public init(rate: Int, start: UInt64 = 1_795_946_400_000_000_000, seed: UInt64 = 7, processCount: Int = 300,
                pathCount: Int = 4000) {
        self.rate = max(rate, 1)
        self.start = start
        random = SplitMix64(seed: seed)
        let containers = (0..<6).map { index in
            ContainerInfo(fullID: String(repeating: String(index, radix: 16), count: 64), name: "app\(index)",
                          image: "registry.example/app\(index):1.\(index)", runtime: "podman")
        }
        var made: [ProcessSnapshot] = []
        for index in 0..<processCount {
            let pid = Int32(1000 + index)
            let container = index % 3 == 0 ? ContainerInfo.host : containers[index % containers.count]
            let tool = ["nginx", "python3", "java", "node", "postgres", "bash", "sh", "curl"][index % 8]
            made.append(ProcessSnapshot(
                pid: pid, tid: pid, ppid: index < 10 ? 1 : Int32(1000 + index / 10), uid: UInt32(index % 4 == 0 ? 0 : 1000),
                gid: 0, loginuid: .max, name: tool, exe: "/usr/bin/\(tool)",
                args: [tool, "--config", "/etc/\(tool)/\(tool).conf", "--worker", String(index)],
                cwd: "/srv/\(tool)", tty: 0, container: container))
        }
        processes = made
        paths = (0..<pathCount).map { index in
            ["/usr/lib/x86_64-linux-gnu/lib", "/srv/data/file-", "/var/log/app/", "/proc/self/", "/etc/conf.d/"][index % 5]
                + String(index) + [".so.1", ".json", ".log", "status", ".conf"][index % 5]
        }
        addresses = (0..<256).map { "10.0.\($0 / 16).\($0 % 16 + 1)" }
    }

    /// The next event.
    public mutating func next() -> Event {
        let time = start + UInt64(produced) * 1_000_000_000 / UInt64(rate)
        produced += 1
        let draw = random.next()
        let index = Int(draw % UInt64(processes.count))
        let process = processes[index]
        let roll = Int((draw >> 20) % 1000)
        switch roll {
        case 0..<840:
            let path = paths[Int((draw >> 32) % UInt64(paths.count))]
            let writing = roll % 10 == 0
            return Event(time: time, type: "openat", category: .file, ret: roll % 37 == 0 ? -2 : Int64(3 + roll % 20),
                         process: process,
                         file: FileActivity(path: path, flags: writing ? 0o1101 : 0o2000000,
                                            mode: writing ? 0o644 : nil, fd: Int32(3 + roll % 20)))
        case 840..<980:
            let address = addresses[Int((draw >> 32) % UInt64(addresses.count))]
            return Event(time: time, type: "connect", category: .network, ret: roll % 5 == 0 ? -115 : 0, process: process,
                         net: NetworkActivity(family: .inet, role: .destination, address: address, port: 443,
                                              socketType: 1, fd: Int32(3 + roll % 20)))
        case 980..<985:
            let child = Int32(100_000 + produced % 200_000)
            return Event(time: time, type: "fork", category: .process, ret: 0, process: process,
                         arguments: ["child_pid": String(child), "child_tid": String(child), "thread": "false"])
        case 985..<990:
            var updated = process
            updated.args = [process.name, "-c", "job-\(produced % 5000)"]
            updated.cmdline = updated.args.joined(separator: " ")
            processes[index] = updated
            return Event(time: time, type: "execve", category: .process, ret: 0, process: updated,
                         file: FileActivity(path: updated.exe), arguments: ["filename": updated.exe])
        default:
            return Event(time: time, type: "setuid", category: .other, ret: 0, process: process, arguments: ["uid": "0"])
        }
    }

    /// A process of the stream (for alerts on it).
    public func process(_ index: Int) -> ProcessSnapshot { processes[index % processes.count] }
}
