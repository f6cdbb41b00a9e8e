import Foundation
import ShrikeCore
import Yams

/// What `.hadolint.yaml` says, in hadolint's keys: `ignored`, `trustedRegistries`, `failure-threshold`, `override`
/// (`error`/`warning`/`info`/`style` lists), `no-fail` and `disable-ignore-pragma`. Other keys (`format`,
/// `label-schema`, …) are accepted and have no effect.
public struct LintConfiguration: Sendable, Equatable {
    public var ignored: Set<String>
    /// Registries `FROM` may name (DL3026); `*` wildcards at either end. Empty: any registry.
    public var trustedRegistries: [String]
    /// A finding at or above this severity makes the run fail (hadolint's default: `info`).
    public var failureThreshold: LintSeverity
    /// Rule id to severity, from `override`.
    public var overrides: [String: LintSeverity]
    /// Never fail, whatever is found.
    public var noFail: Bool
    /// Ignore `# hadolint ignore=` comments.
    public var disableIgnorePragma: Bool

    public init(ignored: Set<String> = [], trustedRegistries: [String] = [], failureThreshold: LintSeverity = .info,
                overrides: [String: LintSeverity] = [:], noFail: Bool = false, disableIgnorePragma: Bool = false) {
        self.ignored = ignored
        self.trustedRegistries = trustedRegistries
        self.failureThreshold = failureThreshold
        self.overrides = overrides
        self.noFail = noFail
        self.disableIgnorePragma = disableIgnorePragma
    }

    /// The names hadolint looks for in the current directory, in its order.
    public static let defaultFileNames = [".hadolint.yaml", ".hadolint.yml"]

    /// Reads a configuration file; throws `.notFound`, `.io` or `.malformed` naming the file.
    public static func load(path: String) throws -> LintConfiguration {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ShrikeError(.notFound, "no such configuration file; give an existing .hadolint.yaml to --config", input: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShrikeError(.io, "cannot read the configuration file; check its permissions", input: path)
        }
        guard data.count <= 1 << 20 else {
            throw ShrikeError(.limitExceeded, "the configuration file is over 1 MiB; is it the right file?", input: path)
        }
        do {
            return try LintConfiguration(yaml: String(decoding: data, as: UTF8.self))
        } catch let error as ShrikeError {
            throw error.naming(path)
        }
    }

    /// The configuration in the current directory's `.hadolint.yaml` (or `.yml`), or the defaults when neither exists.
    public static func discover(in directory: String) throws -> LintConfiguration {
        for name in defaultFileNames {
            let path = (directory as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        }
        return LintConfiguration()
    }

    /// Parses YAML text; throws `.malformed` saying which key is wrong.
    public init(yaml: String) throws {
        self.init()
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: yaml)
        } catch {
            throw ShrikeError(.malformed, "is not valid YAML (\(error)); see docs/lint.md for the keys")
        }
        guard let loaded else { return }
        guard let map = loaded as? [String: Any] else {
            throw ShrikeError(.malformed, "must be a YAML mapping with keys such as ignored, override, trustedRegistries")
        }
        ignored = Set(try Self.strings(map["ignored"], key: "ignored"))
        trustedRegistries = try Self.strings(map["trustedRegistries"], key: "trustedRegistries")
        if let threshold = map["failure-threshold"] {
            guard let name = threshold as? String, let severity = LintSeverity(name: name) else {
                throw ShrikeError(.malformed, "failure-threshold must be one of error, warning, info, style, ignore, none; it is \(threshold)")
            }
            failureThreshold = severity
        }
        if let value = map["no-fail"] {
            guard let flag = value as? Bool else { throw ShrikeError(.malformed, "no-fail must be true or false") }
            noFail = flag
        }
        if let value = map["disable-ignore-pragma"] {
            guard let flag = value as? Bool else { throw ShrikeError(.malformed, "disable-ignore-pragma must be true or false") }
            disableIgnorePragma = flag
        }
        if let value = map["override"] {
            guard let override = value as? [String: Any] else {
                throw ShrikeError(.malformed, "override must map error, warning, info or style to lists of rule ids")
            }
            for (level, ids) in override {
                guard let severity = LintSeverity(name: level), severity != .ignore else {
                    throw ShrikeError(.malformed, "override has the key \(level); use error, warning, info or style")
                }
                for id in try Self.strings(ids, key: "override.\(level)") { overrides[id] = severity }
            }
        }
    }

    private static func strings(_ value: Any?, key: String) throws -> [String] {
        guard let value else { return [] }
        guard let list = value as? [Any] else { throw ShrikeError(.malformed, "\(key) must be a list") }
        return try list.map { item in
            guard let text = item as? String else { throw ShrikeError(.malformed, "\(key) must list strings, not \(item)") }
            return text
        }
    }

    /// True when these findings fail the run: one at or above the threshold, unless `no-fail`.
    public func fails(_ findings: [LintFinding]) -> Bool {
        !noFail && findings.contains { $0.severity >= failureThreshold }
    }
}
