import Foundation

/// An `application/x-www-form-urlencoded` body (or a query string), decoded.
package struct ConsoleForm: Sendable {
    package var values: [String: String] = [:]
    /// Every value of each name, in order (`?id=a&id=b`); `values` keeps the first.
    package var lists: [String: [String]] = [:]

    package init(_ text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawName = parts.first else { continue }
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(rawName)
            let value = parts.count == 2 ? decode(parts[1]) : ""
            if values[name] == nil { values[name] = value }
            lists[name, default: []].append(value)
        }
    }

    package subscript(_ name: String) -> String? { values[name] }

    /// Every non-empty value of `name`, trimmed, in the order given.
    package func all(_ name: String) -> [String] {
        (lists[name] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    /// The value, trimmed; nil when absent or empty.
    package func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }
}
