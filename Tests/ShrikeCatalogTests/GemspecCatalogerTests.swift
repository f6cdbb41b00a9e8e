import Foundation
import Testing
import ShrikeCatalog
import ShrikeTestSupport

/// Installed gems from their specifications: Debian's real ruby-rack and hand-written RubyGems output.
@Suite struct GemspecCatalogerTests {
    let cataloger = GemspecCataloger()

    @Test("Debian's ruby-rack: a gemspec under rubygems-integration",
          .enabled(if: LanguageFixtures.debianPackages != nil, "apt-get download of the test .debs failed (no network?)"))
    func debianRack() throws {
        let deb = try #require(LanguageFixtures.debianPackages?["ruby-rack"])
        let (fs, root) = try LanguageTestSupport.directoryRoot { try LanguageFixtures.unpackDebian(deb, into: $0) }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let packages = try cataloger.catalog(fs, distro: nil)
        // The version is read from the gemspec, not from the Debian version (2.2.22-0+deb12u2).
        #expect(LanguageTestSupport.summary(packages) == ["rack 2.2.22 pkg:gem/rack@2.2.22"])
        #expect(packages.first?.licenses == ["MIT"])
        #expect(packages.first?.locations == ["/usr/share/rubygems-integration/all/specifications/rack-2.2.22.gemspec"])
    }

    @Test("RubyGems' spellings: freeze, single quotes, %q{}, default gems; computed names are not evaluated")
    func spellings() throws {
        let packages = try LanguageTestSupport.catalogBothWays(cataloger, files: [
            "/usr/local/bundle/specifications/nokogiri-1.13.10-x86_64-linux.gemspec": """
            # -*- encoding: utf-8 -*-
            Gem::Specification.new do |s|
              s.name = "nokogiri".freeze
              s.version = "1.13.10"
              s.platform = "x86_64-linux".freeze
              s.licenses = ["MIT".freeze]
              s.add_runtime_dependency(%q<racc>.freeze, ["~> 1.4"])
            end
            """,
            "/usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec": """
            Gem::Specification.new do |spec|
              spec.name = 'json'
              spec.version = '2.6.1'
              spec.license = 'Ruby'
            end
            """,
            "/var/lib/gems/2.7.0/specifications/old-0.1.gemspec": "Gem::Specification.new do |s|\n  s.name = %q{old}\n  s.version = %q{0.1}\nend\n",
            "/var/lib/gems/2.7.0/specifications/computed.gemspec": "Gem::Specification.new do |s|\n  s.name = NAME\n  s.version = VERSION\nend\n",
            "/src/app/app.gemspec": "Gem::Specification.new do |s|\n  s.name = \"app\"\n  s.version = \"1.0\"\nend\n",
        ])
        #expect(LanguageTestSupport.summary(packages) == [
            "json 2.6.1 pkg:gem/json@2.6.1", "nokogiri 1.13.10 pkg:gem/nokogiri@1.13.10", "old 0.1 pkg:gem/old@0.1",
        ])
        #expect(packages.first { $0.name == "json" }?.licenses == ["Ruby"])
    }
}
