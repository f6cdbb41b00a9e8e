import ShrikeSensor
import Testing
@testable import ShrikeRules

/// The fields filled from what the kernel reads at exec and per call: `thread.cap_*` / `proc.cap_*`,
/// `proc.exe_ino*`, `proc.vpid` / `proc.vpgid` in containers, `container.start_ts`, `fd.connected`,
/// `fd.name_changed` and `evt.buffer`, rendered and compared as Falco does. (The kernel side is tested in
/// ShrikeSensorTests' ProcessIdentityLiveTests.)
@Suite("Fields from the kernel's view of a process")
struct KernelIdentityFieldsTests {
    static let container = ContainerInfo(fullID: String(repeating: "cd", count: 32), runtime: "podman",
                                         startTime: TestEvents.time - 5_000_000_000)

    /// A shell that is pid 1 of its container, with CAP_CHOWN, CAP_DAC_OVERRIDE and CAP_SYS_ADMIN effective.
    static var shell: ProcessSnapshot {
        var process = TestEvents.process(pid: 4242, name: "sh", exe: "/bin/sh", args: ["sh"], container: container)
        process.vpid = 1
        process.vpgid = 1
        process.pgid = 4242
        process.capabilities = Capabilities(effective: 1 << 0 | 1 << 1 | 1 << 21, permitted: 1 << 0 | 1 << 1 | 1 << 21,
                                            inheritable: 0)
        process.executable = ExecutableInode(inode: 777, changeTime: TestEvents.time - 2_000_000_000,
                                             modificationTime: TestEvents.time - 3_000_000_000)
        process.startTime = TestEvents.time - 1_500_000_000
        return process
    }

    static func value(_ field: String, _ event: Event) throws -> String {
        let format = try OutputFormat("%\(field)", at: SourceLocation(file: "t", line: 1))
        return format.render(TestEvents.context(event)).0
    }

    static func datagram(type: String = "sendto", connected: Bool, nameChanged: Bool, buffer: [UInt8]?) -> Event {
        var net = NetworkActivity(family: .inet, role: .destination, address: "198.51.100.7", port: 53, socketType: 2,
                                  fd: 4)
        net.connected = connected
        net.nameChanged = nameChanged
        return Event(time: TestEvents.time, type: type, category: .network, ret: Int64(buffer?.count ?? 0),
                     process: shell, net: net, buffer: buffer)
    }

    @Test(arguments: [
        ("thread.cap_effective", "CAP_CHOWN CAP_DAC_OVERRIDE CAP_SYS_ADMIN"),
        ("thread.cap_permitted", "CAP_CHOWN CAP_DAC_OVERRIDE CAP_SYS_ADMIN"),
        ("thread.cap_inheritable", ""),
        ("proc.cap_effective", "CAP_CHOWN CAP_DAC_OVERRIDE CAP_SYS_ADMIN"),
        ("proc.exe_ino", "777"),
        ("proc.exe_ino.ctime", String(TestEvents.time - 2_000_000_000)),
        ("proc.exe_ino.mtime", String(TestEvents.time - 3_000_000_000)),
        ("proc.exe_ino.ctime_duration_proc_start", "500000000"),
        ("proc.pid.ts", String(TestEvents.time - 1_500_000_000)),
        ("proc.duration", "1500000000"),
        ("proc.vpid", "1"),
        ("proc.vpgid", "1"),
        ("proc.is_vpgid_leader", "true"),
        ("proc.vpgid.name", "sh"),
        ("container.start_ts", String(TestEvents.time - 5_000_000_000)),
        ("container.duration", "5000000000"),
    ])
    func processFields(field: String, expected: String) throws {
        #expect(try Self.value(field, TestEvents.exec(Self.shell)) == expected, "\(field)")
    }

    @Test(arguments: ["thread.cap_effective", "proc.exe_ino", "proc.exe_ino.ctime_duration_proc_start",
                      "container.start_ts", "fd.connected", "fd.name_changed", "evt.buffer"])
    func unknownIsNA(field: String) throws {
        // An event from a recording made before these were kept: nothing known, so nothing guessed.
        let event = Event(time: TestEvents.time, type: "sendto", category: .network, ret: 0,
                          process: TestEvents.process(container: ContainerInfo(fullID: String(repeating: "ef", count: 32))),
                          net: NetworkActivity(family: .inet, role: .destination, address: "192.0.2.1", port: 1))
        #expect(try Self.value(field, event) == "<NA>", "\(field)")
    }

    /// Conditions as the upstream rules write them (falco_rules.yaml's `outbound` macro and release_agent rule,
    /// falco-incubating's `container_started`, falco-sandbox's Java class download).
    @Test(arguments: [
        ("thread.cap_effective contains CAP_SYS_ADMIN and (user.uid=0 or thread.cap_effective contains CAP_DAC_OVERRIDE)",
         true),
        ("thread.cap_effective icontains sys_module", false),
        ("thread.cap_permitted contains CAP_SYS_ADMIN or thread.cap_permitted contains CAP_BPF", true),
        ("evt.type = execve and proc.vpid=1 and container.id != host", true),
        ("proc.exe_ino.ctime_duration_proc_start < 1000000000", true),
        ("container.start_ts > 0 and container.duration > 4000000000", true),
    ])
    func upstreamConditionsOnAProcess(condition: String, expected: Bool) throws {
        #expect(try TestEvents.matches(condition, TestEvents.exec(Self.shell)) == expected, "\(condition)")
    }

    @Test(arguments: [
        (false, true, true), (false, false, false), (true, true, false),
    ])
    func outboundDatagrams(connected: Bool, nameChanged: Bool, expected: Bool) throws {
        let condition = "evt.type in (sendto,sendmsg) and fd.l4proto != tcp and fd.connected=false and fd.name_changed=true"
        let event = Self.datagram(connected: connected, nameChanged: nameChanged, buffer: nil)
        #expect(try TestEvents.matches(condition, event) == expected)
    }

    @Test func bufferMatchesBytesNotText() throws {
        let classFile: [UInt8] = [0xCA, 0xFE, 0xBA, 0xBE, 0x00, 0x00, 0x00, 0x41]
        let event = Self.datagram(type: "recvfrom", connected: false, nameChanged: true, buffer: Array("HTTP".utf8) + classFile)
        #expect(try TestEvents.matches("evt.buffer bcontains cafebabe", event))
        #expect(try TestEvents.matches("evt.buffer contains HTTP", event))
        #expect(try !TestEvents.matches("evt.buffer bcontains cafed00d", event))
        #expect(try TestEvents.matches("evt.buflen = 12", event))
        // A field that holds text keeps comparing UTF-8 bytes.
        var named = Self.shell
        named.name = "é"
        #expect(try TestEvents.matches("proc.name bcontains c3a9", TestEvents.exec(named)))
    }

    @Test func filledFieldsAreNoLongerUnavailable() throws {
        let rule = try TestEvents.compile("""
            thread.cap_effective contains CAP_SYS_ADMIN and proc.exe_ino > 0 and container.start_ts > 0 \
            and fd.connected = false and fd.name_changed = true and evt.buffer bcontains cafebabe
            """)
        #expect(rule.unavailableFields.isEmpty, "\(rule.unavailableFields)")
        for field in ["thread.cap_effective", "proc.exe_ino.ctime", "fd.connected", "evt.buffer", "container.start_ts"] {
            #expect(FieldRegistry.unfilledType(field) == nil, "\(field)")
        }
    }
}
