import Foundation
import ShrikeCore
import Yams

/// Reads CI thresholds from `.shrike-analyze.yaml` or dive's `.dive-ci` (the same keys, at the top or under `rules:`).
///
/// Values are numbers, `disabled` (dive's word for off), or for `highestWastedBytes` a size such as `20MB` or
/// `20MiB` (decimal and binary units, as dive's parser takes them).
public enum CIConfigFile {
    /// The file names looked for in the working directory, in order.
    public static let names = [".shrike-analyze.yaml", ".shrike-analyze.yml", ".dive-ci"]

    /// The first of `names` that exists in `directory`, nil when none does.
    public static func discover(in directory: String) -> String? {
        names.map { directory + "/" + $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The rules in force: dive's defaults, then what the file at `path` sets, then the flags (`lowestEfficiency` →
    /// "0.95"); in the file and the flags `disabled` turns a rule off. Throws naming the file or flag at fault.
    public static func resolve(path: String?, flags: [String: String]) throws -> CIRules {
        var rules = CIRules.defaults
        if let path { rules = try apply(try load(path), to: rules, name: path) }
        return try apply(flags, to: rules, name: "the command line")
    }

    /// The key-value map of `path`: the file's top level, or its `rules:` mapping.
    static func load(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShrikeError(.io, "cannot read the CI rules file; check that it exists and is readable", input: path)
        }
        return try parse(String(decoding: data, as: UTF8.self), name: path)
    }

    static func parse(_ text: String, name: String) throws -> [String: Any] {
        let document: Any?
        do {
            document = try Yams.load(yaml: text)
        } catch {
            throw ShrikeError(.malformed, "is not valid YAML (\(error)); write `rules:` with lowestEfficiency, highestWastedBytes, highestUserWastedPercent", input: name)
        }
        if document == nil { return [:] }
        guard let map = document as? [String: Any] else {
            throw ShrikeError(.malformed, "must be a mapping of rule names to thresholds", input: name)
        }
        return (map["rules"] as? [String: Any]) ?? map
    }

    /// `rules` with every rule `map` names set (or turned off by `disabled`).
    static func apply(_ map: [String: Any], to rules: CIRules, name: String) throws -> CIRules {
        let known = ["lowestEfficiency", "highestWastedBytes", "highestUserWastedPercent"]
        if let unknown = map.keys.sorted().first(where: { !known.contains($0) }) {
            throw ShrikeError(.malformed, "unknown rule '\(unknown)'; the rules are \(known.joined(separator: ", "))", input: name)
        }
        var result = rules
        if let value = map["lowestEfficiency"] { result.lowestEfficiency = try ratio(value, key: "lowestEfficiency", name: name) }
        if let value = map["highestWastedBytes"] { result.highestWastedBytes = try bytes(value, key: "highestWastedBytes", name: name) }
        if let value = map["highestUserWastedPercent"] {
            result.highestUserWastedPercent = try ratio(value, key: "highestUserWastedPercent", name: name)
        }
        return result
    }

    static func ratio(_ value: Any, key: String, name: String) throws -> Double? {
        guard !isDisabled(value) else { return nil }
        let number: Double? = (value as? Double) ?? (value as? Int).map(Double.init) ?? (value as? String).flatMap(Double.init)
        guard let number, number >= 0, number <= 1 else {
            throw ShrikeError(.malformed, "\(key) must be a ratio between 0 and 1 (e.g. 0.95) or 'disabled', not '\(value)'", input: name)
        }
        return number
    }

    static func bytes(_ value: Any, key: String, name: String) throws -> Int64? {
        guard !isDisabled(value) else { return nil }
        if let int = value as? Int, int >= 0 { return Int64(int) }
        if let text = value as? String, let parsed = parseSize(text) { return parsed }
        throw ShrikeError(.malformed, "\(key) must be a size such as 20MB, 20MiB or 20000000, or 'disabled', not '\(value)'", input: name)
    }

    static func isDisabled(_ value: Any) -> Bool {
        (value as? String)?.lowercased() == "disabled"
    }

    /// `20MB` (10^6), `20MiB` (2^20), `512kB`, `1.5GB`, `300` (bytes); nil when not a size.
    public static func parseSize(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let number = Double(digits), number >= 0 else { return nil }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).lowercased()
        let factors: [String: Double] = ["": 1, "b": 1, "kb": 1e3, "k": 1e3, "mb": 1e6, "m": 1e6, "gb": 1e9, "g": 1e9,
                                         "tb": 1e12, "kib": 1024, "mib": 1_048_576, "gib": 1_073_741_824,
                                         "tib": 1_099_511_627_776]
        guard let factor = factors[unit] else { return nil }
        let value = number * factor
        guard value < 9e18 else { return nil }
        return Int64(value.rounded())
    }
}
