import ShrikeSensor
import Testing
@testable import ShrikeRules

/// `container.mounts` and `container.mount*[…]` as Falco defines them, over the mounts a runtime's files list.
@Suite("Container mount fields")
struct ContainerMountFieldsTests {
    static let mounts = [
        ContainerMount(source: "/var/run/docker.sock", destination: "/var/run/docker.sock", mode: "rw",
                       readWrite: true, propagation: "rprivate"),
        ContainerMount(source: "/srv/data", destination: "/data", mode: "ro", readWrite: false, propagation: ""),
    ]

    static func event(mounts: [ContainerMount]?, host: Bool = false) -> Event {
        let container = host ? ContainerInfo.host
            : ContainerInfo(fullID: String(repeating: "ab", count: 32), runtime: "podman", mounts: mounts)
        return TestEvents.exec(TestEvents.process(name: "sh", exe: "/bin/sh", args: ["sh"], container: container))
    }

    static func value(_ field: String, _ event: Event) throws -> String {
        let format = try OutputFormat("%\(field)", at: SourceLocation(file: "t", line: 1))
        return format.render(TestEvents.context(event)).0
    }

    @Test(arguments: [
        ("container.mounts", "/var/run/docker.sock:/var/run/docker.sock:rw:true:rprivate /srv/data:/data:ro:false:"),
        ("container.mount[1]", "/srv/data:/data:ro:false:"),
        ("container.mount[/srv/*]", "/srv/data:/data:ro:false:"),
        ("container.mount[/nothing]", "none"),
        ("container.mount.dest[/var/run/docker.sock]", "/var/run/docker.sock"),
        ("container.mount.dest[/proc*]", "N/A"),
        ("container.mount.source[/data]", "/srv/data"),
        ("container.mount.mode[/srv/data]", "ro"),
        ("container.mount.rdwr[/srv/data]", "false"),
        ("container.mount.propagation[0]", "rprivate"),
        ("container.mount.dest[7]", "N/A"),
    ])
    func fields(field: String, expected: String) throws {
        #expect(try Self.value(field, Self.event(mounts: Self.mounts)) == expected, "\(field)")
    }

    @Test func hostAndUnknownAreNA() throws {
        #expect(try Self.value("container.mount.dest[/proc*]", Self.event(mounts: nil, host: true)) == "<NA>")
        #expect(try Self.value("container.mounts", Self.event(mounts: nil)) == "<NA>")
    }

    /// falco-sandbox_rules.yaml's `sensitive_mount` macro, as written upstream.
    @Test(arguments: [(true, true), (false, false)])
    func sensitiveMountMacro(withSocket: Bool, expected: Bool) throws {
        let condition = """
            (not container.mount.dest[/proc*] in ("<NA>","N/A") or
             not container.mount.dest[/var/run/docker.sock] in ("<NA>","N/A") or
             not container.mount.dest[/etc] in ("<NA>","N/A"))
            """
        let mounts = withSocket ? Self.mounts : [Self.mounts[1]]
        #expect(try TestEvents.matches(condition, Self.event(mounts: mounts)) == expected)
    }

    @Test func needAnArgumentAndAreFilled() throws {
        #expect(throws: (any Error).self) { try TestEvents.compile("container.mount.dest = x") }
        let rule = try TestEvents.compile("container.mount.dest[/x] = y and container.mounts contains z")
        #expect(rule.unavailableFields.isEmpty, "\(rule.unavailableFields)")
    }
}
