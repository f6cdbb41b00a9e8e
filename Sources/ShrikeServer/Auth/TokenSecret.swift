import Crypto
import Foundation

/// Token secrets: `shrike_` and 32 random bytes in base64url. Only their SHA-256 is stored, so a copy of the database
/// gives no one a working token.
package enum TokenSecret {
    package static let prefix = "shrike_"

    /// A new secret from the system's random source.
    package static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return prefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The stored form: lowercase hex SHA-256 of the secret's bytes.
    package static func hash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Token names: 1 to 64 of letters, digits, `.`, `_` and `-` (they become agent ids and appear in record ids).
    package static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
