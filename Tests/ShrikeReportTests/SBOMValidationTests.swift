import Foundation
import ShrikeCatalog
import Testing
@testable import ShrikeReport

/// The peers' own validators, from `.venv-validators/` (made by `scripts/validators.sh`, which `make test` runs first).
enum Validators {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = repoRoot.appendingPathComponent(".venv-validators/bin/python")
    static let pyspdxtools = repoRoot.appendingPathComponent(".venv-validators/bin/pyspdxtools")
    static let cyclonedxScript = repoRoot.appendingPathComponent("scripts/validate_cyclonedx.py")

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: python.path)
            && FileManager.default.isExecutableFile(atPath: pyspdxtools.path)
    }

    static let missing = "validators not installed: run scripts/validators.sh to create .venv-validators/"

    struct Result {
        let status: Int32
        let output: String
    }

    /// Writes `bytes` to a temporary file and runs `tool arguments… FILE` on it.
    static func run(_ tool: URL, _ arguments: [String], on bytes: [UInt8], suffix: String) throws -> Result {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("shrike-validate-\(UUID().uuidString)\(suffix)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments + [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }

    static func cyclonedx(_ bytes: [UInt8]) throws -> Result {
        try run(python, [cyclonedxScript.path], on: bytes, suffix: ".cdx.json")
    }

    static func spdx(_ bytes: [UInt8]) throws -> Result {
        try run(pyspdxtools, ["-i"], on: bytes, suffix: ".spdx.json")
    }
}

@Suite("SBOM documents pass the official validators", .enabled(if: Validators.available, Comment(rawValue: Validators.missing)))
struct SBOMValidationTests {
    @Test("CycloneDX 1.6 strict schema validation", arguments: SBOMFixture.allCases)
    func cyclonedx(_ fixture: SBOMFixture) throws {
        let result = try Validators.cyclonedx(try CycloneDXWriter().write(fixture.sbom))
        #expect(result.status == 0, "\(fixture): \(result.output)")
    }

    @Test("SPDX 2.3 validation with pyspdxtools", arguments: SBOMFixture.allCases)
    func spdx(_ fixture: SBOMFixture) throws {
        let result = try Validators.spdx(try SPDXWriter().write(fixture.sbom))
        #expect(result.status == 0, "\(fixture): \(result.output)")
    }

    @Test("Shrike's JSON is well-formed and CycloneDX rejects it")
    func ownJSONIsNotCycloneDX() throws {
        let result = try Validators.cyclonedx(try SBOMJSONWriter().write(SBOMFixtures.image))
        #expect(result.status != 0)
    }

    /// Proves the validators can fail here, so a green run means something.
    @Test("a broken CycloneDX document fails validation")
    func brokenCycloneDX() throws {
        var text = String(decoding: try CycloneDXWriter().write(SBOMFixtures.image), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"type\" : \"library\"", with: "\"type\" : \"librar\"")
        let result = try Validators.cyclonedx(Array(text.utf8))
        #expect(result.status != 0)
        #expect(result.output.contains("librar"), "\(result.output)")
    }

    @Test("a broken SPDX document fails validation")
    func brokenSPDX() throws {
        var text = String(decoding: try SPDXWriter().write(SBOMFixtures.image), as: UTF8.self)
        text = text.replacingOccurrences(of: "LicenseRef-GPLv3-plus", with: "GPLv3+")
        let result = try Validators.spdx(Array(text.utf8))
        #expect(result.status != 0)
        #expect(result.output.contains("GPLv3+"), "\(result.output)")
    }
}
