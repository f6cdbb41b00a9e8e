import ShrikeSensor
import Testing
@testable import ShrikeRules

@Suite("Rule engine")
struct RuleEngineTests {
    static let rules = """
        - rule: Any write below usr
          desc: x
          condition: evt.type = openat and evt.is_open_write = true and fd.name startswith /usr/
          output: "write %fd.name by %proc.name[%proc.pid] gparent %proc.aname[2] (%(fd.directory))"
          priority: ERROR
          tags: [fs]
        - rule: Write below usr bin
          desc: x
          condition: evt.type in (openat, open) and fd.directory = /usr/bin
          output: "bin write %fd.name %container.info"
          priority: WARNING
          capture: true
          capture_duration: 5000
        - rule: Every event of touch
          desc: x
          condition: proc.name = touch
          output: "touch did %evt.type"
          priority: DEBUG
          warn_evttypes: false
        """

    func engine(_ options: RuleEngine.Options = .init(hostname: "h")) throws -> RuleEngine {
        let set = try CompiledRuleSet.load(sources: [RuleSource(name: "r.yaml", text: Self.rules)])
        return RuleEngine(rules: set, options: options,
                          users: UserDatabase(passwdPath: "/nonexistent", groupPath: "/nonexistent"))
    }

    @Test func everyMatchingRuleFires() throws {
        let alerts = try engine().evaluate(TestEvents.open("/usr/bin/x"), processes: TestEvents.table)
        #expect(alerts.map(\.rule) == ["Any write below usr", "Write below usr bin", "Every event of touch"])
        #expect(alerts[0].output == "write /usr/bin/x by touch[300] gparent sshd (/usr/bin)")
        #expect(alerts[0].outputFields == ["fd.name": "/usr/bin/x", "proc.name": "touch", "proc.pid": "300",
                                           "proc.aname[2]": "sshd", "fd.directory": "/usr/bin"])
        #expect(alerts[0].hostname == "h" && alerts[0].time == TestEvents.time && alerts[0].count == 1)
        #expect(alerts[1].output == "bin write /usr/bin/x container_id=host container_name=host")
        #expect(alerts[1].captureAfter == 5)
        #expect(alerts[0].captureAfter == nil)
    }

    @Test func firstMatchStopsAtTheFirstRule() throws {
        let alerts = try engine(.init(firstMatch: true, hostname: "h"))
            .evaluate(TestEvents.open("/usr/bin/x"), processes: TestEvents.table)
        #expect(alerts.map(\.rule) == ["Any write below usr"])
    }

    @Test func minimumPriorityDropsLessSevereRules() throws {
        let alerts = try engine(.init(minimumPriority: .warning, hostname: "h"))
            .evaluate(TestEvents.open("/usr/bin/x"), processes: TestEvents.table)
        #expect(alerts.map(\.rule) == ["Any write below usr", "Write below usr bin"])
    }

    @Test func rulesOnlySeeTheirEventTypes() throws {
        let engine = try engine()
        let connect = TestEvents.connect("1.2.3.4", port: 80, process: TestEvents.process(name: "touch"))
        #expect(engine.evaluate(connect, processes: TestEvents.table).map(\.rule) == ["Every event of touch"])
        #expect(engine.ruleSet.needsAllEventTypes)
    }

    @Test func repeatsAreFoldedNotDropped() throws {
        let engine = try engine(.init(deduplicationWindow: 1, hostname: "h"))
        let second: UInt64 = 1_000_000_000
        let t0 = TestEvents.time
        #expect(engine.evaluate(TestEvents.open("/usr/bin/a", time: t0), processes: TestEvents.table).count == 3)
        // Three repeats within the window: folded.
        for offset in 1...3 {
            let event = TestEvents.open("/usr/bin/a", time: t0 + UInt64(offset) * second / 10)
            #expect(engine.evaluate(event, processes: TestEvents.table).isEmpty)
        }
        #expect(engine.statistics.folded == 9)
        // After the window the next alert carries the folded repeats.
        let later = engine.evaluate(TestEvents.open("/usr/bin/b", time: t0 + 2 * second), processes: TestEvents.table)
        #expect(later.map(\.count) == [4, 4, 4])
        // Another process is not folded with this one.
        let other = TestEvents.open("/usr/bin/b", process: TestEvents.process(pid: 301), time: t0 + 2 * second)
        #expect(engine.evaluate(other, processes: TestEvents.table).count == 3)
    }

    @Test func flushSuppressedEmitsPendingRepeats() throws {
        let engine = try engine(.init(deduplicationWindow: 1, hostname: "h"))
        let t0 = TestEvents.time
        _ = engine.evaluate(TestEvents.open("/usr/bin/a", time: t0), processes: TestEvents.table)
        _ = engine.evaluate(TestEvents.open("/usr/bin/c", time: t0 + 500_000_000), processes: TestEvents.table)
        #expect(engine.flushSuppressed(now: t0 + 600_000_000).isEmpty)
        let flushed = engine.flushSuppressed(now: t0 + 1_100_000_000)
        #expect(flushed.count == 3)
        #expect(flushed.allSatisfy { $0.count == 1 && $0.output.contains("/usr/bin/c") || $0.rule == "Every event of touch" })
        #expect(engine.flushSuppressed(now: .max).isEmpty)
        // Nothing pending any more: the next alert counts 1.
        let next = engine.evaluate(TestEvents.open("/usr/bin/d", time: t0 + 1_200_000_000), processes: TestEvents.table)
        #expect(next.map(\.count) == [1, 1, 1])
    }

    @Test func zeroWindowTurnsDeduplicationOff() throws {
        let engine = try engine(.init(deduplicationWindow: 0, hostname: "h"))
        for _ in 0..<3 {
            #expect(engine.evaluate(TestEvents.open("/usr/bin/a"), processes: TestEvents.table).count == 3)
        }
        #expect(engine.statistics.alerts == 9 && engine.statistics.folded == 0)
    }

    @Test func hostnameDefaultsToTheMachine() throws {
        let engine = try engine(.init())
        #expect(!engine.hostname.isEmpty)
    }

    @Test func neededEventTypesOfTypedRules() throws {
        let set = try CompiledRuleSet.load(sources: [RuleSource(name: "r", text: """
            - rule: A
              desc: x
              condition: evt.type in (openat, open) and proc.name = x
              output: x
              priority: INFO
            - rule: B
              desc: x
              condition: (evt.type = connect or evt.type = accept4) and not proc.name = x
              output: x
              priority: INFO
            - rule: C
              desc: x
              condition: evt.type = execve and evt.type = connect
              output: x
              priority: INFO
            """)])
        #expect(set.neededEventTypes == ["openat", "open", "connect", "accept4"])
        #expect(!set.needsAllEventTypes)
        #expect(set.rules[2].eventTypes == [])
    }
}

@Suite("Rule engine: shared macros")
struct SharedMacroTests {
    @Test func aMacroSharedByRulesIsRememberedPerEventOnly() throws {
        let set = try CompiledRuleSet.load(sources: [RuleSource(name: "m.yaml", text: """
            - macro: writes_usr
              condition: (evt.is_open_write = true and fd.name startswith /usr/)
            - rule: Writes usr
              desc: x
              condition: evt.type = openat and writes_usr
              output: x
              priority: INFO
            - rule: Does not write usr
              desc: x
              condition: evt.type = openat and not writes_usr
              output: x
              priority: INFO
            """)])
        let engine = RuleEngine(rules: set, options: .init(deduplicationWindow: 0, hostname: "h"))
        let write = TestEvents.open("/usr/bin/x")
        let read = TestEvents.open("/usr/bin/x", flags: OpenFlags.readOnly)
        #expect(engine.evaluate(write, processes: TestEvents.table).map(\.rule) == ["Writes usr"])
        #expect(engine.evaluate(read, processes: TestEvents.table).map(\.rule) == ["Does not write usr"])
        #expect(engine.evaluate(write, processes: TestEvents.table).map(\.rule) == ["Writes usr"])
        #expect(engine.evaluate(write, processes: TestEvents.table).map(\.rule) == ["Writes usr"])
    }
}
