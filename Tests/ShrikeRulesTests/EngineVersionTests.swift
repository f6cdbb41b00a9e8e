import ShrikeCore
import Testing
@testable import ShrikeRules

/// `required_engine_version`, `required_plugin_versions` and the engine 0.57.0 deprecation of `evt.dir`.
@Suite("Falco engine version")
struct EngineVersionTests {
    func load(_ text: String) throws -> CompiledRuleSet {
        try CompiledRuleSet.load(sources: [RuleSource(name: "rules.yaml", text: text)])
    }

    func loadError(_ text: String) -> ShrikeError? {
        do {
            _ = try load(text)
            return nil
        } catch let error as ShrikeError {
            return error
        } catch {
            return nil
        }
    }

    static let rule = """
        - rule: Shell
          desc: a shell started
          condition: evt.type = execve and proc.name = bash
          output: "shell %proc.name"
          priority: WARNING
        """

    @Test func shrikeClaimsEngine057() {
        #expect(RuleCatalog.engineVersion == (0, 57, 0))
    }

    @Test("accepted versions, normalised to major.minor.patch", arguments: [
        ("17", "0.17.0"), ("0.50.0", "0.50.0"), ("0.55.0", "0.55.0"), ("0.57.0", "0.57.0"), ("57", "0.57.0"),
    ])
    func accepted(_ written: String, _ normalised: String) throws {
        let set = try load("- required_engine_version: \(written)\n" + Self.rule)
        #expect(set.requiredEngineVersion == normalised)
    }

    @Test("the highest requirement of several files wins")
    func highestWins() throws {
        let set = try CompiledRuleSet.load(sources: [
            RuleSource(name: "a.yaml", text: "- required_engine_version: 0.57.0\n" + Self.rule),
            RuleSource(name: "b.yaml", text: "- required_engine_version: 0.50.0\n"),
        ])
        #expect(set.requiredEngineVersion == "0.57.0")
    }

    @Test("too new: the message names both versions and the line", arguments: [
        ("0.58.0", "0.58.0"), ("58", "0.58.0"), ("1.0.0", "1.0.0"), ("0.57.1", "0.57.1"),
    ])
    func tooNew(_ written: String, _ rendered: String) throws {
        let error = try #require(loadError("\n- required_engine_version: \(written)\n"))
        #expect(error.code == .malformed)
        #expect(error.input == "rules.yaml:2")
        #expect(error.message.contains("requires Falco engine version \(rendered); Shrike provides 0.57.0"))
    }

    @Test("not a version", arguments: ["abc", "0.57", "0..57", "0.57.x"])
    func notAVersion(_ written: String) throws {
        let error = try #require(loadError("- required_engine_version: \(written)\n"))
        #expect(error.message.contains("neither a number nor major.minor.patch"))
    }

    // MARK: - required_plugin_versions

    @Test("the container plugin is satisfied by Shrike's own fields", arguments: ["0.2.2", "0.3.1", "0.4.0"])
    func containerAccepted(_ version: String) throws {
        let set = try load("""
            - required_plugin_versions:
                - name: container
                  version: \(version)
            """ + "\n" + Self.rule)
        let warning = try #require(set.warnings.first { $0.message.contains("plugin 'container'") })
        #expect(warning.message.contains("\(version) accepted: Shrike fills the container plugin's fields (0.4.0)"))
        #expect(warning.location.line == 2)
        #expect(set.rules.allSatisfy { $0.active })
    }

    @Test func newerContainerPluginIsAcceptedWithAWarning() throws {
        let set = try load("""
            - required_plugin_versions:
                - name: container
                  version: 0.7.0
            """)
        #expect(set.warnings.contains {
            $0.message.contains("'container' 0.7.0 accepted, but Shrike fills the container plugin's fields as of 0.4.0")
        })
    }

    @Test func containerAsAnAlternativeIsAccepted() throws {
        let set = try load("""
            - required_plugin_versions:
                - name: container-ng
                  version: 1.0.0
                  alternatives:
                    - name: container
                      version: 0.4.0
            """)
        #expect(set.warnings.contains { $0.message.contains("plugin 'container' 0.4.0 accepted") })
    }

    @Test func otherPluginsAreIgnoredWithAWarning() throws {
        let set = try load("""
            - required_plugin_versions:
                - name: k8saudit
                  version: 0.7.0
                  alternatives:
                    - name: k8saudit-eks
                      version: 0.4.0
                - name: container
                  version: 0.4.0
            """)
        #expect(set.warnings.contains {
            $0.message == "required_plugin_versions: k8saudit 0.7.0 or k8saudit-eks 0.4.0 ignored: Shrike has no "
                + "plugins (only the syscall source); rules of other sources are inactive"
        })
        #expect(set.warnings.contains { $0.message.contains("plugin 'container' 0.4.0 accepted") })
    }

    @Test("malformed requirements are errors naming the line", arguments: [
        ("- required_plugin_versions: container", "must be a list"),
        ("- required_plugin_versions:\n    - container", "must be a mapping with name and version"),
        ("- required_plugin_versions:\n    - name: container", "missing key 'version'"),
        ("- required_plugin_versions:\n    - name: container\n      version: new", "is not major.minor.patch"),
        ("- required_plugin_versions:\n    - name: container\n      version: 0.4.0\n      alternatives: x",
         "must be a list of {name, version}"),
        ("- required_plugin_versions:\n    - name: container\n      version: 0.4.0\n      vendor: x",
         "unknown key 'vendor'"),
    ])
    func malformed(_ text: String, _ message: String) throws {
        let error = try #require(loadError(text + "\n"))
        #expect(error.code == .malformed)
        #expect(error.message.contains(message), "\(error)")
        #expect(error.input?.hasPrefix("rules.yaml:") == true)
    }

    // MARK: - evt.dir (deprecated in engine 0.57.0)

    @Test func evtDirInAMacroWarnsOnceAtTheMacro() throws {
        let set = try load("""
            - macro: spawned_process
              condition: evt.type = execve and evt.dir = <
            - rule: A
              desc: a
              condition: spawned_process and proc.name = a
              output: a
              priority: INFO
            - rule: B
              desc: b
              condition: spawned_process and proc.name = b
              output: b
              priority: INFO
            """)
        let warnings = set.warnings.filter { $0.message.hasPrefix("evt.dir is deprecated since Falco engine 0.57.0") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.location.description == "rules.yaml:2:36")
        // Still evaluated as before: every event is an exit event.
        #expect(set.rules.allSatisfy { $0.active })
    }

    @Test func evtDirInAnOutputWarns() throws {
        let set = try load("""
            - rule: A
              desc: a
              condition: evt.type = execve
              output: "dir %evt.dir"
              priority: INFO
            """)
        #expect(set.warnings.contains { $0.message.hasPrefix("rule 'A' output uses evt.dir, deprecated since Falco") })
    }

    @Test func noEvtDirNoWarning() throws {
        let set = try load(Self.rule)
        #expect(!set.warnings.contains { $0.message.contains("evt.dir") })
    }
}
