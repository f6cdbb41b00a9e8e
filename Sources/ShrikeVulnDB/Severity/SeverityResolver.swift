import ShrikeCore

/// Picks one severity for an advisory: the vendor's own word when it gives one, else the highest CVSS v3 base score
/// among the published vectors, else `unknown`.
///
/// CVSS v4.0 vectors are kept on the record but not scored yet (the v4 score needs the specification's macro-vector
/// lookup tables); a record with only a v4 vector and no vendor word is `unknown`.
public enum SeverityResolver {
    public static func resolve(vendor: String?, cvssVectors: [String]) -> Severity {
        if let vendor, let severity = Severity(vendorWord: vendor) { return severity }
        let scores = cvssVectors.compactMap { try? CVSSv3(vector: $0).baseScore }
        guard let best = scores.max() else { return .unknown }
        return Severity(cvssScore: best)
    }
}
