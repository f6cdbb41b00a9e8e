import Foundation
import ShrikeCore

extension Policy {
    /// Every violation of this policy by `facts` (empty: the image passes). Never stops at the first.
    ///
    /// A rule whose facts were not gathered (signatures or vulnerabilities left nil) is itself reported as a
    /// violation, so a policy never passes by accident.
    public func evaluate(_ facts: ImageFacts) -> [PolicyViolation] {
        var violations: [PolicyViolation] = []
        if let allowed = allowedRepositories, !allowed.contains(where: { Glob.matches($0, facts.repository) }) {
            violations.append(PolicyViolation(rule: "allowedRepositories",
                                              message: "\(facts.repository) matches none of \(allowed.joined(separator: ", "))"))
        }
        if let rule = signatures {
            if let report = facts.signatures {
                let count = report.verifiedKeys.count
                if count < rule.minimum {
                    let reasons = report.checks.isEmpty ? "no signatures found" : report.lines.joined(separator: "; ")
                    violations.append(PolicyViolation(rule: "signatures",
                                                      message: "\(count) of the required \(rule.minimum) key(s) signed \(facts.digest) (\(reasons))"))
                }
            } else {
                violations.append(PolicyViolation(rule: "signatures", message: "signatures were not checked"))
            }
        }
        if let limit = maxSeverity {
            if let found = facts.vulnerabilities {
                let above = found.filter { $0.severity > limit }
                if !above.isEmpty {
                    let worst = above.map(\.severity).max() ?? limit
                    let ids = above.sorted { $0.severity > $1.severity }.prefix(5).map { "\($0.id) (\($0.severity.rawValue))" }
                    violations.append(PolicyViolation(rule: "maxSeverity",
                                                      message: "\(above.count) vulnerabilit\(above.count == 1 ? "y is" : "ies are") above \(limit.rawValue), worst \(worst.rawValue): \(ids.joined(separator: ", "))\(above.count > 5 ? ", …" : "")"))
                }
            } else {
                violations.append(PolicyViolation(rule: "maxSeverity", message: "vulnerabilities were not scanned"))
            }
        }
        if forbidRoot, Self.runsAsRoot(facts.user) {
            let shown = (facts.user ?? "").isEmpty ? "no User (defaults to root)" : "User '\(facts.user ?? "")'"
            violations.append(PolicyViolation(rule: "forbidRoot", message: "the image runs as root (\(shown)); set USER to a non-root user"))
        }
        if forbidLatest, facts.tag == "latest" || (facts.tag == nil && facts.impliesLatest) {
            violations.append(PolicyViolation(rule: "forbidLatest", message: "the image is referenced by the 'latest' tag; name a version and pin the digest"))
        }
        if forbidMutableTags, !facts.pinnedByDigest, let tag = facts.tag ?? (facts.impliesLatest ? "latest" : nil) {
            violations.append(PolicyViolation(rule: "forbidMutableTags",
                                              message: "tag '\(tag)' is mutable; reference the image by digest (\(facts.digest))"))
        }
        for name in requiredLabels.keys.sorted() {
            let wanted = requiredLabels[name] ?? ""
            guard let value = facts.labels[name] else {
                violations.append(PolicyViolation(rule: "requiredLabels", message: "label '\(name)' is missing"))
                continue
            }
            if !wanted.isEmpty, value != wanted {
                violations.append(PolicyViolation(rule: "requiredLabels", message: "label '\(name)' is '\(value)', not '\(wanted)'"))
            }
        }
        if let limit = maxSize, facts.size > limit {
            violations.append(PolicyViolation(rule: "maxSize", message: "the image is \(facts.size) bytes, over the limit of \(limit)"))
        }
        return violations
    }

    /// Empty, `0`, `root` and `0:…`/`root:…` (user:group) all run as root.
    static func runsAsRoot(_ user: String?) -> Bool {
        guard let user = user?.trimmingCharacters(in: .whitespaces), !user.isEmpty else { return true }
        let name = user.split(separator: ":", maxSplits: 1).first.map(String.init) ?? user
        return name == "0" || name == "root"
    }
}
