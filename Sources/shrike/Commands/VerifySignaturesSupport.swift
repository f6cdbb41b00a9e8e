import ArgumentParser
import ShrikeCore
import ShrikeImage
import ShrikeSupplyChain

/// The supply-chain half of `shrike verify`: signatures (`--key`), attestations (`--attestation TYPE`) and tag
/// locks (`--lock`). `VerifyCommand` includes these options with `@OptionGroup` and calls `run(target:registry:)` after
/// its integrity check (with the registry options of its `ImageOptions`); a false result means exit 1.
struct SupplyChainVerifyOptions: ParsableArguments {
    @Option(help: "A public key whose signature must verify (repeatable; any one suffices).")
    var key: [String] = []

    @Option(help: "Also require a verified attestation of this predicate type (needs --key).")
    var attestation: String?

    @Option(help: "A lock file from `shrike lock`: fail when the tag now points at another digest.")
    var lock: String?

    /// True when any supply-chain check was asked for.
    var requested: Bool { !key.isEmpty || attestation != nil || lock != nil }

    func validate() throws {
        if attestation != nil && key.isEmpty {
            throw ValidationError("--attestation needs --key (the key that signed the attestation)")
        }
    }

    /// Runs the requested checks on `target`, printing one line per finding. Returns false when a check failed;
    /// throws `ShrikeError` for input errors (unreadable keys, no such tag, no lock entry).
    func run(target: String, registry: RegistryOptions) throws -> Bool {
        guard requested else { return true }
        let image = try SupplyChainTarget.resolve(target, registry: registry)
        var passed = true
        if let lock {
            let moved = try TagLock.load(path: lock).check(image, target: target, input: lock)
            for tag in moved { Terminal.write("FAIL lock: \(tag)\n") }
            if moved.isEmpty { Terminal.write("ok: lock: \(target) still points at \(image.digest)\n") }
            passed = passed && moved.isEmpty
        }
        if !key.isEmpty {
            let keys = try key.map(VerificationKey.load(path:))
            let report = try SignatureVerifier(keys: keys).verify(image)
            for line in report.lines { Terminal.write("\(report.passed ? "" : "FAIL ")signature: \(line)\n") }
            passed = passed && report.passed
            if let attestation {
                let result = try AttestationVerifier(keys: keys).verify(image, predicateType: attestation)
                for line in result.lines { Terminal.write("\(result.passed ? "" : "FAIL ")attestation: \(line)\n") }
                if !result.passed {
                    Terminal.write("FAIL attestation: no verified attestation of type \(attestation)\n")
                }
                passed = passed && result.passed
            }
        }
        return passed
    }
}
