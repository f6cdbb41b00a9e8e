import Foundation

/// An `application/x-www-form-urlencoded` body (or a query string), decoded.
package struct ConsoleForm: Sendable {
    package var values: [String: String] = [:]

    package init(_ text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = parts.first else { continue }
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(rawName)
            if values[name] == nil { values[name] = parts.count == 2 ? decode(parts[1]) : "" }
        }
    }

    package subscript(_ name: String) -> String? { values[name] }

    /// The value, trimmed; nil when absent or empty.
    package func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }
}
