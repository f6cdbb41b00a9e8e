import Foundation
import ShrikeCore

extension Severity {
    /// The qualitative band of a CVSS score (0.1–3.9 low, 4.0–6.9 medium, 7.0–8.9 high, 9.0–10.0 critical); a score
    /// of 0 means no impact and maps to `negligible`.
    public init(cvssScore score: Double) {
        switch score {
        case 9.0...: self = .critical
        case 7.0..<9.0: self = .high
        case 4.0..<7.0: self = .medium
        case 0.1..<4.0: self = .low
        default: self = .negligible
        }
    }

    /// A vendor's own severity word: GHSA's `LOW/MODERATE/HIGH/CRITICAL`, Debian urgencies (`low*`, `medium**`,
    /// `unimportant`), and the plain band names. Nil when the word says nothing (`not yet assigned`, `end-of-life`).
    public init?(vendorWord raw: String) {
        let word = raw.trimmingCharacters(in: .whitespaces).lowercased()
            .trimmingCharacters(in: CharacterSet(charactersIn: "*"))
        switch word {
        case "critical": self = .critical
        case "high", "important": self = .high
        case "medium", "moderate": self = .medium
        case "low": self = .low
        case "negligible", "unimportant", "none": self = .negligible
        default: return nil
        }
    }
}
