import Foundation
import ShrikeCore
import Yams

/// A Shrike policy: one YAML file of rules an image must satisfy (`shrike policy check`). See docs/policy.md.
///
/// Every rule is optional; an empty file allows everything. Key paths in `signatures.keys` are relative to the
/// policy file, so a policy and its keys can be committed together.
public struct Policy: Sendable, Equatable {
    /// Globs (`*` matches within a path segment, `**` across segments) over the image's `host/repository` name.
    public var allowedRepositories: [String]?
    public var signatures: SignatureRule?
    /// Matches above this severity are violations.
    public var maxSeverity: Severity?
    public var forbidRoot: Bool
    /// A tag without a digest is a violation (tags move; digests do not).
    public var forbidMutableTags: Bool
    /// The `latest` tag (or no tag at all on a registry reference) is a violation.
    public var forbidLatest: Bool
    /// Labels that must be present; a non-empty value must match exactly.
    public var requiredLabels: [String: String]
    /// Maximum image size in bytes (manifest, config and compressed layers).
    public var maxSize: Int64?

    public struct SignatureRule: Sendable, Equatable {
        /// Public key files, resolved against the policy's directory.
        public var keys: [String]
        /// How many distinct keys must have signed (default 1).
        public var minimum: Int
    }

    public init(allowedRepositories: [String]? = nil, signatures: SignatureRule? = nil, maxSeverity: Severity? = nil,
                forbidRoot: Bool = false, forbidMutableTags: Bool = false, forbidLatest: Bool = false,
                requiredLabels: [String: String] = [:], maxSize: Int64? = nil) {
        self.allowedRepositories = allowedRepositories
        self.signatures = signatures
        self.maxSeverity = maxSeverity
        self.forbidRoot = forbidRoot
        self.forbidMutableTags = forbidMutableTags
        self.forbidLatest = forbidLatest
        self.requiredLabels = requiredLabels
        self.maxSize = maxSize
    }

    static let knownKeys: Set<String> = ["version", "allowedRepositories", "signatures", "maxSeverity", "forbidRoot",
                                         "forbidMutableTags", "forbidLatest", "requiredLabels", "maxSize"]

    /// Reads a policy file. Throws `malformed` naming the file and the key at fault (unknown keys included, so a
    /// typo never silently disables a rule).
    public static func load(path: String) throws -> Policy {
        let text = try FileAccess.readText(path, what: "policy")
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try Policy(yaml: text, baseDirectory: directory, input: path)
    }

    public init(yaml text: String, baseDirectory: String = ".", input: String? = nil) throws {
        let node: Any?
        do {
            node = try Yams.load(yaml: text)
        } catch {
            throw ShrikeError(.malformed, "is not valid YAML: \(error)", input: input)
        }
        self.init()
        guard let node else { return }
        guard let map = node as? [String: Any] else {
            throw ShrikeError(.malformed, "a policy is a YAML mapping of rules (see docs/policy.md)", input: input)
        }
        if let unknown = Set(map.keys).subtracting(Self.knownKeys).sorted().first {
            throw ShrikeError(.malformed, "unknown rule '\(unknown)' (known: \(Self.knownKeys.sorted().joined(separator: ", ")))", input: input)
        }
        func fail(_ key: String, _ what: String) -> ShrikeError {
            ShrikeError(.malformed, "'\(key)' must be \(what)", input: input)
        }
        if let value = map["allowedRepositories"] {
            guard let list = value as? [Any], list.allSatisfy({ $0 is String }) else { throw fail("allowedRepositories", "a list of globs") }
            allowedRepositories = list.compactMap { $0 as? String }
        }
        if let value = map["signatures"] {
            guard let rule = value as? [String: Any], let keys = rule["keys"] as? [Any], !keys.isEmpty,
                  keys.allSatisfy({ $0 is String }) else {
                throw fail("signatures", "a mapping with 'keys' (a list of public key files) and optional 'minimum'")
            }
            let minimum = rule["minimum"] as? Int ?? 1
            guard minimum >= 1, minimum <= keys.count else { throw fail("signatures.minimum", "between 1 and the number of keys") }
            signatures = SignatureRule(keys: keys.compactMap { $0 as? String }.map { key in
                key.hasPrefix("/") ? key : URL(fileURLWithPath: baseDirectory).appendingPathComponent(key).path
            }, minimum: minimum)
        }
        if let value = map["maxSeverity"] {
            guard let text = value as? String, let severity = Severity(rawValue: text.lowercased()) else {
                throw fail("maxSeverity", "one of negligible, low, medium, high, critical")
            }
            maxSeverity = severity
        }
        for (key, path) in [("forbidRoot", \Policy.forbidRoot), ("forbidMutableTags", \Policy.forbidMutableTags),
                            ("forbidLatest", \Policy.forbidLatest)] {
            if let value = map[key] {
                guard let flag = value as? Bool else { throw fail(key, "true or false") }
                self[keyPath: path] = flag
            }
        }
        if let value = map["requiredLabels"] {
            if let list = value as? [Any], list.allSatisfy({ $0 is String }) {
                requiredLabels = Dictionary(list.compactMap { $0 as? String }.map { ($0, "") }, uniquingKeysWith: { a, _ in a })
            } else if let labels = value as? [String: Any] {
                requiredLabels = labels.mapValues { "\($0)" }
            } else {
                throw fail("requiredLabels", "a list of label names or a mapping of label to value")
            }
        }
        if let value = map["maxSize"] {
            if let bytes = value as? Int, bytes > 0 {
                maxSize = Int64(bytes)
            } else if let text = value as? String, let bytes = SizeParser.parse(text) {
                maxSize = bytes
            } else {
                throw fail("maxSize", "a size such as 200MB, 1.5G or a byte count")
            }
        }
    }

    /// True when the rule needs vulnerability matching (the caller then supplies `ImageFacts.vulnerabilities`).
    public var needsVulnerabilities: Bool { maxSeverity != nil }
}
