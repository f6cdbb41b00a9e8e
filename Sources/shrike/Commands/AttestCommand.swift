import ArgumentParser
import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import ShrikeReport
import ShrikeSupplyChain
import ShrikeVulnDB

struct AttestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attest",
        abstract: "Attach a signed in-toto attestation to an image, as `cosign attest --key` does.",
        discussion: """
        The predicate (a JSON file, or one Shrike makes with --sbom or --scan) goes into an in-toto Statement v1 \
        whose subject is the image's manifest digest, signed in a DSSE envelope and stored in the manifest tagged \
        sha256-<hex>.att. --sbom attaches a CycloneDX SBOM (type https://cyclonedx.org/bom); --scan attaches \
        `shrike scan -o json` (type \(AttestCommand.scanPredicateType)).
        """
    )

    static let sbomPredicateType = "https://cyclonedx.org/bom"
    static let scanPredicateType = "https://shrike.dev/attestation/scan/v1"

    @Argument(help: "The image to attest (oci-dir:PATH[:TAG] or registry:HOST/REPO[:TAG|@DIGEST]).")
    var target: String

    @Option(help: "The private key.")
    var key: String

    @Option(help: "The predicate JSON file.")
    var predicate: String?

    @Option(name: .customLong("type"), help: "The predicate type URI (required with --predicate).")
    var predicateType: String?

    @Flag(help: "Attest a CycloneDX SBOM of the image made now.")
    var sbom = false

    @Flag(help: "Attest a vulnerability scan of the image made now (needs the advisory database).")
    var scan = false

    @Option(name: .customLong("db"), help: "The advisory database for --scan.")
    var database: String?

    @Option(help: "The image name the statement's subject carries; default: HOST/REPO, or the name recorded in the layout.")
    var reference: String?

    @OptionGroup var image: ImageOptions

    func run() async throws {
        try await CommandFailure.run {
            let sources = [predicate != nil, sbom, scan].filter { $0 }.count
            guard sources == 1 else {
                throw ShrikeError(.usage, "give exactly one of --predicate FILE (with --type URI), --sbom or --scan")
            }
            let signingKey = try loadSigningKey(key)
            let resolved = try SupplyChainTarget.resolve(target, registry: image.registry.options(progress: TerminalProgress()))
            let type: String
            let body: [UInt8]
            if let predicate {
                guard let predicateType, !predicateType.isEmpty else {
                    throw ShrikeError(.usage, "--predicate needs --type URI (e.g. https://slsa.dev/provenance/v1)")
                }
                type = predicateType
                guard let data = FileManager.default.contents(atPath: predicate) else {
                    throw ShrikeError(.notFound, "cannot read the predicate file", input: predicate)
                }
                body = Array(data)
            } else if sbom {
                type = predicateType ?? Self.sbomPredicateType
                body = try CycloneDXWriter().write(try image.catalog(target: target))
            } else {
                type = predicateType ?? Self.scanPredicateType
                let store = try openAdvisoryStore(path: database ?? defaultAdvisoryDatabasePath())
                let catalog = try image.catalog(target: target)
                let result = try Matcher(store: store).match(catalog)
                body = try ScanFormat.json.writer().write(ScanReport(sbom: catalog, result: result))
            }
            let identity = resolved.identity(explicit: reference)
            let result = try Attestor(key: signingKey).attest(resolved, identity: identity, predicateType: type, predicate: body)
            Terminal.write("Attested \(identity)@\(resolved.digest) (\(type))\n")
            Terminal.write("Attestation stored at \(result.tag) (\(result.attestationCount) attestation\(result.attestationCount == 1 ? "" : "s"))\n")
        }
    }
}
