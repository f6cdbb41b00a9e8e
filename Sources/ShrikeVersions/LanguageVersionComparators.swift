import ShrikeCore

/// Comparators for language ecosystems.
enum LanguageVersionComparators {
    static let all: [Ecosystem: any VersionComparator] = [:]
}
