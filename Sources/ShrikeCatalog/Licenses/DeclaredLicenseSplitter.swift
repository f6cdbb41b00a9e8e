/// Turns a license field as package databases write it into the list Shrike reports.
///
/// A field that reads as an SPDX expression (`MPL-2.0 AND MIT`, `GPL-2.0-or-later WITH Classpath-exception-2.0`)
/// is one license entry, kept whole. Anything else with several words is the older space-separated list
/// (Alpine before 3.12 wrote `MIT BSD GPL2+`) and becomes one entry per word. This is what syft does too, so the
/// two tools' SBOMs agree.
enum DeclaredLicenseSplitter {
    static func split(_ raw: String?) -> [String] {
        guard let raw else { return [] }
        let words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).map(String.init)
        guard !words.isEmpty else { return [] }
        if words.count == 1 { return words }
        let operators: Set<String> = ["AND", "OR", "WITH"]
        if words.contains(where: { operators.contains($0.uppercased()) }) || raw.contains("(") {
            return [words.joined(separator: " ")]
        }
        return words
    }
}
