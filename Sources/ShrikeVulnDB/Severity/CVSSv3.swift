import Foundation
import ShrikeCore

/// A CVSS v3.0 or v3.1 base vector and its base score, computed with the formula of the CVSS 3.1 specification.
///
/// v3.0 vectors are scored with the 3.1 formula: the two differ only in the rounding helper, which 3.1 made exact,
/// and FIRST's own calculator scores 3.0 vectors the same way. Temporal and environmental metrics are accepted in the
/// vector and ignored (a base score is what advisories publish).
public struct CVSSv3: Sendable, Equatable {
    public var vector: String
    /// The base score, 0.0 to 10.0 with one decimal.
    public let baseScore: Double

    private static let base: [String: [String: Double]] = [
        "AV": ["N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2],
        "AC": ["L": 0.77, "H": 0.44],
        "PR": ["N": 0.85, "L": 0.62, "H": 0.27],
        "UI": ["N": 0.85, "R": 0.62],
        "S": ["U": 0, "C": 1],
        "C": ["H": 0.56, "L": 0.22, "N": 0],
        "I": ["H": 0.56, "L": 0.22, "N": 0],
        "A": ["H": 0.56, "L": 0.22, "N": 0],
    ]

    /// Parses `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`. Throws `malformed` when the prefix is not 3.0/3.1, a
    /// base metric is missing or repeated, or a value is not one the specification defines.
    public init(vector: String) throws {
        self.vector = vector
        let parts = vector.split(separator: "/").map(String.init)
        guard let prefix = parts.first, prefix == "CVSS:3.1" || prefix == "CVSS:3.0" else {
            throw ShrikeError(.malformed, "not a CVSS v3 vector (it must start with CVSS:3.0/ or CVSS:3.1/)", input: vector)
        }
        var values: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard pair.count == 2, values[pair[0]] == nil else {
                throw ShrikeError(.malformed, "CVSS metric '\(part)' is malformed or repeated", input: vector)
            }
            values[pair[0]] = pair[1]
        }
        var weights: [String: Double] = [:]
        for (metric, table) in Self.base {
            guard let value = values[metric] else {
                throw ShrikeError(.malformed, "CVSS v3 vector lacks the base metric \(metric)", input: vector)
            }
            guard let weight = table[value] else {
                throw ShrikeError(.malformed, "CVSS v3 metric \(metric) has no value '\(value)'", input: vector)
            }
            weights[metric] = weight
        }
        let w = { (metric: String) in weights[metric] ?? 0 }
        let scopeChanged = values["S"] == "C"
        // Privileges Required weighs more when the scope changes (specification §7.4).
        var privileges = w("PR")
        if scopeChanged, values["PR"] == "L" { privileges = 0.68 }
        if scopeChanged, values["PR"] == "H" { privileges = 0.5 }

        let iss = 1 - (1 - w("C")) * (1 - w("I")) * (1 - w("A"))
        let impact = scopeChanged ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss
        let exploitability = 8.22 * w("AV") * w("AC") * privileges * w("UI")
        if impact <= 0 {
            baseScore = 0
        } else if scopeChanged {
            baseScore = Self.roundUp(min(1.08 * (impact + exploitability), 10))
        } else {
            baseScore = Self.roundUp(min(impact + exploitability, 10))
        }
    }

    /// The specification's Roundup (Appendix A): the smallest one-decimal number not below `value`, computed on
    /// integers so that 4.000000001 does not become 4.1 through floating-point noise.
    static func roundUp(_ value: Double) -> Double {
        let scaled = Int((value * 100_000).rounded())
        if scaled % 10_000 == 0 { return Double(scaled) / 100_000 }
        return (Double(scaled / 10_000) + 1) / 10
    }
}
