import Testing
import ShrikeCatalog
import ShrikeTestSupport

/// Gemfile.lock: GEM and GIT specs, PATH skipped, platform suffixes dropped.
@Suite struct GemfileLockCatalogerTests {
    static let lock = """
    GIT
      remote: https://github.com/rails/rails.git
      revision: 0123456789abcdef
      branch: main
      specs:
        actionpack (7.1.0.alpha)
          rack (>= 2.2.4)

    PATH
      remote: .
      specs:
        myapp (0.1.0)
          rack

    GEM
      remote: https://rubygems.org/
      specs:
        nokogiri (1.13.10-x86_64-linux)
          racc (~> 1.4)
        racc (1.6.2)
        rack (2.2.4)

    PLATFORMS
      x86_64-linux

    DEPENDENCIES
      myapp!
      nokogiri
      rack (= 2.2.4)

    BUNDLED WITH
       2.4.10
    """

    @Test("specs of GEM and GIT sections")
    func gemfileLock() throws {
        let packages = try LanguageTestSupport.catalogBothWays(GemfileLockCataloger(), files: ["/src/Gemfile.lock": Self.lock])
        #expect(LanguageTestSupport.summary(packages) == [
            "actionpack 7.1.0.alpha pkg:gem/actionpack@7.1.0.alpha", "nokogiri 1.13.10 pkg:gem/nokogiri@1.13.10",
            "racc 1.6.2 pkg:gem/racc@1.6.2", "rack 2.2.4 pkg:gem/rack@2.2.4",
        ])
        #expect(packages.allSatisfy { $0.type == .ruby })
    }
}
