import Foundation
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeSensor

/// Collects every event the sensor delivers.
final class CollectingSink: EventSink, @unchecked Sendable {
    // @unchecked: `events` is guarded by `lock`.
    private let lock = NSLock()
    private var events: [Event] = []

    func receive(_ event: Event) { lock.withLock { events.append(event) } }
    func flush() {}
    var snapshot: [Event] { lock.withLock { events } }
}

/// Runs real programs under a real sensor (root and BTF needed) and checks the events they caused.
@Suite("eBPF sensor on this kernel", .serialized,
       .enabled(if: SensorPreflight.unavailableReason() == nil,
                "needs root and a kernel with BTF (the eBPF sensor); run as root on Linux 5.11+"))
struct SensorLiveTests {
    /// Starts a sensor, runs `action` (which returns the pid of the process tree to look at), waits until that
    /// process's exit was seen, and returns the events of the tree.
    static func events(configuration: SensorConfiguration = SensorConfiguration(),
                       _ action: () throws -> Int32) throws -> (tree: [Event], all: [Event], sensor: Sensor) {
        let sensor = try Sensor(configuration: configuration)
        let sink = CollectingSink()
        try sensor.start(sink: sink)
        defer { sensor.stop() }
        let root = try action()
        let finished = UInt64(Date().timeIntervalSince1970 * 1e9)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if sink.snapshot.contains(where: { $0.type == "exit" && $0.process.pid == root }) { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.1)
        sensor.stop()
        let all = sink.snapshot
        return (tree(of: root, exitedBy: finished, in: all), all, sensor)
    }

    /// Events of `root` and every process it forked (directly or not), each from its fork to its exit.
    ///
    /// pid_max is 32768 on this machine kind, so under a loaded test run a pid comes round again within seconds:
    /// the process that held root's pid before it (or after it, or a child's) must not count as the tree's. Root's
    /// own run is the one that ended last by `finished` (when the action returned, it had exited), or all of the
    /// pid's events when no exit was seen.
    static func tree(of root: Int32, exitedBy finished: UInt64, in events: [Event]) -> [Event] {
        let exits = events.indices.filter { events[$0].type == "exit" && events[$0].process.pid == root }
        let end = exits.last { events[$0].time <= finished }
        let start = end.flatMap { end in exits.last { $0 < end } }.map { $0 + 1 } ?? events.startIndex
        var live: Set<Int32> = [root]
        var tree: [Event] = []
        for event in events[start...] where live.contains(event.process.pid) {
            tree.append(event)
            if event.type == "fork", let child = event.arguments["child_pid"].flatMap(Int32.init),
               event.arguments["thread"] != "true" {
                live.insert(child)
            } else if event.type == "exit" {
                live.remove(event.process.pid)
                if live.isEmpty { break }
            }
        }
        return tree
    }

    /// Runs `/bin/sh -c script` and returns its pid after it finished.
    static func shell(_ script: String, in directory: String? = nil) throws -> Int32 {
        try run(["/bin/sh", "-c", script], in: directory)
    }

    static func run(_ arguments: [String], in directory: String? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func shellRunningIdShowsForkExecAndExit() throws {
        let (tree, _, sensor) = try Self.events { try Self.shell("id > /dev/null; exit 3") }
        let shell = try #require(tree.first { $0.type == "fork" })
        let exec = try #require(tree.first { $0.type == "execve" && $0.process.exe == "/usr/bin/id" })
        #expect(exec.process.cmdline == "id")
        #expect(exec.process.ppid == shell.process.pid)
        #expect(exec.process.name == "id")
        #expect(exec.process.container.isHost)
        #expect(exec.process.uid == getuid())
        let idExit = try #require(tree.first { $0.type == "exit" && $0.process.pid == exec.process.pid })
        #expect(idExit.arguments["exit_code"] == "0")
        let shellExit = try #require(tree.first { $0.type == "exit" && $0.process.pid == shell.process.pid })
        #expect(shellExit.arguments["exit_code"] == "3")
        #expect(sensor.statistics().totalDropped == 0)
        #expect(sensor.statistics().malformed == 0)
    }

    @Test func fileLifecycleInATemporaryDirectory() throws {
        let dir = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (tree, _, _) = try Self.events {
            try Self.shell("echo hi > a && mv a b && chmod 600 b && ln b hard && ln -s b soft && mkdir d && rm b hard soft && rmdir d",
                           in: dir)
        }
        func first(_ types: Set<String>, _ path: String) -> Event? {
            tree.first { types.contains($0.type) && $0.file?.path == path && $0.ret >= 0 }
        }
        let created = try #require(first(["openat", "open", "creat"], "\(dir)/a"))
        #expect(OpenFlags.writes(created.file?.flags ?? 0))
        #expect((created.file?.flags ?? 0) & OpenFlags.create != 0)
        #expect(created.file?.fd == Int32(created.ret))
        let renamed = try #require(first(["rename", "renameat", "renameat2"], "\(dir)/a"))
        #expect(renamed.file?.target == "\(dir)/b")
        #expect(renamed.process.name == "mv")
        let chmod = try #require(first(["chmod", "fchmodat", "fchmod"], "\(dir)/b"))
        #expect(chmod.file?.mode == 0o600)
        let hard = try #require(first(["link", "linkat"], "\(dir)/b"))
        #expect(hard.file?.target == "\(dir)/hard")
        let soft = try #require(first(["symlink", "symlinkat"], "\(dir)/soft"))
        #expect(soft.file?.target == "b")
        #expect(first(["mkdir", "mkdirat"], "\(dir)/d") != nil)
        for name in ["b", "hard", "soft"] {
            #expect(first(["unlink", "unlinkat"], "\(dir)/\(name)") != nil, "no unlink of \(name)")
        }
        #expect(first(["rmdir", "unlinkat"], "\(dir)/d") != nil)
    }

    @Test func failedOpenHasANegativeReturn() throws {
        let (tree, _, _) = try Self.events { try Self.shell("cat /nonexistent-shrike-sensor-test; true") }
        let open = try #require(tree.first { $0.file?.path == "/nonexistent-shrike-sensor-test" && $0.process.name == "cat" })
        #expect(open.ret == -Int64(ENOENT))
        #expect(open.failed)
    }

    @Test func tcpAndUnixSocketActivity() throws {
        let python = try #require(ExternalTool.find("python3"), "python3 drives the socket test")
        let script = """
            import socket
            s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(4); port = s.getsockname()[1]
            c = socket.socket(); c.connect(('127.0.0.1', port)); a, _ = s.accept()
            u = socket.socket(socket.AF_UNIX)
            try:
                u.connect('/nonexistent-shrike.sock')
            except OSError:
                pass
            """
        let (tree, _, _) = try Self.events { try Self.run([python, "-c", script]) }
        let bind = try #require(tree.first { $0.type == "bind" })
        #expect(bind.net?.address == "127.0.0.1")
        let connect = try #require(tree.first { $0.type == "connect" && $0.net?.family == .inet })
        #expect(connect.net?.address == "127.0.0.1")
        #expect(connect.net?.transport == "tcp")
        #expect(connect.ret == 0)
        let port = try #require(connect.net?.port)
        #expect(tree.contains { $0.type == "listen" && $0.net?.transport == "tcp" })
        let accept = try #require(tree.first { $0.type == "accept4" || $0.type == "accept" })
        #expect(accept.net?.address == "127.0.0.1")
        #expect(accept.net?.port != port)  // the peer is the client's ephemeral port
        #expect(accept.ret >= 0)
        // glibc may itself talk to nscd over a unix socket first, so look for ours by path.
        let unix = try #require(tree.first {
            $0.type == "connect" && $0.net?.family == .unix && $0.net?.address == "/nonexistent-shrike.sock"
        }, "no unix connect to /nonexistent-shrike.sock among \(tree.filter { $0.net?.family == .unix }.map { $0.net?.address ?? "" })")
        #expect(unix.ret == -Int64(ENOENT))
    }

    @Test func setuidInAChild() throws {
        let python = try #require(ExternalTool.find("python3"), "python3 drives the setuid test")
        let script = "import os\nos.setgid(65534)\nos.setuid(65534)\nopen('/dev/null').close()"
        let (tree, _, _) = try Self.events { try Self.run([python, "-c", script]) }
        let setuid = try #require(tree.first { $0.type == "setuid" })
        #expect(setuid.arguments["uid"] == "65534")
        #expect(setuid.ret == 0)
        let open = try #require(tree.last { $0.file?.path == "/dev/null" && $0.type.hasPrefix("open") })
        #expect(open.process.uid == 65534)
        #expect(open.process.gid == 65534)
    }

    @Test func processStartedBeforeTheSensorIsKnown() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "sleep 1.5; cat /etc/hostname > /dev/null"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let (tree, _, _) = try Self.events {
            process.waitUntilExit()
            return process.processIdentifier
        }
        // The shell's fork of cat comes after the sensor started; the shell itself came from the /proc seed.
        let fork = try #require(tree.last { $0.type == "fork" && $0.process.pid == process.processIdentifier })
        #expect(fork.process.cmdline == "/bin/sh -c sleep 1.5; cat /etc/hostname > /dev/null")
        #expect(fork.process.exe.hasSuffix("sh"))
        #expect(fork.process.cwd == FileManager.default.currentDirectoryPath)
        #expect(tree.contains { $0.type == "execve" && $0.process.exe == "/usr/bin/cat" })
    }

    @Test func theSensorNeverReportsItself() throws {
        let marker = "/tmp/shrike-self-\(UUID().uuidString)"
        let (_, all, _) = try Self.events {
            FileManager.default.createFile(atPath: marker, contents: Data("x".utf8))
            try? FileManager.default.removeItem(atPath: marker)
            return try Self.shell("true")
        }
        #expect(!all.contains { $0.process.pid == getpid() })
        #expect(!all.contains { $0.file?.path == marker })
    }

    @Test func onlyRequestedSyscallsAreReported() throws {
        let configuration = SensorConfiguration(syscalls: ["unlinkat"])
        let (tree, _, _) = try Self.events(configuration: configuration) { try Self.shell("cat /etc/hostname > /dev/null") }
        #expect(!tree.contains { $0.type == "openat" })
        #expect(tree.contains { $0.type == "execve" })
    }

    @Test func theReadFilterShipsWritesAndWantedReadsOnly() throws {
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let dir = (path: directory, ())
        let configuration = SensorConfiguration(readPathPrefixes: ["/etc/passwd", dir.path + "/wanted"])
        let script = "cat /etc/hostname /etc/passwd > /dev/null; echo x > written; cat written wanted-file > /dev/null;"
            + " cat \(dir.path)/written \(dir.path)/wanted-file /etc/../etc/hostname > /dev/null; true"
        FileManager.default.createFile(atPath: dir.path + "/wanted-file", contents: Data("y".utf8))
        let (tree, _, sensor) = try Self.events(configuration: configuration) { try Self.shell(script, in: dir.path) }
        let opens = tree.filter { $0.type.hasPrefix("open") && $0.process.name == "cat" }.compactMap(\.file)
        // Absolute read-only opens pass only through a prefix; relative paths and `..` always pass (user space resolves).
        #expect(opens.contains { $0.path == "/etc/passwd" })
        #expect(!opens.contains { $0.path == "/etc/hostname" && $0.rawPath == nil })
        #expect(opens.contains { $0.path == "/etc/hostname" && $0.rawPath == "/etc/../etc/hostname" })
        #expect(!opens.contains { $0.path == "\(dir.path)/written" && $0.rawPath == nil })
        #expect(opens.contains { $0.path == "\(dir.path)/written" && $0.rawPath == "written" })
        #expect(opens.contains { $0.path == "\(dir.path)/wanted-file" && $0.rawPath == nil })
        #expect(tree.contains { $0.type.hasPrefix("open") && $0.file?.path == "\(dir.path)/written"
                                && OpenFlags.writes($0.file?.flags ?? 0) })
        #expect(sensor.statistics().filtered > 0)
    }

    @Test func dup2OfASocketOntoStdoutIsReported() throws {
        let python = try #require(ExternalTool.find("python3"), "python3 drives the dup2 test")
        let script = "import os, socket\ns = socket.socket()\nos.dup2(s.fileno(), 1)\n"
        let (tree, _, _) = try Self.events { try Self.run([python, "-c", script]) }
        let dup = try #require(tree.first { $0.type == "dup2" && $0.net != nil })
        #expect(dup.net?.family == .inet)
        #expect(dup.net?.transport == "tcp")
        #expect(dup.net?.fd == 1)
        #expect(dup.arguments["newfd"] == "1")
    }

    @Test func descriptorCopiesKeepDirectoryDescriptorsResolvable() throws {
        let python = try #require(ExternalTool.find("python3"), "python3 drives the test")
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        FileManager.default.createFile(atPath: directory + "/victim", contents: Data("x".utf8))
        // What fts (rm -rf, find) does: open a directory, copy the descriptor with F_DUPFD_CLOEXEC, unlink through it.
        let script = """
            import fcntl, os
            fd = os.open('\(directory)', os.O_RDONLY | os.O_DIRECTORY)
            copy = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 20)
            os.unlink('victim', dir_fd=copy)
            """
        let (tree, _, _) = try Self.events { try Self.run([python, "-c", script]) }
        #expect(tree.contains { $0.type == "fcntl" && $0.arguments["cmd"] == "F_DUPFD_CLOEXEC" && $0.file?.fd ?? 0 >= 20 })
        let unlink = try #require(tree.first { $0.type == "unlinkat" && $0.ret == 0 })
        #expect(unlink.file?.path == directory + "/victim")
    }

    @Test func fileLessExecutionFromAMemfdIsMarked() throws {
        let python = try #require(ExternalTool.find("python3"), "python3 drives the memfd test")
        let script = """
            import os
            fd = os.memfd_create("shrike-fileless", 0)
            os.write(fd, open("/bin/true", "rb").read())
            os.execv("/proc/self/fd/%d" % fd, ["fileless"])
            """
        let (tree, _, _) = try Self.events { try Self.run([python, "-c", script]) }
        #expect(tree.contains { $0.type == "memfd_create" && $0.file?.path.contains("shrike-fileless") == true })
        let exec = try #require(tree.last { $0.type == "execve" })
        #expect(exec.process.exeFromMemfd)
        #expect(exec.process.args == ["fileless"])
        let python3 = try #require(tree.first { $0.type == "execve" && $0.process.exe.hasSuffix("python3") })
        #expect(!python3.process.exeFromMemfd)
    }

    @Test func socketAndPtraceArgumentsAreNamedAsFalcoPrintsThem() throws {
        let python = try #require(ExternalTool.find("python3"), "python3 drives the test")
        let script = """
            import ctypes, socket
            socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            ctypes.CDLL(None, use_errno=True).ptrace(0, 0, 0, 0)
            """
        let (tree, _, _) = try Self.events { try Self.run([python, "-c", script]) }
        let socket = try #require(tree.first { $0.type == "socket" && $0.arguments["domain"] == "AF_INET6" })
        #expect(socket.arguments["type"] == "SOCK_DGRAM")
        #expect(tree.contains { $0.type == "ptrace" && $0.arguments["request"] == "PTRACE_TRACEME" })
    }

    @Test(.timeLimit(.minutes(3)))
    func containerEventsCarryIdNameAndImage() throws {
        let podman = try #require(ExternalTool.find("podman"), "podman (with runc) runs the container")
        try #require(ExternalTool.find("runc") != nil, "runc is podman's runtime here (crun rejects hybrid cgroups)")
        let common = [podman, "--cgroup-manager=cgroupfs", "--events-backend=file"]
        let image = "localhost/shrike-sensor-alpine:test"
        let imported = try ExternalTool.run(common + ["import", RepositoryFiles.alpineRootfs("3.20.3"), image])
        #expect(imported.status == 0, "podman import failed: \(imported.stderr)")
        let name = "shrike-sensor-\(UUID().uuidString.prefix(8).lowercased())"
        let (tree, _, _) = try Self.events {
            try Self.run(common + ["--runtime", "runc", "run", "--rm", "--name", name, "--network=none",
                                   "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096", image,
                                   "sh", "-c", "cat /etc/alpine-release > /tmp/out"])
        }
        let exec = try #require(tree.first { $0.type == "execve" && $0.process.exe == "/bin/cat" })
        let container = exec.process.container
        #expect(!container.isHost)
        #expect(container.fullID.count == 64)
        #expect(container.id == String(container.fullID.prefix(12)))
        #expect(container.name == name)
        #expect(container.image == image)
        #expect(container.runtime == "podman")
        #expect(exec.process.cmdline == "cat /etc/alpine-release")
        #expect(tree.contains { $0.process.container == container && $0.file?.path == "/tmp/out" })
    }
}

@Suite("Sensor preflight")
struct SensorPreflightTests {
    @Test func missingBTFSaysWhatKernelIsNeeded() {
        #expect(throws: ShrikeError.self) { try SensorPreflight.check(btfPath: "/nonexistent/vmlinux") }
        do {
            try SensorPreflight.check(btfPath: "/nonexistent/vmlinux")
        } catch let error as ShrikeError {
            if geteuid() == 0 {
                #expect(error.message.contains("CONFIG_DEBUG_INFO_BTF"))
                #expect(error.input == "/nonexistent/vmlinux")
            } else {
                #expect(error.message.contains("root"))
            }
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(arguments: [("6.18.44-fc-v669", 6, 18), ("5.4.0-150-generic", 5, 4), ("4.19.0", 4, 19)])
    func kernelVersions(release: String, major: Int, minor: Int) {
        #expect(SensorPreflight.parseKernelVersion(release).map { [$0.0, $0.1] } == [major, minor])
    }
}

/// Both ways the syscall program can run: per-syscall tracepoints (the default when tracefs is there) and the raw
/// sys_exit tracepoint on every syscall; each sees the same calls.
@Suite("Syscall hooks", .serialized,
       .enabled(if: SensorPreflight.unavailableReason() == nil,
                "needs root and a kernel with BTF (the eBPF sensor); run as root on Linux 5.11+"))
struct SyscallHookLiveTests {
    @Test(arguments: [true, false])
    func bothHooksSeeTheSameCalls(perSyscall: Bool) throws {
        var configuration = SensorConfiguration(syscalls: ["openat", "unlinkat"])
        configuration.perSyscallTracepoints = perSyscall
        let (tree, _, sensor) = try SensorLiveTests.events(configuration: configuration) {
            try SensorLiveTests.shell("f=$(mktemp); cat /etc/hostname > /dev/null; rm -f \"$f\"")
        }
        #expect(sensor.syscallHook == (perSyscall ? "per-syscall tracepoints" : "raw sys_exit"))
        #expect(tree.contains { $0.type == "openat" && $0.file?.path == "/etc/hostname" })
        #expect(tree.contains { $0.type == "unlinkat" && $0.file?.path.hasPrefix("/tmp/") == true })
        // Not asked for: no chdir, no connect (the process table's own needs, like dup and setsid, are added).
        #expect(!tree.contains { $0.type == "connect" || $0.type == "mkdir" })
    }

    /// umount2's tracepoint is `sys_exit_umount` (the kernel's function name): a failed umount is still seen.
    @Test func aSyscallWhoseTracepointHasTheKernelsNameIsSeen() throws {
        let (tree, _, sensor) = try SensorLiveTests.events(configuration: SensorConfiguration(syscalls: ["umount2"])) {
            try SensorLiveTests.shell("umount /shrike-not-mounted-$$ 2>/dev/null; true")
        }
        #expect(sensor.syscallHook == "per-syscall tracepoints", "\(sensor.rawHookReason ?? "")")
        #expect(tree.contains { $0.type == "umount2" && $0.file?.path.hasPrefix("/shrike-not-mounted-") == true })
    }

    /// A wanted syscall this kernel has no tracepoint for (one it was built without) moves every syscall to the raw
    /// hook, which sees its ENOSYS calls; the sensor says why.
    @Test func finitModuleIsSeenWithOrWithoutItsTracepoint() throws {
        let hasTracepoint = SyscallTracepoints.eventsRoot().map { SyscallTracepoints.hasExit("finit_module", root: $0) }
        let (tree, _, sensor) = try SensorLiveTests.events(configuration: SensorConfiguration(syscalls: ["finit_module"])) {
            try SensorLiveTests.shell("python3 -c \"import ctypes; ctypes.CDLL(None).syscall(313, -1, b'', 0)\"")
        }
        if hasTracepoint == false {
            #expect(sensor.syscallHook == "raw sys_exit")
            #expect(sensor.rawHookReason?.contains("finit_module") == true, "\(sensor.rawHookReason ?? "nil")")
        } else {
            #expect(sensor.syscallHook == "per-syscall tracepoints")
        }
        #expect(tree.contains { $0.type == "finit_module" })
    }
}
