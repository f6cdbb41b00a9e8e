import ArgumentParser
import ShrikeCore
import ShrikeImage
import ShrikeSupplyChain
import ShrikeVulnDB

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check images against a policy file.",
        subcommands: [PolicyCheckCommand.self]
    )
}

struct PolicyCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check an image against a policy; exit 1 listing every violation.",
        discussion: """
        Rules (all optional; see docs/policy.md): allowedRepositories, signatures (keys, minimum), maxSeverity \
        (scans with the advisory database), forbidRoot, forbidLatest, forbidMutableTags, requiredLabels, maxSize. \
        Exit status: 0 when the image complies, 1 when a rule is violated, 2 on usage or input errors.
        """
    )

    @Argument(help: "The image to check (oci-dir:PATH[:TAG] or registry:HOST/REPO[:TAG|@DIGEST]).")
    var target: String

    @Option(help: "The policy YAML file.")
    var policy: String

    @Option(name: .customLong("db"), help: "The advisory database for maxSeverity (default: ~/.cache/shrike/db.sqlite).")
    var database: String?

    @Option(help: "The image's name for allowedRepositories; default: HOST/REPO, or the name recorded in the layout.")
    var reference: String?

    @OptionGroup var image: ImageOptions

    func run() async throws {
        var violations: [PolicyViolation] = []
        try await CommandFailure.run {
            let rules = try Policy.load(path: policy)
            let resolved = try SupplyChainTarget.resolve(target, registry: image.registry.options(progress: TerminalProgress()))
            var facts = try ImageFacts.gather(resolved, identity: resolved.identity(explicit: reference))
            if let rule = rules.signatures {
                let keys = try rule.keys.map(VerificationKey.load(path:))
                facts.signatures = try SignatureVerifier(keys: keys).verify(resolved)
            }
            if rules.needsVulnerabilities {
                let store = try openAdvisoryStore(path: database ?? defaultAdvisoryDatabasePath())
                let result = try Matcher(store: store).match(try image.catalog(target: target))
                facts.vulnerabilities = result.matches.map { ($0.vulnerability.id, $0.vulnerability.severity) }
            }
            violations = rules.evaluate(facts)
            if violations.isEmpty {
                Terminal.write("\(facts.repository)@\(facts.digest) complies with \(policy)\n")
            } else {
                Terminal.write("\(facts.repository)@\(facts.digest) violates \(policy):\n")
                for violation in violations { Terminal.write("  - \(violation)\n") }
            }
        }
        if !violations.isEmpty { throw ExitCode(1) }
    }
}
