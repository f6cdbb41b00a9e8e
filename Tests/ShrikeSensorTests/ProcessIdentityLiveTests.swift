import Foundation
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeSensor

/// What the kernel tells about a process beyond its ids, read by the real sensor: capability sets (at exec and after
/// the calls that change them), the executable's inode and times, the pid-namespace view, and datagram peers and
/// buffers (the fields `thread.cap_*`, `proc.exe_ino*`, `proc.vpid`/`vpgid`, `fd.connected`, `fd.name_changed`,
/// `evt.buffer`).
@Suite("Process identity from the kernel", .serialized,
       .enabled(if: SensorPreflight.unavailableReason() == nil,
                "needs root and a kernel with BTF (the eBPF sensor); run as root on Linux 5.11+"))
struct ProcessIdentityLiveTests {
    static func execs(of path: String, _ script: String,
                      configuration: SensorConfiguration = SensorConfiguration()) throws -> [Event] {
        let (tree, _, _) = try SensorLiveTests.events(configuration: configuration) { try SensorLiveTests.shell(script) }
        return tree.filter { $0.type == "execve" && $0.process.exe == path }
    }

    /// The test runs as root with this machine's full set (which may lack a few capabilities, as containers do).
    static func ownEffectiveSet() throws -> UInt64 {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        return try #require(Capabilities(statusLines: status.split(separator: "\n"))).effective
    }

    static let sysAdmin: UInt64 = 1 << 21
    static let netRaw: UInt64 = 1 << 13

    /// (setpriv arguments before the program, the effective set expected at exec given root's own set).
    static let capabilityCases: [(arguments: String, expected: @Sendable (UInt64) -> UInt64)] = [
        ("", { $0 }),
        ("--bounding-set -sys_admin", { $0 & ~sysAdmin }),
        ("--bounding-set -sys_admin,-net_raw", { $0 & ~sysAdmin & ~netRaw }),
        ("--reuid 65534 --regid 65534 --clear-groups", { _ in 0 }),
    ]

    @Test(arguments: capabilityCases.indices)
    func capabilitiesAtExecAreTheNewProgramsSets(index: Int) throws {
        let testCase = Self.capabilityCases[index]
        let expected = testCase.expected(try Self.ownEffectiveSet())
        let execs = try Self.execs(of: "/bin/true", "setpriv \(testCase.arguments) /bin/true")
        let exec = try #require(execs.first, "no exec of /bin/true seen")
        let caps = try #require(exec.process.capabilities)
        #expect(caps.effective == expected, "setpriv \(testCase.arguments)")
        #expect(caps.permitted == expected)
        #expect(caps.inheritable == 0)
    }

    @Test func setuidDropsTheCapabilitiesOfTheRunningProcess() throws {
        let python = try #require(ExternalTool.find("python3"), "python3 drives the setuid test")
        let (tree, _, _) = try SensorLiveTests.events {
            try SensorLiveTests.run([python, "-c", "import os; os.setuid(65534); open('/dev/null').close()"])
        }
        let setuid = try #require(tree.first { $0.type == "setuid" && $0.ret == 0 })
        #expect(setuid.process.capabilities == Capabilities(effective: 0, permitted: 0, inheritable: 0))
        // The process table keeps the new sets for the events that follow.
        let open = try #require(tree.last { $0.type == "openat" && $0.file?.path == "/dev/null" })
        #expect(open.process.capabilities?.effective == 0)
        let exec = try #require(tree.first { $0.type == "execve" })
        #expect(exec.process.capabilities?.effective == (try Self.ownEffectiveSet()))
    }

    @Test func executableInodeAndTimesMatchTheFile() throws {
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let program = directory + "/dropped"
        try FileManager.default.copyItem(atPath: "/bin/true", toPath: program)
        #expect(chmod(program, 0o755) == 0)
        var info = stat()
        #expect(stat(program, &info) == 0)
        let execs = try Self.execs(of: program, "'\(program)'")
        let exec = try #require(execs.first, "no exec of \(program) seen")
        let executable = try #require(exec.process.executable)
        #expect(executable.inode == UInt64(info.st_ino))
        #expect(executable.changeTime == UInt64(info.st_ctim.tv_sec) * 1_000_000_000 + UInt64(info.st_ctim.tv_nsec))
        #expect(executable.modificationTime
                == UInt64(info.st_mtim.tv_sec) * 1_000_000_000 + UInt64(info.st_mtim.tv_nsec))
        // Forked after the copy was made: the start follows the change.
        #expect(exec.process.startTime >= executable.changeTime)
    }

    @Test func pidNamespaceViewInANewNamespace() throws {
        // unshare --fork makes the shell pid 1 of a new pid namespace; setsid gives it a group of its own there.
        let execs = try Self.execs(of: "/bin/true", "unshare --pid --fork setsid /bin/true")
        let exec = try #require(execs.first, "no exec of /bin/true seen")
        #expect(exec.process.vpid == 1)
        #expect(exec.process.vpgid == 1)
        #expect(exec.process.pid != 1)
        let host = try #require(try Self.execs(of: "/bin/true", "/bin/true").first)
        #expect(host.process.vpid == host.process.pid)
    }

    @Test func datagramsCarryPeerStateAndBuffers() throws {
        let python = try #require(ExternalTool.find("python3"), "python3 drives the datagram test")
        let script = """
            import socket
            r = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); r.bind(('127.0.0.1', 0)); port = r.getsockname()[1]
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.sendto(bytes.fromhex('cafebabe') + b'first', ('127.0.0.1', port))
            s.sendto(b'second', ('127.0.0.1', port))
            r.recvfrom(64); r.recvfrom(64)
            s.connect(('127.0.0.1', port)); s.send(b'connected, so not reported')
            """
        let configuration = SensorConfiguration(syscalls: ["socket", "sendto", "recvfrom", "connect"],
                                                captureBuffers: true)
        let (tree, _, _) = try SensorLiveTests.events(configuration: configuration) {
            try SensorLiveTests.run([python, "-c", script])
        }
        let sends = tree.filter { $0.type == "sendto" }
        try #require(sends.count == 2, "expected the two addressed sends only: \(sends.map(\.arguments))")
        #expect(sends[0].buffer == [0xCA, 0xFE, 0xBA, 0xBE] + Array("first".utf8))
        #expect(sends[0].net?.connected == false)
        #expect(sends[0].net?.nameChanged == true)
        #expect(sends[1].net?.nameChanged == false, "the same destination again")
        #expect(sends[1].net?.transport == "udp")
        let receives = tree.filter { $0.type == "recvfrom" }
        #expect(receives.count == 2)
        #expect(receives.first?.buffer.map { Array($0.prefix(4)) } == [0xCA, 0xFE, 0xBA, 0xBE])
        #expect(receives.first?.net?.address == "127.0.0.1")
        // The script's own connect: without HOME, python's start-up asks nscd for the user first (an AF_UNIX connect
        // that fails), which is what CI runs into.
        let connect = try #require(tree.first { $0.type == "connect" && $0.net?.family == .inet },
                                   "no inet connect: \(tree.filter { $0.type == "connect" }.map(\.arguments))")
        #expect(connect.net?.connected == true)
        #expect(connect.net?.address == "127.0.0.1")
    }

    @Test func buffersAreNotCopiedUnlessAsked() throws {
        let python = try #require(ExternalTool.find("python3"), "python3 drives the datagram test")
        let configuration = SensorConfiguration(syscalls: ["sendto"])
        let (tree, _, _) = try SensorLiveTests.events(configuration: configuration) {
            try SensorLiveTests.run([python, "-c", "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"
                                     + ".sendto(b'payload', ('127.0.0.1', 9))"])
        }
        let send = try #require(tree.first { $0.type == "sendto" })
        #expect(send.buffer == nil)
        #expect(send.net?.port == 9)
    }
}
