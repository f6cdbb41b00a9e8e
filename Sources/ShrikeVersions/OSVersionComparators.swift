import ShrikeCore

/// Comparators for distribution package managers.
enum OSVersionComparators {
    static let all: [Ecosystem: any VersionComparator] = [
        .debian: DpkgVersionComparator(),
        .alpine: ApkVersionComparator(),
        .redHat: RpmVersionComparator(),
    ]
}
