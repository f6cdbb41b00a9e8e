import Foundation
import ShrikeCore
import Testing
@testable import ShrikeSupplyChain

@Suite("Policy: each rule, and every violation listed")
struct PolicyTests {
    func facts(user: String? = nil, labels: [String: String] = [:], tag: String? = "1.0",
               repository: String = "example.com/team/app") throws -> (ImageFacts, String) {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        let layout = try SupplyChainFixtures.layout(in: dir, tag: tag ?? "1.0", user: user, labels: labels)
        let image = try SupplyChainTarget.resolve("oci-dir:\(layout)\(tag.map { ":" + $0 } ?? "")")
        return (try ImageFacts.gather(image, identity: repository), dir)
    }

    @Test("facts come from the image: config User and Labels, sizes of manifest, config and layers")
    func gatheredFacts() throws {
        let (facts, dir) = try facts(user: "app", labels: ["org.opencontainers.image.source": "https://example.com/src"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(facts.user == "app")
        #expect(facts.labels["org.opencontainers.image.source"] == "https://example.com/src")
        #expect(facts.size > 100)
        #expect(facts.tag == "1.0")
        #expect(facts.repository == "example.com/team/app")
    }

    @Test("an empty policy allows everything")
    func emptyPolicy() throws {
        let (facts, dir) = try facts()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Policy(yaml: "").evaluate(facts).isEmpty)
    }

    @Test("allowedRepositories globs: * stays in a segment, ** crosses segments")
    func repositories() throws {
        #expect(Glob.matches("example.com/team/*", "example.com/team/app"))
        #expect(!Glob.matches("example.com/*", "example.com/team/app"))
        #expect(Glob.matches("example.com/**", "example.com/team/app"))
        #expect(Glob.matches("docker.io/library/alpine", "docker.io/library/alpine"))
        let (facts, dir) = try facts()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Policy(yaml: "allowedRepositories: [\"example.com/team/*\"]").evaluate(facts).isEmpty)
        let violations = try Policy(yaml: "allowedRepositories: [\"registry.internal/**\"]").evaluate(facts)
        #expect(violations.map(\.rule) == ["allowedRepositories"])
        #expect(violations[0].message.contains("example.com/team/app matches none of registry.internal/**"))
    }

    @Test("forbidRoot: empty, 0, root and 0:0 run as root; a named user does not", arguments: [
        (String?.none, true), ("", true), ("0", true), ("root", true), ("0:0", true), ("root:wheel", true),
        ("1000", false), ("app", false), ("1000:0", false),
    ])
    func root(_ user: String?, _ violates: Bool) {
        #expect(Policy.runsAsRoot(user) == violates)
    }

    @Test("forbidRoot on a real image config")
    func rootOnImage() throws {
        let (rootFacts, dir1) = try facts()
        let (userFacts, dir2) = try facts(user: "1000")
        defer { try? FileManager.default.removeItem(atPath: dir1); try? FileManager.default.removeItem(atPath: dir2) }
        let policy = try Policy(yaml: "forbidRoot: true")
        #expect(policy.evaluate(rootFacts).map(\.rule) == ["forbidRoot"])
        #expect(policy.evaluate(userFacts).isEmpty)
    }

    @Test("forbidLatest and forbidMutableTags: a tag without a digest is mutable; latest is named")
    func tags() throws {
        let (facts, dir) = try facts(tag: "latest")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let violations = try Policy(yaml: "forbidLatest: true\nforbidMutableTags: true").evaluate(facts)
        #expect(violations.map(\.rule) == ["forbidLatest", "forbidMutableTags"])
        var pinned = facts
        pinned.tag = nil
        pinned.pinnedByDigest = true
        #expect(try Policy(yaml: "forbidLatest: true\nforbidMutableTags: true").evaluate(pinned).isEmpty)
    }

    @Test("requiredLabels: names, or names with values")
    func labels() throws {
        let (facts, dir) = try facts(labels: ["team": "payments"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Policy(yaml: "requiredLabels: [team]").evaluate(facts).isEmpty)
        #expect(try Policy(yaml: "requiredLabels: {team: payments}").evaluate(facts).isEmpty)
        let violations = try Policy(yaml: "requiredLabels: {team: search, owner: \"\"}").evaluate(facts)
        #expect(violations.map(\.message) == ["label 'owner' is missing", "label 'team' is 'payments', not 'search'"])
    }

    @Test("maxSize in human units")
    func size() throws {
        let (facts, dir) = try facts()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Policy(yaml: "maxSize: 10MB").evaluate(facts).isEmpty)
        #expect(try Policy(yaml: "maxSize: 100").evaluate(facts).map(\.rule) == ["maxSize"])
        #expect(SizeParser.parse("1.5G") == 1_610_612_736)
    }

    @Test("maxSeverity: matches above the limit are listed worst first; not scanning is itself a violation")
    func severity() throws {
        let (facts, dir) = try facts()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let policy = try Policy(yaml: "maxSeverity: medium")
        #expect(policy.needsVulnerabilities)
        #expect(policy.evaluate(facts).map(\.message) == ["vulnerabilities were not scanned"])
        var scanned = facts
        scanned.vulnerabilities = [("CVE-1", .low), ("CVE-2", .critical), ("CVE-3", .high), ("CVE-4", .medium)]
        let violations = policy.evaluate(scanned)
        #expect(violations.count == 1)
        #expect(violations[0].message.contains("2 vulnerabilities are above medium, worst critical: CVE-2 (critical), CVE-3 (high)"))
        scanned.vulnerabilities = [("CVE-4", .medium)]
        #expect(policy.evaluate(scanned).isEmpty)
    }

    @Test("signatures: keys relative to the policy file, a minimum count of distinct keys")
    func signatures() throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = try SupplyChainFixtures.layout(in: dir)
        let image = try SupplyChainTarget.resolve("oci-dir:\(layout):1.0")
        let key = try SupplyChainFixtures.plainKey(), other = try SupplyChainFixtures.otherKey()
        try Data(key.verificationKey.pem.utf8).write(to: URL(fileURLWithPath: dir + "/a.pub"))
        try Data(other.verificationKey.pem.utf8).write(to: URL(fileURLWithPath: dir + "/b.pub"))
        try "signatures:\n  keys: [a.pub, b.pub]\n  minimum: 2\n".write(toFile: dir + "/policy.yaml", atomically: true, encoding: .utf8)
        let policy = try Policy.load(path: dir + "/policy.yaml")
        #expect(policy.signatures?.keys == [dir + "/a.pub", dir + "/b.pub"])

        func evaluate() throws -> [PolicyViolation] {
            var facts = try ImageFacts.gather(image, identity: "example.com/team/app")
            facts.signatures = try SignatureVerifier(keys: try policy.signatures?.keys.map(VerificationKey.load(path:)) ?? []).verify(image)
            return policy.evaluate(facts)
        }
        #expect(try evaluate().map(\.message).first?.hasPrefix("0 of the required 2 key(s) signed") == true)
        _ = try ImageSigner(key: key).sign(image, identity: "example.com/team/app")
        #expect(try evaluate().map(\.message).first?.hasPrefix("1 of the required 2 key(s) signed") == true)
        _ = try ImageSigner(key: other).sign(image, identity: "example.com/team/app")
        #expect(try evaluate().isEmpty)
    }

    @Test("every violated rule is listed, not just the first")
    func allViolations() throws {
        let (facts, dir) = try facts(tag: "latest")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let policy = try Policy(yaml: """
        allowedRepositories: ["registry.internal/**"]
        forbidRoot: true
        forbidLatest: true
        forbidMutableTags: true
        requiredLabels: [org.opencontainers.image.source]
        maxSize: 10
        """)
        #expect(policy.evaluate(facts).map(\.rule) == ["allowedRepositories", "forbidRoot", "forbidLatest", "forbidMutableTags", "requiredLabels", "maxSize"])
    }

    @Test("mistakes in the policy file are errors that name the key", arguments: [
        ("forbidroot: true", "unknown rule 'forbidroot'"),
        ("maxSeverity: severe", "'maxSeverity' must be"),
        ("signatures: {keys: []}", "'signatures' must be"),
        ("signatures: {keys: [a.pub], minimum: 2}", "'signatures.minimum' must be"),
        ("forbidRoot: maybe", "'forbidRoot' must be true or false"),
        ("maxSize: big", "'maxSize' must be"),
        ("- just a list", "a policy is a YAML mapping"),
    ])
    func invalidPolicies(_ yaml: String, _ message: String) {
        let error = #expect(throws: ShrikeError.self) { try Policy(yaml: yaml, input: "policy.yaml") }
        #expect(error?.message.contains(message) == true, "\(String(describing: error))")
        #expect(error?.input == "policy.yaml")
    }
}
