import Testing
import ShrikeCatalog
import ShrikeTestSupport

/// composer.lock: packages and packages-dev; lockfiles under vendor/ are not the project's.
@Suite struct ComposerLockCatalogerTests {
    @Test("packages and packages-dev")
    func lock() throws {
        let packages = try LanguageTestSupport.catalogBothWays(ComposerLockCataloger(), files: [
            "/src/composer.lock": """
            {
                "_readme": ["This file locks the dependencies of your project to a known state"],
                "content-hash": "abc",
                "packages": [{"name": "laravel/framework", "version": "v8.83.27", "license": ["MIT"]}],
                "packages-dev": [{"name": "phpunit/phpunit", "version": "9.5.10", "license": ["BSD-3-Clause"]}],
                "platform": {"php": "^8.0"}
            }
            """,
            "/src/vendor/x/y/composer.lock": #"{"packages": [{"name": "x/y", "version": "1.0.0"}]}"#,
        ])
        #expect(LanguageTestSupport.summary(packages) == [
            "laravel/framework v8.83.27 pkg:composer/laravel/framework@v8.83.27",
            "phpunit/phpunit 9.5.10 pkg:composer/phpunit/phpunit@9.5.10",
        ])
    }
}
