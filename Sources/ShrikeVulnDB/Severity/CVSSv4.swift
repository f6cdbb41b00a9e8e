import Foundation
import ShrikeCore

/// A CVSS v4.0 vector and its base score (CVSS-B), computed as FIRST's v4.0 calculator does.
///
/// v4.0 has no closed formula: the six equivalence classes (EQ1–EQ6) of a vector select a "macro vector" whose score
/// comes from FIRST's lookup table (`CVSSv4Tables.macroVectorScores`); the vector's score is that value lowered by
/// its mean proportional distance from the most severe vectors of the same macro vector, rounded half up to one
/// decimal (CVSS v4.0 specification §8.2, and FIRST's reference calculator, github.com/FIRSTdotorg/cvss-v4-calculator,
/// whose `cvss_score.js`/`cvss40.js` is mirrored by RedHatProductSecurity/cvss-v4-calculator).
///
/// Threat (`E`), environmental (`CR`…`MSA`) and supplemental metrics are accepted and validated but not applied: the
/// score is the base score advisories publish, as `CVSSv3` ignores temporal metrics.
public struct CVSSv4: Sendable, Equatable {
    public var vector: String
    /// The base score, 0.0 to 10.0 with one decimal.
    public let baseScore: Double

    static let baseMetrics: [(String, Set<String>)] = [
        ("AV", ["N", "A", "L", "P"]), ("AC", ["L", "H"]), ("AT", ["N", "P"]), ("PR", ["N", "L", "H"]),
        ("UI", ["N", "P", "A"]), ("VC", ["H", "L", "N"]), ("VI", ["H", "L", "N"]), ("VA", ["H", "L", "N"]),
        ("SC", ["H", "L", "N"]), ("SI", ["H", "L", "N"]), ("SA", ["H", "L", "N"]),
    ]

    static let otherMetrics: [String: Set<String>] = [
        "E": ["X", "A", "P", "U"],
        "CR": ["X", "H", "M", "L"], "IR": ["X", "H", "M", "L"], "AR": ["X", "H", "M", "L"],
        "MAV": ["X", "N", "A", "L", "P"], "MAC": ["X", "L", "H"], "MAT": ["X", "N", "P"], "MPR": ["X", "N", "L", "H"],
        "MUI": ["X", "N", "P", "A"], "MVC": ["X", "H", "L", "N"], "MVI": ["X", "H", "L", "N"], "MVA": ["X", "H", "L", "N"],
        "MSC": ["X", "H", "L", "N"], "MSI": ["X", "S", "H", "L", "N"], "MSA": ["X", "S", "H", "L", "N"],
        "S": ["X", "N", "P"], "AU": ["X", "N", "Y"], "R": ["X", "A", "U", "I"], "V": ["X", "D", "C"],
        "RE": ["X", "L", "M", "H"], "U": ["X", "Clear", "Green", "Amber", "Red"],
    ]

    /// Parses `CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N[/E:…]`. Throws `malformed` when the prefix
    /// is not `CVSS:4.0`, a base metric is missing, a metric is repeated or unknown, or a value is not defined for it.
    public init(vector: String) throws {
        self.vector = vector
        let parts = vector.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == "CVSS:4.0" else {
            throw ShrikeError(.malformed, "a CVSS v4.0 vector starts with 'CVSS:4.0/'", input: vector)
        }
        var values: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: ":", maxSplits: 1).map(String.init)
            guard pair.count == 2 else {
                throw ShrikeError(.malformed, "'\(part)' is not METRIC:VALUE", input: vector)
            }
            let allowed = Self.baseMetrics.first { $0.0 == pair[0] }?.1 ?? Self.otherMetrics[pair[0]]
            guard let allowed else { throw ShrikeError(.malformed, "unknown CVSS v4.0 metric '\(pair[0])'", input: vector) }
            guard allowed.contains(pair[1]) else {
                throw ShrikeError(.malformed, "'\(pair[1])' is not a value of \(pair[0])", input: vector)
            }
            guard values.updateValue(pair[1], forKey: pair[0]) == nil else {
                throw ShrikeError(.malformed, "metric \(pair[0]) is given twice", input: vector)
            }
        }
        var base: [String: String] = [:]
        for (metric, _) in Self.baseMetrics {
            guard let value = values[metric] else {
                throw ShrikeError(.malformed, "base metric \(metric) is missing", input: vector)
            }
            base[metric] = value
        }
        baseScore = Self.score(base: base)
    }

    // MARK: - Scoring

    /// The metrics the scoring reads, for a base vector: threat and environmental metrics take the values FIRST's
    /// calculator uses when they are not defined (`E:A`, `CR/IR/AR:H`, no modified metrics).
    struct Metrics {
        var av, ac, at, pr, ui, vc, vi, va, sc, si, sa: String
        let e = "A", cr = "H", ir = "H", ar = "H"

        init(_ base: [String: String]) {
            av = base["AV"] ?? "N"; ac = base["AC"] ?? "L"; at = base["AT"] ?? "N"; pr = base["PR"] ?? "N"
            ui = base["UI"] ?? "N"; vc = base["VC"] ?? "N"; vi = base["VI"] ?? "N"; va = base["VA"] ?? "N"
            sc = base["SC"] ?? "N"; si = base["SI"] ?? "N"; sa = base["SA"] ?? "N"
        }

        func value(_ metric: String) -> String {
            switch metric {
            case "AV": av
            case "AC": ac
            case "AT": at
            case "PR": pr
            case "UI": ui
            case "VC": vc
            case "VI": vi
            case "VA": va
            case "SC": sc
            case "SI": si
            case "SA": sa
            case "E": e
            case "CR": cr
            case "IR": ir
            default: ar
            }
        }

        /// EQ1…EQ6 of the specification's table 24.
        var equivalenceClasses: [Int] {
            let eq1: Int
            if av == "N" && pr == "N" && ui == "N" {
                eq1 = 0
            } else if (av == "N" || pr == "N" || ui == "N") && av != "P" {
                eq1 = 1
            } else {
                eq1 = 2
            }
            let eq2 = ac == "L" && at == "N" ? 0 : 1
            let eq3 = vc == "H" && vi == "H" ? 0 : (vc == "H" || vi == "H" || va == "H" ? 1 : 2)
            // EQ4 is 0 only for MSI/MSA:S, which a base vector cannot carry.
            let eq4 = sc == "H" || si == "H" || sa == "H" ? 1 : 2
            let eq5 = 0  // E:A
            let eq6 = (cr == "H" && vc == "H") || (ir == "H" && vi == "H") || (ar == "H" && va == "H") ? 0 : 1
            return [eq1, eq2, eq3, eq4, eq5, eq6]
        }
    }

    static func score(base: [String: String]) -> Double {
        let m = Metrics(base)
        if [m.vc, m.vi, m.va, m.sc, m.si, m.sa].allSatisfy({ $0 == "N" }) { return 0 }
        let eq = m.equivalenceClasses
        let tables = CVSSv4Tables.self
        func lookup(_ classes: [Int]) -> Double? { tables.macroVectorScores[classes.map(String.init).joined()] }
        guard let value = lookup(eq) else { return 0 }
        let (eq1, eq2, eq3, eq4, eq5, eq6) = (eq[0], eq[1], eq[2], eq[3], eq[4], eq[5])

        // 1a. The score of the next lower macro vector along each EQ (nil where there is none).
        let lowerEQ1 = lookup([eq1 + 1, eq2, eq3, eq4, eq5, eq6])
        let lowerEQ2 = lookup([eq1, eq2 + 1, eq3, eq4, eq5, eq6])
        let lowerEQ3EQ6: Double?
        switch (eq3, eq6) {
        case (1, 1), (0, 1): lowerEQ3EQ6 = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6])
        case (1, 0): lowerEQ3EQ6 = lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1])
        case (0, 0):
            // Two ways down (00 → 01 and 00 → 10): the higher one counts.
            if let left = lookup([eq1, eq2, eq3, eq4, eq5, eq6 + 1]), let right = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6]) {
                lowerEQ3EQ6 = max(left, right)
            } else {
                lowerEQ3EQ6 = nil
            }
        default: lowerEQ3EQ6 = lookup([eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1])
        }
        let lowerEQ4 = lookup([eq1, eq2, eq3, eq4 + 1, eq5, eq6])
        let lowerEQ5 = lookup([eq1, eq2, eq3, eq4, eq5 + 1, eq6])

        // 1b. The first of the macro vector's most severe vectors that the scored vector does not exceed, and the
        // distances from it, in the calculator's order of candidates.
        var distances: [String: Double] = [:]
        search: for eq1Max in tables.maxComposedEQ1[eq1] {
            for eq2Max in tables.maxComposedEQ2[eq2] {
                for eq3Max in tables.maxComposedEQ3EQ6[eq3]?[eq6] ?? [] {
                    for eq4Max in tables.maxComposedEQ4[eq4] {
                        for eq5Max in tables.maxComposedEQ5[eq5] {
                            let maxVector = Self.parseFragment(eq1Max + eq2Max + eq3Max + eq4Max + eq5Max)
                            var candidate: [String: Double] = [:]
                            for (metric, levels) in tables.metricLevels {
                                guard let own = levels[m.value(metric)], let maxValue = maxVector[metric],
                                      let top = levels[maxValue] else { continue }
                                candidate[metric] = own - top
                            }
                            distances = candidate
                            if candidate.values.allSatisfy({ $0 >= 0 }) { break search }
                        }
                    }
                }
            }
        }
        func d(_ metric: String) -> Double { distances[metric] ?? 0 }
        let distanceEQ1 = d("AV") + d("PR") + d("UI")
        let distanceEQ2 = d("AC") + d("AT")
        let distanceEQ3EQ6 = d("VC") + d("VI") + d("VA") + d("CR") + d("IR") + d("AR")
        let distanceEQ4 = d("SC") + d("SI") + d("SA")

        // 1c–d. Each EQ's available distance times the proportion of the way down it, averaged over the EQs that have
        // a lower macro vector. The step is 0.1 per level.
        let step = 0.1
        var existing = 0.0
        var sum = 0.0
        if let lower = lowerEQ1 {
            existing += 1
            sum += (value - lower) * (distanceEQ1 / (Double(tables.maxSeverityEQ1[eq1]) * step))
        }
        if let lower = lowerEQ2 {
            existing += 1
            sum += (value - lower) * (distanceEQ2 / (Double(tables.maxSeverityEQ2[eq2]) * step))
        }
        if let lower = lowerEQ3EQ6, let depth = tables.maxSeverityEQ3EQ6[eq3]?[eq6] {
            existing += 1
            sum += (value - lower) * (distanceEQ3EQ6 / (Double(depth) * step))
        }
        if let lower = lowerEQ4 {
            existing += 1
            sum += (value - lower) * (distanceEQ4 / (Double(tables.maxSeverityEQ4[eq4]) * step))
        }
        if lowerEQ5 != nil {
            // EQ5's proportion is always 0 (only E moves it, and every E of a macro vector scores alike).
            existing += 1
            sum += 0
        }
        let mean = existing == 0 ? 0 : sum / existing
        return roundHalfUp(min(10, max(0, value - mean)))
    }

    /// One decimal, halves rounded up, as the calculator's `Math.round((value + 1e-6) * 10) / 10`: the interpolation
    /// lands one floating-point step below some `x.x5` ties (8.549999… for 8.55), and the small lift rounds those up
    /// as exact arithmetic would (RedHatProductSecurity/cvss-v4-calculator#66 and #67, merged 2024-10; Red Hat's
    /// `cvss` library does the same). Without it 522 of the 104,976 base vectors score a tenth lower.
    static func roundHalfUp(_ value: Double) -> Double {
        ((value + 1e-6) * 10).rounded(.toNearestOrAwayFromZero) / 10
    }

    /// `"AV:N/PR:N/UI:N/"` → `["AV": "N", …]`.
    static func parseFragment(_ fragment: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in fragment.split(separator: "/") {
            let pair = part.split(separator: ":", maxSplits: 1)
            if pair.count == 2 { result[String(pair[0])] = String(pair[1]) }
        }
        return result
    }
}
