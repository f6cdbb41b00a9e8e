import Foundation
import ShrikeCore
import Testing
@testable import ShrikeLint

/// `.hadolint.yaml`: ignored, trustedRegistries, failure-threshold, override, no-fail; and the pragmas.
struct LintConfigurationTests {
    static let dockerfile = "FROM debian\nRUN apt-get install -y --no-install-recommends curl\nWORKDIR app\n"

    @Test("reads every hadolint key")
    func readsKeys() throws {
        let configuration = try LintConfiguration(yaml: """
            ignored:
              - DL3006
            trustedRegistries: [docker.io, "*.example.com"]
            failure-threshold: warning
            no-fail: true
            override:
              error: [DL3008]
              info:
                - DL3000
            format: json
            """)
        #expect(configuration.ignored == ["DL3006"])
        #expect(configuration.trustedRegistries == ["docker.io", "*.example.com"])
        #expect(configuration.failureThreshold == .warning)
        #expect(configuration.noFail)
        #expect(configuration.overrides == ["DL3008": .error, "DL3000": .info])
    }

    @Test("ignored rules and overrides change the findings")
    func appliesToFindings() throws {
        let configuration = LintConfiguration(ignored: ["DL3006"], overrides: ["DL3008": .error, "DL3000": .style])
        let findings = try LintFixtures.findings(Self.dockerfile, configuration: configuration)
        #expect(!findings.contains { $0.rule == "DL3006" })
        #expect(findings.first { $0.rule == "DL3008" }?.severity == .error)
        #expect(findings.first { $0.rule == "DL3000" }?.severity == .style)
    }

    @Test("failure threshold decides the exit", arguments: [
        (LintSeverity.error, false), (.warning, true), (.info, true), (.style, true),
    ])
    func threshold(_ row: (LintSeverity, Bool)) throws {
        let findings = [LintFinding(file: "f", line: 1, rule: "DL3008", severity: .warning, message: "m")]
        #expect(LintConfiguration(failureThreshold: row.0).fails(findings) == row.1)
        #expect(!LintConfiguration(failureThreshold: row.0, noFail: true).fails(findings))
    }

    @Test("style findings do not fail at hadolint's default threshold")
    func defaultThreshold() {
        let style = [LintFinding(file: "f", line: 1, rule: "DL3048", severity: .style, message: "m")]
        #expect(!LintConfiguration().fails(style))
        #expect(LintConfiguration().fails([LintFinding(file: "f", line: 1, rule: "DL3059", severity: .info, message: "m")]))
    }

    @Test("bad configuration names the key", arguments: [
        ("ignored: DL3006", "ignored must be a list"),
        ("failure-threshold: loud", "failure-threshold must be one of"),
        ("override:\n  fatal: [DL3008]", "override has the key fatal"),
        ("- a\n- b", "must be a YAML mapping"),
        ("no-fail: maybe", "no-fail must be true or false"),
        ("ignored: [", "is not valid YAML"),
    ])
    func badConfiguration(_ row: (String, String)) {
        let error = expectShrikeError(.malformed) { _ = try LintConfiguration(yaml: row.0) }
        #expect(error?.message.contains(row.1) == true, "\(String(describing: error))")
    }

    @Test("a configuration file is found in the directory, and a missing --config is an error")
    func discovery() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lint-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try LintConfiguration.discover(in: directory.path) == LintConfiguration())
        try "ignored: [DL3059]\n".write(to: directory.appendingPathComponent(".hadolint.yaml"), atomically: true, encoding: .utf8)
        #expect(try LintConfiguration.discover(in: directory.path).ignored == ["DL3059"])
        expectShrikeError(.notFound) { _ = try LintConfiguration.load(path: directory.appendingPathComponent("nope.yaml").path) }
        try "failure-threshold: 3\n".write(to: directory.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let error = expectShrikeError(.malformed) { _ = try LintConfiguration.load(path: directory.appendingPathComponent("bad.yaml").path) }
        #expect(error?.description.contains("bad.yaml") == true)
    }

    @Test("ignore pragmas reach the next line only; global ones the whole file")
    func pragmas() throws {
        let text = """
            # hadolint global ignore=DL3059
            FROM debian:12
            # hadolint ignore=DL3004
            RUN sudo a
            # hadolint ignore=DL3004

            RUN sudo b
            RUN echo c
            """
        let findings = try LintFixtures.findings(text)
        #expect(findings.filter { $0.rule == "DL3004" }.map(\.line) == [7])
        #expect(!findings.contains { $0.rule == "DL3059" })
        let disabled = try LintFixtures.findings(text, configuration: LintConfiguration(disableIgnorePragma: true))
        #expect(disabled.filter { $0.rule == "DL3004" }.map(\.line) == [4, 7])
    }
}
