import ShrikeCore

/// Checks every comparator shares: what is not a version string at all, whatever the ecosystem.
enum VersionStringRules {
    /// Throws `malformed` for an empty string or one holding whitespace or control characters.
    ///
    /// No package manager writes such a version into its database or index; seeing one means the data was read
    /// wrongly, so comparing it would only hide that. `what` names the ecosystem in the message.
    static func requirePrintable(_ version: String, _ what: String) throws {
        if version.isEmpty {
            throw ShrikeError(.malformed, "empty \(what) version", input: version)
        }
        if version.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            throw ShrikeError(.malformed, "\(what) version \"\(version)\" holds whitespace or control characters",
                              input: version)
        }
    }
}
