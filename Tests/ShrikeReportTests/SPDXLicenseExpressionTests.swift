import Testing
@testable import ShrikeReport

@Suite("SPDX license expressions")
struct SPDXLicenseExpressionTests {
    static let valid: [(String, String)] = [
        ("MIT", "MIT"),
        ("mit", "MIT"),
        ("GPL-2.0-only", "GPL-2.0-only"),
        ("GPL-2.0+", "GPL-2.0+"),
        ("lgpl-2.1+", "LGPL-2.1+"),
        ("GPL-2.0-or-later AND MIT", "GPL-2.0-or-later AND MIT"),
        ("MIT and BSD-3-Clause", "MIT AND BSD-3-Clause"),
        ("MIT OR Apache-2.0 AND Zlib", "MIT OR Apache-2.0 AND Zlib"),
        ("(MIT OR Apache-2.0) AND Zlib", "(MIT OR Apache-2.0) AND Zlib"),
        ("((MIT))", "MIT"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0"),
        ("GPL-2.0-or-later with gcc-exception-3.1 OR MIT", "GPL-2.0-or-later WITH GCC-exception-3.1 OR MIT"),
    ]

    @Test("valid expressions parse and print canonically", arguments: valid)
    func parses(_ input: String, _ expected: String) throws {
        let expression = try #require(SPDXLicenseExpression(parsing: input))
        #expect(expression.description == expected)
    }

    static let invalid = [
        "", "GPLv2+", "GPL-2+", "BSD", "ASL 2.0", "MIT and BSD", "MIT OR", "AND MIT", "(MIT", "MIT)", "MIT MIT",
        "MIT WITH Apache-2.0", "Classpath-exception-2.0", "LicenseRef-foo", "MIT/X11", "Public Domain", "MIT,BSD",
        "GPL-2.0-only WITH", "(MIT) WITH Classpath-exception-2.0", "Apache-2.0+", "MIT+",
    ]

    @Test("strings that are not SPDX expressions do not parse", arguments: invalid)
    func rejects(_ input: String) {
        #expect(SPDXLicenseExpression(parsing: input) == nil)
    }

    @Test("only a plain listed id is a single license id")
    func singleID() {
        #expect(SPDXLicenseExpression(parsing: "mit")?.singleLicenseID == "MIT")
        #expect(SPDXLicenseExpression(parsing: "GPL-2.0+")?.singleLicenseID == "GPL-2.0+")
        #expect(SPDXLicenseExpression(parsing: "MIT AND Zlib")?.singleLicenseID == nil)
        #expect(SPDXLicenseExpression(parsing: "GPL-2.0-only WITH Classpath-exception-2.0")?.singleLicenseID == nil)
    }

    @Test("ANDing expressions parenthesises OR terms")
    func all() throws {
        let parts = try ["MIT", "Zlib OR Apache-2.0", "BSD-2-Clause AND ISC"].map {
            try #require(SPDXLicenseExpression(parsing: $0))
        }
        #expect(SPDXLicenseExpression.all(parts)?.description == "MIT AND (Zlib OR Apache-2.0) AND BSD-2-Clause AND ISC")
        #expect(SPDXLicenseExpression.all([]) == nil)
    }

    @Test("the embedded list is the generated one")
    func listSize() {
        #expect(SPDXLicenseList.licenseIDs.count > 600)
        #expect(SPDXLicenseList.exceptionIDs.count > 50)
        #expect(Set(SPDXLicenseList.licenseIDs).isDisjoint(with: SPDXLicenseList.exceptionIDs))
    }
}
