import Foundation
import ShrikeCore
import Testing
@testable import ShrikeLint

/// Paths and helpers the lint tests share.
enum LintFixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let corpus = repoRoot.appendingPathComponent("Tests/ShrikeLintTests/Fixtures/dockerfiles")
    static let unparseable = repoRoot.appendingPathComponent("Tests/ShrikeLintTests/Fixtures/hadolint-unparseable")

    static func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".Dockerfile") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// (line, rule) pairs Shrike finds in `text`.
    static func findings(_ text: String, configuration: LintConfiguration = LintConfiguration()) throws -> [LintFinding] {
        try DockerfileLinter(configuration: configuration).lint(bytes: Array(text.utf8), file: "Dockerfile")
    }

    static func lines(of rule: String, in text: String, configuration: LintConfiguration = LintConfiguration()) throws -> [Int] {
        try findings(text, configuration: configuration).filter { $0.rule == rule }.map(\.line)
    }

    /// Runs a program; returns its exit status and standard output.
    static func run(_ program: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Expects `body` to throw a `ShrikeError` with exactly this code; returns it for further checks.
@discardableResult
func expectShrikeError(_ code: ShrikeError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                       _ body: () throws -> Void) -> ShrikeError? {
    do {
        try body()
        Issue.record("expected a ShrikeError \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as ShrikeError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a ShrikeError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
