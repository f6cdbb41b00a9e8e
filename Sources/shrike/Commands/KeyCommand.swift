#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import ShrikeCore
import ShrikeSupplyChain

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Manage signing keys (cosign-compatible).",
        subcommands: [KeyGenerateCommand.self]
    )
}

struct KeyGenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate an ECDSA P-256 key pair: PREFIX.key (encrypted, cosign's format) and PREFIX.pub.",
        discussion: """
        The private key is encrypted with scrypt and NaCl secretbox exactly as `cosign generate-key-pair` does, so \
        cosign reads it and Shrike reads cosign's keys. The password comes from SHRIKE_PASSWORD (or COSIGN_PASSWORD), \
        else a prompt on the terminal.
        """
    )

    @Option(help: "Write PREFIX.key and PREFIX.pub.")
    var out: String

    @Flag(help: "Overwrite existing key files.")
    var force = false

    func run() async throws {
        try await CommandFailure.run {
            let keyPath = out + ".key", pubPath = out + ".pub"
            for path in [keyPath, pubPath] where !force && FileManager.default.fileExists(atPath: path) {
                throw ShrikeError(.usage, "already exists; pass --force to overwrite", input: path)
            }
            let password = try PasswordSource.password(prompt: "Enter password for private key: ", confirm: true)
            let key = SigningKey.generate()
            let encrypted = try key.encryptedPEM(password: password)
            try writePrivate(Array(encrypted.utf8), to: keyPath)
            try OutputFile.write(Array(key.verificationKey.pem.utf8), to: pubPath)
            Terminal.write("Private key written to \(keyPath)\nPublic key written to \(pubPath)\nFingerprint: \(key.verificationKey.fingerprint)\n")
        }
    }
}

/// Writes a new file readable only by its owner: created with mode 0600, so the key is never world-readable.
private func writePrivate(_ bytes: [UInt8], to path: String) throws {
    unlink(path)
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard fd >= 0 else { throw ShrikeError(.io, "cannot create the key file: \(String(cString: strerror(errno)))", input: path) }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written > 0 else { throw ShrikeError(.io, "cannot write the key file: \(String(cString: strerror(errno)))", input: path) }
        offset += written
    }
}

/// Loads a private key file, asking for the password only when the key is encrypted.
func loadSigningKey(_ path: String) throws -> SigningKey {
    try SigningKey.load(path: path) { try PasswordSource.password(prompt: "Enter password for private key: ") }
}
