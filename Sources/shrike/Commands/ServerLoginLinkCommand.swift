import ArgumentParser
import Foundation
import ShrikeCore
import ShrikeServer

/// `shrike server login-link`: a one-time URL that signs in to the console (the first sign-in, with no token to
/// paste). The code is used once and expires after 15 minutes; only its hash is stored.
struct ServerLoginLinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login-link",
        abstract: "Print a one-time URL that signs in to the console (single use, valid 15 minutes).")

    @Option(name: .customLong("role"), help: "admin (the default) or viewer.")
    var role = "admin"

    @Option(name: .customLong("name"), help: "The name the session shows (letters, digits, . _ -).")
    var name = "login-link"

    @Option(name: .customLong("url"), help: "The server's address as a browser reaches it.")
    var url = "http://127.0.0.1:7443"

    @OptionGroup var database: ServerDatabaseOptions

    @Option(name: .customLong("db"), help: ArgumentHelp("Accepted for symmetry with `shrike server`; unused.",
                                                        visibility: .hidden))
    var advisoryDatabase: String?

    func run() async throws {
        try await CommandFailure.run {
            guard let role = TokenRole(rawValue: role), role != .agent else {
                throw ShrikeError(.usage, "--role is admin or viewer", input: role)
            }
            guard TokenSecret.isValidName(name) else {
                throw ShrikeError(.usage, "a name is 1 to 64 letters, digits, '.', '_' or '-'", input: name)
            }
            let store = try await database.location().open()
            let code = try await ConsoleLoginLink.create(store: store, name: name, role: role)
            let base = url.hasSuffix("/") ? String(url.dropLast()) : url
            Terminal.write("shrike: a one-time sign-in link (\(role.rawValue)), valid for 15 minutes:\n", to: 2)
            Terminal.write("\(base)/login/once?code=\(code)\n")
        }
    }
}
