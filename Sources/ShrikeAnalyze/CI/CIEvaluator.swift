/// The outcome of one CI rule.
public struct CIVerdict: Sendable, Equatable, Codable {
    public var rule: String
    public var passed: Bool
    /// `lowestEfficiency: 0.8123 is below 0.95`
    public var message: String
}

/// Checks an analysis against CI rules; a report without layers (`dir:`) passes every rule.
public enum CIEvaluator {
    public static func evaluate(_ report: AnalysisReport, rules: CIRules) -> [CIVerdict] {
        guard let summary = report.summary else { return [] }
        var verdicts: [CIVerdict] = []
        if let lowest = rules.lowestEfficiency {
            let passed = summary.efficiency >= lowest
            verdicts.append(CIVerdict(rule: "lowestEfficiency", passed: passed,
                                      message: "efficiency \(format(summary.efficiency)) \(passed ? "≥" : "is below") \(format(lowest))"))
        }
        if let highest = rules.highestWastedBytes {
            let passed = summary.wastedBytes <= highest
            verdicts.append(CIVerdict(rule: "highestWastedBytes", passed: passed,
                                      message: "wasted \(summary.wastedBytes) bytes \(passed ? "≤" : "is over") \(highest)"))
        }
        if let highest = rules.highestUserWastedPercent {
            let passed = summary.userWastedRatio <= highest
            verdicts.append(CIVerdict(rule: "highestUserWastedPercent", passed: passed,
                                      message: "user waste \(format(summary.userWastedRatio)) of all bytes \(passed ? "≤" : "is over") \(format(highest))"))
        }
        return verdicts
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 10_000).rounded() / 10_000
        return "\(rounded)"
    }
}
