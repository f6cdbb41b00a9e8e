import Foundation
import ShrikeCore
import ShrikeTestSupport
@testable import ShrikeSupplyChain

/// Fixture files, temporary OCI layouts and byte helpers shared by the supply-chain tests.
enum SupplyChainFixtures {
    static let directory = RepositoryFiles.path("Tests/ShrikeSupplyChainTests/Fixtures")

    static func path(_ name: String) -> String { directory + "/" + name }

    static func text(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    /// A fresh temporary directory, removed by the caller's `defer`.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-supply-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes a one-layer OCI layout tagged `tag` into a new directory under `parent`; returns the layout path.
    static func layout(in parent: String, name: String = "image", tag: String = "1.0", user: String? = nil,
                       labels: [String: String] = [:], content: String = "hello") throws -> String {
        let layer = LayerFixture([.file("etc/motd", content)])
        let fixture = ImageFixture(layers: [layer], tags: ["example.com/team/app:\(tag)"], user: user, labels: labels)
        let path = parent + "/" + name
        try ImageFixtureBuilder(fixture).writeOCILayout(to: path)
        return path
    }

    static func hex(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }

    static func hexString(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// A key that loads fast (no scrypt): the plain PKCS#8 test key from cosign's repository.
    static func plainKey() throws -> SigningKey {
        try SigningKey(pem: try text("cosign-validecpkcs8.pem")) { [] }
    }

    static func otherKey() throws -> SigningKey {
        try SigningKey(pem: try text("cosign-validecp256.pem")) { [] }
    }
}
