import ArgumentParser
import ShrikeCore
import ShrikeImage
import ShrikeSupplyChain

struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign an image with a key, as `cosign sign --key` does.",
        discussion: """
        Writes cosign's simple-signing payload for the image's manifest digest and stores it, with the base64 \
        ECDSA signature in the dev.cosignproject.cosign/signature annotation, in the manifest tagged \
        sha256-<hex>.sig next to the image (earlier signatures are kept). TARGET is oci-dir:PATH[:TAG] or \
        registry:HOST/REPO[:TAG|@DIGEST] (the signature is pushed to the same repository).
        """
    )

    @Argument(help: "The image to sign (oci-dir:PATH[:TAG] or registry:HOST/REPO[:TAG|@DIGEST]).")
    var target: String

    @Option(help: "The private key (cosign's encrypted format, PKCS#8 or EC PRIVATE KEY PEM).")
    var key: String

    @Option(help: "The image name the signature claims (docker-reference); default: HOST/REPO, or the name recorded in the layout.")
    var reference: String?

    @Option(name: [.customShort("a"), .customLong("annotation")], help: "KEY=VALUE written into the payload's 'optional' object (repeatable).")
    var annotations: [String] = []

    @OptionGroup var registry: RegistryFlags

    func run() async throws {
        try await CommandFailure.run {
            var optional: [String: String]?
            for annotation in annotations {
                guard let equals = annotation.firstIndex(of: "=") else {
                    throw ShrikeError(.usage, "annotations look like KEY=VALUE", input: annotation)
                }
                optional = optional ?? [:]
                optional?[String(annotation[..<equals])] = String(annotation[annotation.index(after: equals)...])
            }
            let signingKey = try loadSigningKey(key)
            let image = try SupplyChainTarget.resolve(target, registry: registry.options(progress: TerminalProgress()))
            let identity = image.identity(explicit: reference)
            let result = try ImageSigner(key: signingKey).sign(image, identity: identity, annotations: optional)
            Terminal.write("Signed \(identity)@\(image.digest)\n")
            Terminal.write("Signature stored at \(result.tag) (\(result.signatureCount) signature\(result.signatureCount == 1 ? "" : "s"))\n")
        }
    }
}
