import Foundation
import Testing
import ShrikeCore
import ShrikeRules
@testable import ShrikeAlerting

/// shrike.yaml: every key, errors with file and line, and flags over the file.
struct WatchConfigurationTests {
    static let fullExample = """
        # shrike.yaml
        rules:
          - /etc/shrike/rules.d/base.yaml
          - local-rules.yaml
        json: true
        min_priority: notice
        dedup_window: 10
        first_match: false
        record_dir: /var/lib/shrike/incidents
        before: 30
        after: 15.5
        ring_buffer_mib: 32
        outputs:
          - stdout
          - file:alerts.json#min-priority=warning
          - type: syslog
            facility: local3
            format: json
            rfc: 5424
            min_priority: error
          - type: webhook
            url: https://alerts.example.com/falco
            headers:
              Authorization: Bearer s3cret
            ca_file: /etc/shrike/ca.pem
            queue_size: 500
            batch_size: 10
            timeout: 5
            retries: 3
            backoff: 1
            max_backoff: 20
            drain_timeout: 2
          - type: file
            path: /var/log/shrike/alerts.txt
            format: text
        """

    @Test("the full example loads every key; relative paths are relative to the file")
    func fullExample() throws {
        let configuration = try WatchConfiguration.parse(yaml: Self.fullExample, path: "/etc/shrike/shrike.yaml",
                                                         baseDirectory: "/etc/shrike")
        #expect(configuration.rulesFiles == ["/etc/shrike/rules.d/base.yaml", "/etc/shrike/local-rules.yaml"])
        #expect(configuration.json == true)
        #expect(configuration.minimumPriority == .notice)
        #expect(configuration.dedupWindow == 10)
        #expect(configuration.firstMatch == false)
        #expect(configuration.recordDirectory == "/var/lib/shrike/incidents")
        #expect(configuration.before == 30)
        #expect(configuration.after == 15.5)
        #expect(configuration.ringBufferMiB == 32)
        #expect(configuration.sourcePath == "/etc/shrike/shrike.yaml")
        let outputs = try #require(configuration.outputs)
        #expect(outputs.count == 5)
        #expect(outputs[0] == AlertOutputSpec(destination: .stdout))
        #expect(outputs[1] == AlertOutputSpec(destination: .file(path: "/etc/shrike/alerts.json"),
                                              minimumPriority: .warning))
        #expect(outputs[2] == AlertOutputSpec(destination: .syslog(SyslogSettings(facility: .local3, framing: .rfc5424)),
                                              format: .json, minimumPriority: .error))
        #expect(outputs[3] == AlertOutputSpec(destination: .webhook(WebhookSettings(
            url: "https://alerts.example.com/falco", headers: [.init(name: "Authorization", value: "Bearer s3cret")],
            caFile: "/etc/shrike/ca.pem", queueSize: 500, batchSize: 10, timeout: 5, retries: 3, initialBackoff: 1,
            maxBackoff: 20, drainTimeout: 2)), format: .json))
        #expect(outputs[4] == AlertOutputSpec(destination: .file(path: "/var/log/shrike/alerts.txt"), format: .text))
    }

    @Test("docs/alerts.md's example shrike.yaml loads")
    func documentedExampleLoads() throws {
        let docs = try String(contentsOfFile: RepositoryFilesPath.docs, encoding: .utf8)
        let marker = "```yaml\n# /etc/shrike/shrike.yaml"
        let start = try #require(docs.range(of: marker))
        let rest = docs[start.upperBound...]
        let end = try #require(rest.range(of: "```"))
        let yaml = "# /etc/shrike/shrike.yaml" + String(rest[..<end.lowerBound])
        let configuration = try WatchConfiguration.parse(yaml: yaml, path: "alerts.md")
        #expect(configuration.outputs?.isEmpty == false)
    }

    @Test("errors name the file and the line", arguments: [
        ("json: true\nrecord_dirr: /x\n", 2, "unknown key 'record_dirr'"),
        ("outputs:\n  - type: webhook\n    url: https://h/x\n    tls_ca: /x\n", 4, "unknown key 'tls_ca' for a webhook output"),
        ("outputs:\n  - type: stdout\n    path: /x\n", 3, "unknown key 'path' for a stdout output"),
        ("json: maybe\n", 1, "json must be true or false"),
        ("before: -1\n", 1, "before must be a number of seconds"),
        ("ring_buffer_mib: 4096\n", 1, "ring_buffer_mib must be 1…1024"),
        ("min_priority: loud\n", 1, "'loud' is not a priority"),
        ("outputs:\n  - stdout\n  - printer:lp0\n", 3, "unknown output 'printer'"),
        ("outputs:\n  - type: carrier-pigeon\n", 2, "unknown output type 'carrier-pigeon'"),
        ("outputs:\n  - type: file\n", 2, "a file output needs a path"),
        ("outputs:\n  - type: webhook\n    url: gopher://h/x\n", 3, "must be http:// or https://"),
        ("outputs: stdout\n", 1, "outputs must be a list"),
        ("- just\n- a list\n", 1, "must be a mapping"),
        ("json: [unclosed\n", 2, "invalid YAML"),
    ])
    func errors(_ yaml: String, _ line: Int, _ fragment: String) {
        #expect {
            _ = try WatchConfiguration.parse(yaml: yaml, path: "/etc/shrike/shrike.yaml")
        } throws: { error in
            guard let error = error as? ShrikeError else { return false }
            return error.input == "/etc/shrike/shrike.yaml:\(line)" && error.message.contains(fragment)
        }
    }

    @Test("kebab-case keys work too; null values count as unset; an empty file is empty settings")
    func spellings() throws {
        let configuration = try WatchConfiguration.parse(yaml: "record-dir: /r\nfirst-match: yes\nbefore: ~\n",
                                                         path: "c.yaml")
        #expect(configuration.recordDirectory == "/r")
        #expect(configuration.firstMatch == true)
        #expect(configuration.before == nil)
        #expect(try WatchConfiguration.parse(yaml: "", path: "c.yaml") == WatchConfiguration(sourcePath: "c.yaml"))
    }

    @Test("flags override the file; lists replace only when the flag was given")
    func flagsOverride() throws {
        let file = try WatchConfiguration.parse(yaml: Self.fullExample, path: "/etc/shrike/shrike.yaml",
                                                baseDirectory: "/etc/shrike")
        let flags = WatchConfiguration(rulesFiles: [], outputs: [try AlertOutputSpec(parsing: "stdout:json")],
                                       json: false, before: 5)
        let merged = file.overriding(with: flags)
        #expect(merged.rulesFiles == file.rulesFiles, "no --rules given: the file's rules stay")
        #expect(merged.outputs == [AlertOutputSpec(destination: .stdout, format: .json)])
        #expect(merged.json == false)
        #expect(merged.before == 5)
        #expect(merged.after == 15.5, "unset flags keep the file's value")
        #expect(merged.ringBufferMiB == 32)
        #expect(WatchConfiguration().overriding(with: WatchConfiguration(ringBufferMiB: 8)).ringBufferMiB == 8)
    }

    @Test("the merged settings open their outputs: JSON stdout, the default minimum priority")
    func makesDispatcher() throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try WatchConfiguration.parse(
            yaml: "min_priority: warning\noutputs:\n  - stdout\n  - file:a.json#min-priority=debug\n",
            path: directory + "/shrike.yaml", baseDirectory: directory)
        let dispatcher = try file.overriding(with: WatchConfiguration(json: true))
            .makeAlertDispatcher(color: false, reopenSignal: LogReopenSignal())
        defer { dispatcher.close() }
        #expect(dispatcher.routes.map(\.output.name) == ["stdout:json", "file:" + directory + "/a.json"])
        #expect(dispatcher.routes.map(\.minimumPriority) == [.warning, .debug])
    }

    @Test("load(path:) reads a file; --config must exist; the default path may be missing")
    func loading() throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/shrike.yaml"
        try "rules: [mine.yaml]\noutputs: [\"file:out.json\"]\n".write(toFile: path, atomically: false, encoding: .utf8)
        let loaded = try WatchConfiguration.load(path: path)
        #expect(loaded.rulesFiles == [directory + "/mine.yaml"])
        #expect(loaded.outputs == [AlertOutputSpec(destination: .file(path: directory + "/out.json"))])
        #expect(try WatchConfiguration.loadDefault(explicitPath: nil, defaultPath: path) == loaded)
        #expect(try WatchConfiguration.loadDefault(explicitPath: nil, defaultPath: directory + "/none.yaml")
                == WatchConfiguration())
        #expect {
            _ = try WatchConfiguration.loadDefault(explicitPath: directory + "/none.yaml")
        } throws: { error in
            (error as? ShrikeError)?.code == .notFound && (error as? ShrikeError)?.input == directory + "/none.yaml"
        }
    }
}

import ShrikeTestSupport

enum RepositoryFilesPath {
    static let docs = RepositoryFiles.path("docs/alerts.md")
}
