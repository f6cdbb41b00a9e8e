import ShrikeCore

/// Why a condition did not compile, with the text it came from, so the message names file, line and token.
struct CompileFailure: Error {
    enum Kind { case unknownField, other }
    var kind: Kind
    var message: String
    var location: SourceLocation
    var token: String?

    func error(rule: String?) -> ShrikeError {
        var text = rule.map { "rule '\($0)': " } ?? ""
        text += message
        if let token, !token.isEmpty, !message.contains("'\(token)'") { text += " (at '\(token)')" }
        return ShrikeError(.malformed, text, input: location.description)
    }
}
