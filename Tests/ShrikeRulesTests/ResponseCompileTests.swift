import ShrikeCore
import ShrikeSensor
import Testing
@testable import ShrikeRules

/// `response:` rules: which conditions compile to kernel predicates, which are refused (and with which code), and
/// that every accepted predicate decides exactly as the rule's own condition on a table of events.
@Suite("Response rules compile to kernel predicates")
struct ResponseCompileTests {
    static let library = """
        - macro: open_write
          condition: (evt.type in (open, openat, openat2, creat) and evt.is_open_write = true and evt.failed = false)
        - macro: container
          condition: (container.id != host)
        - list: bin_dirs
          items: [/bin, /sbin, /usr/bin, /usr/sbin, /usr/local/bin]
        - list: package_mgmt_binaries
          items: [dpkg, apt, rpm]
        """

    static func ruleSet(_ condition: String, response: String = "kill", extra: String = "") throws -> CompiledRuleSet {
        let rule = """
            - rule: Guard
              desc: test
              condition: \(TestEvents.quoted(condition))
              output: test
              priority: ERROR
              warn_evttypes: false
              response: \(response)
            \(extra)
            """
        return try CompiledRuleSet.load(sources: [RuleSource(name: "responses.yaml", text: library + "\n" + rule)])
    }

    struct Accepted: CustomTestStringConvertible, Sendable {
        let condition: String
        let terms: Int
        var testDescription: String { condition }
    }

    static let accepted: [Accepted] = [
        Accepted(condition: "open_write and fd.directory in (bin_dirs)", terms: 1),
        Accepted(condition: "open_write and fd.directory in (bin_dirs) and not proc.name in (package_mgmt_binaries)",
                 terms: 1),
        Accepted(condition: "open_write and fd.name pmatch (/etc, /usr/local/bin) and user.uid != 0", terms: 1),
        Accepted(condition: "open_write and fd.name startswith /etc/ and proc.pname = bash", terms: 1),
        Accepted(condition: "evt.type = execve and (proc.exepath = /tmp/x or proc.name in (nc, ncat))", terms: 2),
        Accepted(condition: "evt.type = execve and container and fd.name startswith /tmp/", terms: 1),
        Accepted(condition: "evt.type = execve and user.uid in (1000, 1001)", terms: 2),
        Accepted(condition: "evt.type in (openat, creat) and evt.is_open_create = true and evt.dir = < "
                 + "and fd.name = /usr/bin/x", terms: 1),
        Accepted(condition: "(open_write and fd.name = /etc/shadow) or (evt.type = execve and proc.name = nmap)",
                 terms: 2),
        // The impossible alternative (openat and execve at once) is dropped, not refused.
        Accepted(condition: "(evt.type = openat and evt.type = execve) or (evt.type = execve and proc.name = sh)",
                 terms: 1),
    ]

    @Test(arguments: accepted)
    func compiles(_ accepted: Accepted) throws {
        let set = try Self.ruleSet(accepted.condition)
        let response = try #require(set.rules.first?.response)
        #expect(response.terms.count == accepted.terms)
        let plan = try #require(set.enforcementPlan(dryRun: false))
        #expect(plan.ruleNames == ["Guard"])
        #expect(plan.terms.count == accepted.terms)
    }

    struct Refused: CustomTestStringConvertible, Sendable {
        let condition: String
        let code: ShrikeError.Code
        /// The sub-expression the message must name.
        let names: String
        var testDescription: String { condition }
    }

    static let refused: [Refused] = [
        Refused(condition: "open_write and proc.cmdline contains curl", code: .responseNotKernelDecidable,
                names: "proc.cmdline contains curl"),
        Refused(condition: "fd.directory in (bin_dirs)", code: .responseNotKernelDecidable, names: "evt.type"),
        Refused(condition: "evt.type in (openat, unlinkat) and fd.name = /x", code: .responseNotKernelDecidable,
                names: "unlinkat"),
        Refused(condition: "open_write and tolower(proc.name) = sh", code: .responseNotKernelDecidable,
                names: "tolower(proc.name)"),
        Refused(condition: "open_write and fd.name glob '/etc/*'", code: .responseNotKernelDecidable,
                names: "fd.name glob"),
        Refused(condition: "open_write and proc.exepath = /bin/sh", code: .responseNotKernelDecidable,
                names: "proc.exepath"),
        Refused(condition: "open_write and container.name = web", code: .responseNotKernelDecidable,
                names: "container.name = web"),
        Refused(condition: "evt.type = execve and proc.aname[2] = sshd", code: .responseNotKernelDecidable,
                names: "proc.aname[2]"),
        Refused(condition: "evt.type = execve and fd.name exists", code: .responseNotKernelDecidable,
                names: "fd.name exists"),
    ]

    @Test(arguments: refused)
    func refusesWhatTheKernelCannotDecide(_ refused: Refused) throws {
        do {
            _ = try Self.ruleSet(refused.condition)
            Issue.record("'\(refused.condition)' compiled")
        } catch let error as ShrikeError {
            #expect(error.code == refused.code, "\(error)")
            #expect(error.message.contains("rule 'Guard'"), "\(error)")
            #expect(error.message.contains(refused.names), "\(error)")
            #expect(error.input?.hasPrefix("responses.yaml:") == true, "\(error)")
        }
    }

    @Test func exceptionsAreCompiledIn() throws {
        let set = try Self.ruleSet("open_write and fd.directory in (bin_dirs)", extra: """
              exceptions:
                - name: installers
                  fields: [proc.name]
                  values: [[make]]
            """)
        let terms = try #require(set.rules.first?.response?.terms)
        #expect(terms.count == 1)
        #expect(terms[0].atoms.contains(KernelAtom(.nameIn(["make"]), negated: true)))
    }

    @Test func badResponseKeysAreRefused() throws {
        #expect(throws: ShrikeError.self) { try Self.ruleSet("evt.type = execve", response: "explode") }
        do {
            _ = try Self.ruleSet("evt.type = connect and container.name = web", response: "deny-connect",
                                 extra: "  response_allow: [not-an-address]")
            Issue.record("a bad allow-list entry loaded")
        } catch let error as ShrikeError {
            #expect(error.code == .responseInvalid, "\(error)")
        }
        do {
            _ = try Self.ruleSet("evt.type = connect", response: "deny-connect")
            Issue.record("a deny-connect rule without a scope loaded")
        } catch let error as ShrikeError {
            #expect(error.code == .responseNotKernelDecidable, "\(error)")
        }
    }

    @Test func denyConnectScopesContainers() throws {
        let set = try Self.ruleSet("evt.type = connect and container.name in (web, api)", response: "deny-connect",
                                   extra: "  response_allow: [10.0.0.0/8, '127.0.0.1:8080', '[::1]:53']")
        let response = try #require(set.rules.first?.response)
        #expect(response.allow.map(\.description) == ["10.0.0.0/8", "127.0.0.1:8080", "[::1]:53"])
        #expect(response.covers(ContainerInfo(fullID: String(repeating: "a", count: 64), name: "web")))
        #expect(!response.covers(ContainerInfo(fullID: String(repeating: "b", count: 64), name: "db")))
        #expect(!response.covers(.host))
        #expect(set.enforcementPlan(dryRun: true)?.policies.count == 1)
        let denied = TestEvents.connect("192.0.2.1", port: 443, ret: -1)
        #expect(response.outcome(for: denied, parentName: nil, dryRun: false) == "denied")
        #expect(response.outcome(for: denied, parentName: nil, dryRun: true) == "would-deny")
        #expect(response.outcome(for: TestEvents.connect("10.1.2.3", port: 5432), parentName: nil, dryRun: false) == nil)
    }

    @Test func noResponseRulesMeanNoPlan() throws {
        let set = try CompiledRuleSet.load(sources: [RuleSource(name: "plain.yaml", text: """
            - rule: Plain
              desc: test
              condition: evt.type = execve
              output: test
              priority: INFO
            """)])
        #expect(set.enforcementPlan(dryRun: false) == nil)
    }

    // MARK: - The kernel predicate decides as the condition does

    static let container = ContainerInfo(fullID: String(repeating: "c", count: 64), name: "web", runtime: "podman")
    static let samples: [Event] = [
        TestEvents.open("/usr/local/bin/x", process: TestEvents.process(name: "sh")),
        TestEvents.open("/usr/local/bin/x", flags: 0, process: TestEvents.process(name: "sh")),
        TestEvents.open("/usr/local/bin/x", ret: -13, process: TestEvents.process(name: "sh")),
        TestEvents.open("/usr/bin/x", process: TestEvents.process(name: "dpkg")),
        TestEvents.open("/etc/shadow", process: TestEvents.process(name: "touch", uid: 1000)),
        TestEvents.open("/etc/passwd", process: TestEvents.process(name: "sh", container: container)),
        TestEvents.open("/etcetera/x", process: TestEvents.process(name: "sh")),
        TestEvents.open("/usr/bin/x", flags: OpenFlags.readWrite, process: TestEvents.process(name: "make")),
        TestEvents.exec(TestEvents.process(name: "nc", exe: "/usr/bin/nc", args: ["nc"])),
        TestEvents.exec(TestEvents.process(name: "x", exe: "/tmp/x", args: ["x"], uid: 1000)),
        TestEvents.exec(TestEvents.process(name: "sh", exe: "/tmp/sh", args: ["sh"], container: container)),
        TestEvents.exec(TestEvents.process(name: "nmap", exe: "/usr/bin/nmap", args: ["nmap"], uid: 1001)),
    ]

    @Test(arguments: accepted)
    func kernelTermsDecideAsTheCondition(_ accepted: Accepted) throws {
        let set = try Self.ruleSet(accepted.condition)
        let rule = try #require(set.rules.first)
        let response = try #require(rule.response)
        for event in Self.samples {
            let context = TestEvents.context(event)
            let expected = rule.matches(context)
            let kind = try #require(EnforcedEventClass(rawValue: event.type))
            let parent = FieldRegistry.generation(context, 1)?.name
            let decisions = response.terms.filter { $0.classes.contains(kind) }
                .map { CompiledResponse.holds($0, event: event, kind: kind, parentName: parent) }
            #expect(!decisions.contains(nil), "every sample path is decidable")
            #expect(decisions.contains(true) == expected,
                    "\(accepted.condition) on \(event.type) \(event.file?.path ?? "") by \(event.process.name)")
        }
    }

    @Test func relativeAndUnnormalPathsAreLeftUndecided() throws {
        let set = try Self.ruleSet("open_write and fd.directory in (bin_dirs)")
        let response = try #require(set.rules.first?.response)
        var event = TestEvents.open("/usr/local/bin/x", process: TestEvents.process(name: "sh"))
        event.file?.rawPath = "x"
        #expect(response.outcome(for: event, parentName: nil, dryRun: false) == "unenforced")
        event.file?.rawPath = nil
        #expect(response.outcome(for: event, parentName: nil, dryRun: false) == "killed")
        #expect(response.outcome(for: event, parentName: nil, dryRun: true) == "would-kill")
        // The kernel never acts on PID 1.
        event.process.pid = 1
        #expect(response.outcome(for: event, parentName: nil, dryRun: false) == nil)
    }

    struct Entry: CustomTestStringConvertible, Sendable {
        let text: String
        let rendered: String?
        var testDescription: String { text }
    }

    static let entries: [Entry] = [
        Entry(text: "127.0.0.1", rendered: "127.0.0.1"),
        Entry(text: "10.0.0.0/8", rendered: "10.0.0.0/8"),
        Entry(text: "192.168.1.5:443", rendered: "192.168.1.5:443"),
        Entry(text: "::1", rendered: "::1"),
        Entry(text: "[fd00::]/8:53", rendered: "[fd00::/8]:53"),
        Entry(text: "10.0.0.0/33", rendered: nil),
        Entry(text: "example.com", rendered: nil),
        Entry(text: "1.2.3.4:0", rendered: nil),
    ]

    @Test(arguments: entries)
    func allowListEntries(_ entry: Entry) {
        let parsed = try? ConnectAllowEntry(parsing: entry.text)
        #expect(parsed?.description == entry.rendered)
    }
}
