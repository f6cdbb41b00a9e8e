import ShrikeSensor
import Testing
@testable import ShrikeRules

/// Rule files in Falco's syntax using every loading construct, checked through the merged catalog and by evaluation.
@Suite("Rule loading")
struct RuleLoadingTests {
    static let base = """
        - required_engine_version: 17
        - required_plugin_versions:
            - name: k8saudit
              version: 0.1.0
        - list: shell_binaries
          items: [bash, sh]
        - macro: spawned_process
          condition: evt.type = execve and evt.dir = <
        - macro: shell_procs
          condition: proc.name in (shell_binaries)
        - rule: Shell spawned
          desc: a shell started
          condition: spawned_process and shell_procs
          output: "shell %proc.name (parent %proc.pname)"
          priority: WARNING
          tags: [shell]
        - rule: Write below etc
          desc: write below /etc
          condition: evt.type = openat and evt.is_open_write = true and fd.name startswith /etc/
          output: "write %fd.name by %proc.name"
          priority: ERROR
          exceptions:
            - name: known_writers
              fields: [proc.name, fd.name]
              comps: [=, startswith]
              values:
                - [vipw, /etc/passwd]
            - name: editors
              fields: proc.name
              comps: in
              values: [vim, nano]
        """

    func load(_ texts: String...) throws -> CompiledRuleSet {
        try CompiledRuleSet.load(sources: texts.enumerated().map { RuleSource(name: "file\($0.offset + 1).yaml", text: $0.element) })
    }

    func fires(_ set: CompiledRuleSet, _ rule: String, _ event: Event) -> Bool {
        guard let compiled = set.rules.first(where: { $0.name == rule }) else { return false }
        return compiled.active && compiled.matches(TestEvents.context(event))
    }

    let bash = TestEvents.exec()
    let zsh = TestEvents.exec(TestEvents.process(name: "zsh", exe: "/bin/zsh", args: ["zsh"]))
    func write(_ path: String, by name: String = "touch") -> Event {
        TestEvents.open(path, process: TestEvents.process(name: name))
    }

    @Test func baseFileLoads() throws {
        let set = try load(Self.base)
        #expect(set.rules.count == 2 && set.macroCount == 2 && set.listCount == 1)
        #expect(set.requiredEngineVersion == "0.17.0")
        #expect(set.warnings.contains { $0.message.contains("required_plugin_versions") })
        #expect(fires(set, "Shell spawned", bash))
        #expect(!fires(set, "Shell spawned", zsh))
        #expect(set.neededEventTypes == ["execve", "openat"])
    }

    @Test func exceptionsWithTuplesAndIn() throws {
        let set = try load(Self.base)
        #expect(fires(set, "Write below etc", write("/etc/hosts")))
        #expect(!fires(set, "Write below etc", write("/etc/passwd", by: "vipw")))
        #expect(fires(set, "Write below etc", write("/etc/shadow", by: "vipw")))
        #expect(!fires(set, "Write below etc", write("/etc/hosts", by: "nano")))
    }

    @Test func overrideAppendAndReplace() throws {
        let local = """
            - list: shell_binaries
              items: [zsh]
              override:
                items: append
            - rule: Shell spawned
              condition: and proc.pname != sshd
              override:
                condition: append
            - rule: Write below etc
              priority: CRITICAL
              output: "replaced %fd.name"
              override:
                priority: replace
                output: replace
            - rule: Write below etc
              exceptions:
                - name: known_writers
                  values:
                    - [touch, /etc/hosts]
                - name: etc_tmp
                  fields: fd.directory
                  comps: pmatch
                  values: [/etc/tmp]
              override:
                exceptions: append
            """
        let set = try load(Self.base, local)
        #expect(fires(set, "Shell spawned", zsh))
        let rule = try #require(set.rules.first { $0.name == "Write below etc" })
        #expect(rule.priority == .critical)
        #expect(rule.definition.output == "replaced %fd.name")
        #expect(rule.definition.exceptions.count == 3)
        #expect(!fires(set, "Write below etc", write("/etc/hosts")))
        #expect(!fires(set, "Write below etc", write("/etc/tmp/x")))
        #expect(fires(set, "Write below etc", write("/etc/motd")))
    }

    @Test func overrideReplaceOfAList() throws {
        let set = try load(Self.base, "- list: shell_binaries\n  items: [zsh]\n  override:\n    items: replace\n")
        #expect(fires(set, "Shell spawned", zsh))
        #expect(!fires(set, "Shell spawned", bash))
    }

    @Test func legacyAppend() throws {
        let local = """
            - list: shell_binaries
              items: [zsh]
              append: true
            - macro: shell_procs
              condition: or proc.name = fish
              append: true
            - rule: Write below etc
              condition: and not proc.name = touch
              append: true
            """
        let set = try load(Self.base, local)
        #expect(fires(set, "Shell spawned", zsh))
        #expect(fires(set, "Shell spawned", TestEvents.exec(TestEvents.process(name: "fish", args: ["fish"]))))
        #expect(!fires(set, "Write below etc", write("/etc/hosts")))
        #expect(fires(set, "Write below etc", write("/etc/hosts", by: "cp")))
    }

    @Test func laterDefinitionReplacesEarlier() throws {
        let local = """
            - macro: shell_procs
              condition: proc.name = zsh
            - rule: Write below etc
              desc: redefined
              condition: evt.type = openat and fd.name = /etc/x
              output: x
              priority: INFO
            """
        let set = try load(Self.base, local)
        #expect(fires(set, "Shell spawned", zsh) && !fires(set, "Shell spawned", bash))
        #expect(set.rules.map(\.name) == ["Shell spawned", "Write below etc"])
        #expect(set.rules[1].priority == .informational)
        #expect(fires(set, "Write below etc", write("/etc/x")))
    }

    @Test func enabledToggles() throws {
        let set = try load(Self.base, "- rule: Shell spawned\n  enabled: false\n")
        #expect(!fires(set, "Shell spawned", bash))
        #expect(set.rules[0].enabled == false && !set.neededEventTypes.contains("execve"))
        let again = try load(Self.base, "- rule: Shell spawned\n  enabled: false\n",
                             "- rule: Shell spawned\n  enabled: true\n  override:\n    enabled: replace\n")
        #expect(fires(again, "Shell spawned", bash))
    }

    @Test func skipIfUnknownFilter() throws {
        let text = """
            - rule: Uses a future field
              desc: x
              condition: evt.type = openat and proc.future_field = 1
              output: x
              priority: INFO
              skip-if-unknown-filter: true
            """
        let set = try load(text)
        #expect(set.rules.first?.active == false)
        #expect(set.warnings.contains { $0.message.contains("skipped") && $0.message.contains("proc.future_field") })
    }

    @Test func otherSourcesLoadButStayInactive() throws {
        let text = """
            - rule: K8s audit
              desc: x
              condition: ka.verb = create and json.value[/user/name] = admin
              output: "%aws.user created"
              priority: INFO
              source: k8s_audit
            """
        let set = try load(text)
        #expect(set.rules.first?.active == false)
        #expect(set.warnings.contains { $0.message.contains("k8s_audit") })
    }

    @Test func requiredEngineVersionTooNew() {
        #expect(throws: (any Error).self) { try load("- required_engine_version: 0.99.0\n") }
        #expect(throws: (any Error).self) { try load("- required_engine_version: 999\n") }
    }

    @Test func captureKeysFillTheAlertWindow() throws {
        let text = """
            - rule: Captured
              desc: x
              condition: evt.type = execve
              output: x
              priority: INFO
              capture: true
              capture_duration: 7000
            """
        let set = try load(text)
        #expect(set.rules.first?.captureAfter == 7)
        #expect(set.rules.first?.definition.capture == true)
    }

    @Test func rulesWithoutTypeRestrictionWarn() throws {
        let set = try load("- rule: Any\n  desc: x\n  condition: proc.name = x\n  output: x\n  priority: INFO\n")
        #expect(set.rules.first?.eventTypes == nil)
        #expect(set.needsAllEventTypes)
        #expect(set.warnings.contains { $0.message.contains("all event types") })
    }

    @Test func defaultRulesLoad() throws {
        let set = try CompiledRuleSet.forWatch(paths: [])
        #expect(set.warnings.isEmpty, "\(set.warnings)")
        #expect(set.activeRules.count == set.rules.count)
        #expect(set.rules.contains { $0.name == "Binary directory changed" })
        #expect(set.rules.contains { $0.name == "Unexpected outbound connection from a container" })
        #expect(!set.needsAllEventTypes)
        #expect(set.neededEventTypes.isSuperset(of: ["openat", "connect", "execve", "ptrace", "dup2"]))
        // Only the reads some rule can match cross the kernel: a handful of prefixes, not every read.
        let prefixes = try #require(KernelReadFilter(ruleSet: set, catalog: set.catalog).prefixes)
        #expect(prefixes.contains("/etc/shadow"))
        #expect(!prefixes.contains { "/etc/hostname".hasPrefix($0) })
    }

    @Test func effectiveYAMLRoundTrips() throws {
        let set = try load(Self.base, "- rule: Shell spawned\n  condition: and proc.pname != sshd\n  override:\n    condition: append\n")
        let yaml = RuleListing.yaml(set)
        let again = try load(yaml)
        #expect(again.rules.map(\.name) == set.rules.map(\.name))
        #expect(again.rules[0].definition.condition == set.rules[0].definition.condition)
        #expect(again.rules[1].definition.exceptions.count == 2)
        #expect(fires(again, "Write below etc", write("/etc/hosts")))
        #expect(!fires(again, "Write below etc", write("/etc/hosts", by: "vim")))
    }
}
