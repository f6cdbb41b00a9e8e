import ArgumentParser
import ShrikeCore
import ShrikeSupplyChain

// A minimal `shrike verify` for the supply-chain branch: the integrity checks (every digest and size from index to
// layers) belong to the registry/integrity work; when both land, that command keeps its integrity part and adds
// `@OptionGroup var supplyChain: SupplyChainVerifyOptions` plus the call below.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an image: its manifest digest, and signatures, attestations and tag locks when asked.",
        discussion: "Exit status: 0 when every check passed, 1 when one failed (with the reason), 2 on usage or input errors."
    )

    @Argument(help: "The image to verify (oci-dir:PATH[:TAG]).")
    var target: String

    @OptionGroup var supplyChain: SupplyChainVerifyOptions

    func run() async throws {
        var passed = true
        try await CommandFailure.run {
            do {
                let image = try SupplyChainTarget.resolve(target)
                Terminal.write("ok: manifest \(image.digest) matches its digest\n")
            } catch let error as ShrikeError where error.code == .digestMismatch {
                Terminal.write("FAIL integrity: \(error)\n")
                passed = false
                return
            }
            passed = try supplyChain.run(target: target)
        }
        if !passed { throw ExitCode(1) }
    }
}
