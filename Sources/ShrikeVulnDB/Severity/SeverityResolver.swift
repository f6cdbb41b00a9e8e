import ShrikeCore

/// Picks one severity for an advisory: the vendor's own word when it gives one, else the highest CVSS v3 base score
/// among the published vectors, else (when only v4.0 vectors are given) the highest CVSS v4.0 base score, else
/// `unknown`.
///
/// v3 is preferred over v4 when both are present because that is the score most advisories (and NVD) show next to
/// the record; unparsable vectors are ignored.
public enum SeverityResolver {
    public static func resolve(vendor: String?, cvssVectors: [String]) -> Severity {
        if let vendor, let severity = Severity(vendorWord: vendor) { return severity }
        if let best = cvssVectors.compactMap({ try? CVSSv3(vector: $0).baseScore }).max() {
            return Severity(cvssScore: best)
        }
        if let best = cvssVectors.compactMap({ try? CVSSv4(vector: $0).baseScore }).max() {
            return Severity(cvssScore: best)
        }
        return .unknown
    }
}
