import Foundation
import Hummingbird

/// The session cookie: `HttpOnly`, `SameSite=Strict`, `Secure` when the server speaks TLS, for the whole site.
package enum ConsoleCookie {
    package static let name = "shrike_session"

    /// The `Set-Cookie` value that signs in for `lifetime` seconds.
    package static func set(_ value: String, lifetime: Int, secure: Bool) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(lifetime); HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that removes it.
    package static func clear(secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// The session cookie's value in a request's `Cookie` headers, when it has the shape of one.
    package static func value(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                if ConsoleSecret.isWellFormed(value) { return value }
            }
        }
        return nil
    }
}
