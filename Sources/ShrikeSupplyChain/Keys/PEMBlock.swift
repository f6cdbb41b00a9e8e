import Foundation
import ShrikeCore

/// One `-----BEGIN TYPE-----` … `-----END TYPE-----` block of a PEM file.
public struct PEMBlock: Sendable, Equatable {
    /// The label, e.g. `PUBLIC KEY` or `ENCRYPTED SIGSTORE PRIVATE KEY`.
    public var type: String
    public var bytes: [UInt8]

    public init(type: String, bytes: [UInt8]) {
        self.type = type
        self.bytes = bytes
    }

    /// The first PEM block in `text` (text before it, as `openssl` writes, is skipped).
    ///
    /// Throws `malformed` naming `input` when there is no block, the END line is missing or the base64 is broken.
    public init(parsing text: String, input: String? = nil) throws {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let begin = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN ") && $0.hasSuffix("-----") }) else {
            throw ShrikeError(.malformed, "is not a PEM file (no -----BEGIN line)", input: input)
        }
        let type = String(lines[begin].dropFirst("-----BEGIN ".count).dropLast(5))
        guard let end = lines[(begin + 1)...].firstIndex(of: "-----END \(type)-----") else {
            throw ShrikeError(.malformed, "PEM block '\(type)' has no matching -----END line", input: input)
        }
        // RFC 1421 headers (Proc-Type, DEK-Info) are not used by any key format Shrike reads: refuse rather than misread.
        let body = lines[(begin + 1)..<end]
        if body.contains(where: { $0.contains(":") }) {
            throw ShrikeError(.unsupportedFormat, "PEM block '\(type)' has headers (legacy OpenSSL encryption is not supported; convert the key to PKCS#8)", input: input)
        }
        guard let data = Data(base64Encoded: body.joined()) else {
            throw ShrikeError(.malformed, "PEM block '\(type)' is not valid base64", input: input)
        }
        self.type = type
        self.bytes = Array(data)
    }

    /// The block as Go's `pem.EncodeToMemory` writes it: 64-character base64 lines and a final newline.
    public var text: String {
        let encoded = Data(bytes).base64EncodedString()
        var lines = ["-----BEGIN \(type)-----"]
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let next = encoded.index(index, offsetBy: 64, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<next]))
            index = next
        }
        lines.append("-----END \(type)-----")
        return lines.joined(separator: "\n") + "\n"
    }
}
