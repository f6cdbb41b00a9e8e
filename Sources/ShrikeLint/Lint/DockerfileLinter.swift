import Foundation
import ShrikeCore

/// Lints Dockerfiles: parses, runs every rule, applies the configuration (ignored rules, severity overrides) and the
/// file's `# hadolint ignore=` and `# hadolint global ignore=` comments.
public struct DockerfileLinter: Sendable {
    public var configuration: LintConfiguration
    public var limits: DockerfileLimits
    public var rules: [DockerfileRule]

    public init(configuration: LintConfiguration = LintConfiguration(), limits: DockerfileLimits = DockerfileLimits(),
                rules: [DockerfileRule] = DockerfileRule.all) {
        self.configuration = configuration
        self.limits = limits
        self.rules = rules
    }

    /// Reads and lints one file; throws `ShrikeError` naming the file (`.notFound`, `.io`, `.limitExceeded`,
    /// `.binaryFile`, `.unterminatedHeredoc`, `.malformed`).
    public func lint(path: String) throws -> [LintFinding] {
        try lint(bytes: try Self.read(path: path, limit: limits.maxFileBytes), file: path)
    }

    /// Lints the bytes of a file named `file` (the name only labels findings and errors).
    public func lint(bytes: [UInt8], file: String) throws -> [LintFinding] {
        let dockerfile: Dockerfile
        do {
            dockerfile = try DockerfileParser(limits: limits).parse(bytes: bytes)
        } catch let error as ShrikeError {
            throw error.naming(file)
        }
        return lint(dockerfile, file: file)
    }

    /// The findings for a parsed file, ordered by line, then by rule as `DockerfileRule.all` lists them.
    public func lint(_ dockerfile: Dockerfile, file: String) -> [LintFinding] {
        let context = LintContext(dockerfile: dockerfile, trustedRegistries: configuration.trustedRegistries)
        var ignoredAt: [Int: Set<String>] = [:]
        var globallyIgnored = Set<String>()
        for comment in dockerfile.comments {
            if let rules = comment.globallyIgnoredRules { globallyIgnored.formUnion(rules) }
            guard !configuration.disableIgnorePragma, let rules = comment.ignoredRules else { continue }
            // As hadolint: the instruction on the very next line (an empty line in between ends the pragma).
            ignoredAt[comment.line + 1, default: []].formUnion(rules)
        }
        var findings: [(LintFinding, Int)] = []
        for (order, rule) in rules.enumerated() {
            let severity = configuration.overrides[rule.id] ?? rule.severity
            guard severity != .ignore, !configuration.ignored.contains(rule.id), !globallyIgnored.contains(rule.id) else {
                continue
            }
            for line in Set(rule.check(context)) where ignoredAt[line]?.contains(rule.id) != true {
                findings.append((LintFinding(file: file, line: line, rule: rule.id, severity: severity, message: rule.message), order))
            }
        }
        return findings.sorted { ($0.0.line, $0.1) < ($1.0.line, $1.1) }.map(\.0)
    }

    /// The file's bytes, at most `limit` of them (one more is read to tell that the file is over).
    static func read(path: String, limit: Int) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ShrikeError(.notFound, "no such file; give the path of a Dockerfile", input: path)
        }
        guard !isDirectory.boolValue else {
            throw ShrikeError(.usage, "is a directory; give the Dockerfile inside it", input: path)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ShrikeError(.io, "cannot be opened; check its permissions", input: path)
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw ShrikeError(.io, "cannot be read: \(error)", input: path)
        }
        guard data.count <= limit else {
            throw ShrikeError(.limitExceeded,
                              "is over the \(limit)-byte limit for a Dockerfile; is it the right file?", input: path)
        }
        return [UInt8](data)
    }
}
