import ArgumentParser
import Foundation
import ShrikeCore
import ShrikeImage

struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an image's integrity (every digest and size), and its signatures, attestations and tag lock.",
        discussion: """
        Reads every blob of every platform in full and checks it against the digest and size that name it; for \
        docker-archives also each layer's uncompressed content against the config's diff ids. Exit status: 0 when \
        everything matches, 1 naming the first blob that does not, 2 on usage or input errors. TARGET is \
        oci-dir:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:TAG] or registry:HOST/REPO[:TAG|@DIGEST]. \
        With --key, cosign signatures (and with --attestation, attestations) must verify; with --lock, the tag must \
        still point where `shrike lock` recorded it.
        """
    )

    @Argument(help: "The image to verify.")
    var target: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    @OptionGroup var image: ImageOptions

    @OptionGroup var supplyChain: SupplyChainVerifyOptions

    func run() async throws {
        var failed = false
        try await CommandFailure.run {
            let parsed = try TargetParser.parse(target)
            let readOptions = try image.readOptions(selector: nil)
            let report = try ImageVerifier.verify(parsed, options: readOptions)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                Terminal.write(bytes: Array(try encoder.encode(report)) + [UInt8(ascii: "\n")])
            }
            if let failure = report.failure {
                Terminal.error("\(report.target): \(failure)")
                failed = true
            } else if !json {
                Terminal.write("verified \(report.blobs) blobs, \(report.bytes) bytes (\(ByteCount.human(report.bytes)))\(report.diffIDs > 0 ? ", \(report.diffIDs) diff ids" : "")\n")
            }
            // Signatures mean nothing over blobs that do not match their digests: check them only on intact images.
            if !failed {
                let signed = try supplyChain.run(target: target, registry: readOptions.registry)
                if !signed { failed = true }
            }
        }
        if failed { throw ExitCode(1) }
    }
}
