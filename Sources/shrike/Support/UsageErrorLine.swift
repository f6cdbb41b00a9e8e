import Foundation

/// Turns an ArgumentParser usage error into the one line the CLI contract allows on stderr.
enum UsageErrorLine {
    /// `message` on one line, plus the "see 'shrike sbom --help'" pointer that ArgumentParser's full text carries.
    static func make(message: String, fullMessage: String) -> String {
        var line = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
        // The full text ends with "  See 'shrike sbom --help' for more information."; keep just the command to run.
        if let see = fullMessage.split(whereSeparator: \.isNewline).last(where: { $0.contains("See '") }),
           let open = see.firstIndex(of: "'"), let close = see[see.index(after: open)...].firstIndex(of: "'") {
            line += " (see \(see[open...close]))"
        }
        return line
    }
}
