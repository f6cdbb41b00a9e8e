import Testing
import ShrikeCatalog
import ShrikeTestSupport

/// Composer's vendor/composer/installed.json in both shapes.
@Suite struct ComposerInstalledCatalogerTests {
    static let composer2 = """
    {
        "packages": [
            {"name": "monolog/monolog", "version": "2.3.5", "version_normalized": "2.3.5.0", "type": "library",
             "license": ["MIT"], "install-path": "../monolog/monolog"},
            {"name": "symfony/http-foundation", "version": "v5.4.3", "version_normalized": "5.4.3.0", "license": ["MIT"]}
        ],
        "dev": true,
        "dev-package-names": []
    }
    """
    static let composer1 = """
    [
        {"name": "guzzlehttp/guzzle", "version": "6.5.5", "license": ["MIT"]},
        {"name": "broken"}
    ]
    """

    @Test("Composer 2 object and Composer 1 array")
    func installed() throws {
        let packages = try LanguageTestSupport.catalogBothWays(ComposerInstalledCataloger(), files: [
            "/var/www/app/vendor/composer/installed.json": Self.composer2,
            "/srv/old/vendor/composer/installed.json": Self.composer1,
            "/var/www/app/composer.json": #"{"name": "me/app"}"#,
        ])
        #expect(LanguageTestSupport.summary(packages) == [
            "guzzlehttp/guzzle 6.5.5 pkg:composer/guzzlehttp/guzzle@6.5.5", "monolog/monolog 2.3.5 pkg:composer/monolog/monolog@2.3.5",
            "symfony/http-foundation v5.4.3 pkg:composer/symfony/http-foundation@v5.4.3",
        ])
        #expect(packages.allSatisfy { $0.type == .php && $0.licenses == ["MIT"] })
    }
}
