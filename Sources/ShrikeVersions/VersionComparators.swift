import ShrikeCore

/// Which comparator serves which ecosystem. Each comparator lives in its own file (`DpkgVersion.swift`, …);
/// `OSVersionComparators` and `LanguageVersionComparators` list them.
enum VersionComparators {
    static let table: [Ecosystem: any VersionComparator] =
        OSVersionComparators.all.merging(LanguageVersionComparators.all) { os, _ in os }
}
