import ArgumentParser
import Foundation
import ShrikeCore
import ShrikeImage
import ShrikeSupplyChain

struct LockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock",
        abstract: "Record which digest each tag points at, for `shrike verify --lock`.",
        discussion: """
        Adds or updates one entry per TARGET in the lock file (JSON, or YAML when the name ends in .yaml/.yml). \
        With --key, the fingerprints of the keys whose signatures verify are recorded as the image's signers.
        """
    )

    @Argument(help: "The images to lock (oci-dir:PATH:TAG or registry:HOST/REPO:TAG).")
    var targets: [String]

    @Option(help: "The lock file to create or update.")
    var file: String

    @Option(help: "Public keys whose signatures to record (repeatable).")
    var key: [String] = []

    @OptionGroup var registry: RegistryFlags

    func run() async throws {
        try await CommandFailure.run {
            var lock = FileManager.default.fileExists(atPath: file) ? try TagLock.load(path: file) : TagLock()
            let keys = try key.map(VerificationKey.load(path:))
            let options = try registry.options(progress: TerminalProgress())
            for target in targets {
                let image = try SupplyChainTarget.resolve(target, registry: options)
                var signers: [String]?
                if !keys.isEmpty {
                    signers = try SignatureVerifier(keys: keys).verify(image).verifiedKeys.sorted()
                }
                lock.record(TagLock.Entry(target: target, tag: image.tag, digest: image.digest, signers: signers))
                Terminal.write("locked \(target) at \(image.digest)\(signers.map { $0.isEmpty ? " (no verified signer)" : " signed by \($0.joined(separator: ", "))" } ?? "")\n")
            }
            try lock.write(to: file)
        }
    }
}
