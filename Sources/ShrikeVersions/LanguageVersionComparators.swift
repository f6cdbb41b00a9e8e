import ShrikeCore

/// Comparators for language ecosystems.
enum LanguageVersionComparators {
    static let all: [Ecosystem: any VersionComparator] = [
        .pypi: ParsedVersionComparator<PEP440Version>(),
        .npm: ParsedVersionComparator<SemanticVersion>(),
        .cratesIO: ParsedVersionComparator<SemanticVersion>(),
        .hex: ParsedVersionComparator<SemanticVersion>(),
        .go: ParsedVersionComparator<GoVersion>(),
        .maven: ParsedVersionComparator<MavenVersion>(),
        .rubyGems: ParsedVersionComparator<RubyGemsVersion>(),
        .packagist: ParsedVersionComparator<PackagistVersion>(),
        .nuget: ParsedVersionComparator<NuGetVersion>(),
    ]
}
