import Foundation

/// A tiny DNS server on a loopback address for live tests of host-name capture, and a way to run commands that
/// resolve through it without touching the host's resolver configuration.
///
/// It answers `A shrike-dns-test.example` with a CNAME to `edge.shrike-cdn.example` and that name's A record,
/// 192.0.2.77 (TEST-NET-1: nothing answers there), `AAAA` likewise with 2001:db8::77 (the documentation prefix),
/// NODATA for other types of that name, NXDOMAIN for everything else.
/// It runs python3 with its standard streams on /dev/null and a file (never the test runner's), and exits by itself
/// after `lifetime` seconds even if the test dies.
public final class TestDNSServer {
    public static let name = "shrike-dns-test.example"
    public static let alias = "edge.shrike-cdn.example"
    public static let address = "192.0.2.77"
    public static let address6 = "2001:db8::77"
    /// Over IPv4, a loopback address of its own (127.53.x.y, not 127.0.0.1 or systemd-resolved's 127.0.0.53, where
    /// port 53 is more likely taken), so servers of tests running at the same time don't collide; over IPv6, ::1.
    public let listenAddress: String

    /// Why live DNS tests cannot run here (a missing tool); nil when they can.
    public static var unavailableReason: String? {
        for tool in ["python3", "unshare", "mount", "getent", "bash", "timeout"] where ExternalTool.find(tool) == nil {
            return "\(tool) is not installed; the DNS capture test needs python3, unshare, mount, getent, bash, timeout"
        }
        return nil
    }

    private let process = Process()
    public let directory: String
    /// A resolv.conf naming only this server.
    public let resolvConf: String

    /// Starts the server (listening on IPv6 `::1` with `ipv6`, so its answers arrive over IPv6) and returns once it
    /// is bound; throws with python's error output when it cannot bind.
    public init(ipv6: Bool = false, lifetime: TimeInterval = 60) throws {
        guard let python = ExternalTool.find("python3") else { throw TestDNSServerError("python3 is not installed") }
        listenAddress = ipv6 ? "::1" : "127.53.\(Int.random(in: 1...254)).\(Int.random(in: 1...254))"
        directory = try ImageSourceFixtures.temporaryDirectory()
        resolvConf = directory + "/resolv.conf"
        try "nameserver \(listenAddress)\noptions timeout:2 attempts:2\n"
            .write(toFile: resolvConf, atomically: true, encoding: .utf8)
        let ready = directory + "/ready"
        let errors = directory + "/server.err"
        _ = FileManager.default.createFile(atPath: errors, contents: nil)
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", Self.script, listenAddress, "53", ready, String(lifetime), Self.name,
                             Self.alias, Self.address, Self.address6]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: errors)
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while !FileManager.default.fileExists(atPath: ready) {
            if !process.isRunning || Date() > deadline {
                stop()
                let text = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
                throw TestDNSServerError("the test DNS server did not start on \(listenAddress):53: \(text)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Ends the server: SIGTERM, and SIGKILL if it is still there a second later.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(1)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// The command that runs the shell `commands` in a private mount namespace whose /etc/resolv.conf names only
    /// this server (a bind mount that disappears with the namespace; the host's file is untouched). The commands go
    /// to a script file in `directory`, so callers need no nested quoting; the words have no spaces, so joining them
    /// with spaces gives a shell command line.
    public func resolvingCommand(_ commands: String) throws -> [String] {
        let script = directory + "/client-\(UUID().uuidString).sh"
        try "mount --bind '\(resolvConf)' /etc/resolv.conf || exit 90\n\(commands)\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        return ["/usr/bin/env", "unshare", "-m", "/bin/sh", script]
    }

    /// What the client side of a test runs: resolve the name (output to `lookupOutput`), then try to connect to the
    /// address it gave (port 80, at most a second; nothing answers on TEST-NET, the attempt is what counts).
    public static func lookupAndConnect(lookupOutput: String, ipv6: Bool = false) -> String {
        "getent \(ipv6 ? "ahostsv6" : "ahostsv4") \(name) > '\(lookupOutput)'; "
            + "timeout 1 bash -c 'exec 3<>/dev/tcp/\(ipv6 ? address6 : address)/80' 2>/dev/null; true"
    }

    static let script = #"""
import signal, socket, struct, sys, time
# A test runner may start children with SIGTERM ignored; this server must still stop when told to.
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
host, port, ready, lifetime, name, alias, address, address6 = sys.argv[1:9]
server = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_DGRAM)
server.bind((host, int(port)))
open(ready, "w").close()
server.settimeout(0.2)
deadline = time.time() + float(lifetime)
def encode(dotted):
    return b"".join(bytes([len(label)]) + label for label in dotted.encode().split(b".")) + b"\0"
while time.time() < deadline:
    try:
        query, peer = server.recvfrom(2048)
    except socket.timeout:
        continue
    if len(query) < 17:
        continue
    qid, flags = struct.unpack(">HH", query[:4])
    position, labels = 12, []
    while position < len(query) and query[position] != 0:
        length = query[position]
        labels.append(query[position + 1:position + 1 + length])
        position += 1 + length
    if position + 5 > len(query):
        continue
    qtype = struct.unpack(">H", query[position + 1:position + 3])[0]
    question = query[12:position + 5]
    asked = b".".join(labels).decode(errors="replace").lower()
    answers, count, rcode = b"", 0, 0
    if asked == name:
        if qtype in (1, 28):
            target = encode(alias)
            answers += b"\xc0\x0c" + struct.pack(">HHIH", 5, 1, 300, len(target)) + target
            alias_offset = 12 + len(question) + 12
            data = socket.inet_aton(address) if qtype == 1 else socket.inet_pton(socket.AF_INET6, address6)
            answers += struct.pack(">HHHIH", 0xc000 | alias_offset, qtype, 1, 300, len(data)) + data
            count = 2
    else:
        rcode = 3
    header = struct.pack(">HHHHHH", qid, 0x8080 | (flags & 0x0100) | rcode, 1, count, 0, 0)
    server.sendto(header + question + answers, peer)
"""#
}

public struct TestDNSServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
