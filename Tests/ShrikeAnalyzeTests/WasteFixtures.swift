import Foundation
import ShrikeAnalyze
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

typealias Entry = ShrikeTestSupport.TarEntry

/// Bytes of a given size whose content depends on `seed`, so files of equal size differ unless meant to match.
func filler(_ size: Int, seed: UInt8) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: size)
    var state = UInt32(seed) &* 2_654_435_761 &+ 1
    for i in 0..<size {
        state = state &* 1_103_515_245 &+ 12_345
        bytes[i] = UInt8(truncatingIfNeeded: state >> 16)
    }
    return bytes
}

/// The image whose waste is known by construction (docs/analyze.md walks through it):
///
/// - layers 0–1 are a two-layer Debian base (`ADD file:… in /`, then a RUN, then `CMD ["bash"]`); layer 1 deletes a
///   50,000-byte .deb that layer 0 left (base waste);
/// - layer 2 adds a 10 MB file, a 5 MB file, a 3 MB directory of three files, /srv/data (500,000 bytes), an apt
///   list of 400,000 bytes and /app/one.bin (70,000 bytes);
/// - layer 3 deletes the 10 MB file, rewrites the 5 MB file, removes the 3 MB directory (one whiteout), makes
///   /srv/data opaque (adding c.bin, 100 bytes) and adds /app/two.bin with one.bin's content (a duplicate);
/// - layer 4 re-writes /app/one.bin unchanged but owned by uid 1000 (`chown`).
enum WasteFixtures {
    static let osRelease = Array("ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n".utf8)
    static let shell = filler(1_000, seed: 1)
    static let copyright = filler(1_000, seed: 2)
    static let deb = filler(50_000, seed: 3)
    static let baseLib = filler(2_000, seed: 4)
    static let big = filler(10_000_000, seed: 5)
    static let config = filler(5_000_000, seed: 6)
    static let configV2 = filler(5_000_000, seed: 7)
    static let tree = (0..<3).map { filler(1_000_000, seed: 8 + UInt8($0)) }
    static let dataA = filler(200_000, seed: 11)
    static let dataB = filler(300_000, seed: 12)
    static let dataC = filler(100, seed: 13)
    static let aptList = filler(400_000, seed: 14)
    static let one = filler(70_000, seed: 15)

    static let layers: [LayerFixture] = [
        LayerFixture([.file("etc/os-release", bytes: osRelease), .file("bin/sh", bytes: shell, mode: 0o755),
                      .file("usr/share/doc/base/copyright", bytes: copyright),
                      .file("var/cache/apt/archives/base_1.0_amd64.deb", bytes: deb)],
                     createdBy: "/bin/sh -c #(nop) ADD file:4b3b3bd2ef9b6b07b4c8d9f5a0e1 in / ", dotSlashPrefix: true),
        LayerFixture([.file("usr/lib/base.so", bytes: baseLib), .whiteout("var/cache/apt/archives/base_1.0_amd64.deb")],
                     createdBy: "/bin/sh -c apt-get install -y base-libs && apt-get clean", dotSlashPrefix: true),
        LayerFixture([.file("tmp/big.bin", bytes: big), .file("app/config.bin", bytes: config),
                      .file("opt/tree/a", bytes: tree[0]), .file("opt/tree/b", bytes: tree[1]), .file("opt/tree/sub/c", bytes: tree[2]),
                      .file("srv/data/a.bin", bytes: dataA), .file("srv/data/b.bin", bytes: dataB),
                      .file("var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages", bytes: aptList),
                      .file("app/one.bin", bytes: one)],
                     createdBy: "RUN /bin/sh -c apt-get update && curl -o /tmp/big.bin https://example.invalid/big # buildkit"),
        LayerFixture([.whiteout("tmp/big.bin"), .file("app/config.bin", bytes: configV2), .whiteout("opt/tree"),
                      .opaqueWhiteout("srv/data"), .file("srv/data/c.bin", bytes: dataC), .file("app/two.bin", bytes: one)],
                     createdBy: "RUN /bin/sh -c rm -rf /tmp/big.bin /opt/tree /srv/data/* && ./configure # buildkit"),
        LayerFixture([.file("app/one.bin", bytes: one, uid: 1000, gid: 1000)],
                     createdBy: "RUN /bin/sh -c chown -R 1000:1000 /app/one.bin # buildkit"),
    ]

    static var fixture: ImageFixture {
        var layers = layers
        layers[1].emptyStepsAfter = [#"/bin/sh -c #(nop)  CMD ["bash"]"#]
        layers[4].emptyStepsAfter = [#"CMD ["/app/run"]"#]
        return ImageFixture(layers: layers, tags: ["shrike/waste:1"])
    }

    /// Every byte of every layer's files (hard links none).
    static var totalBytes: Int64 {
        let files: [[UInt8]] = [osRelease, shell, copyright, deb, baseLib, big, config, configV2, dataA, dataB, dataC,
                                aptList, one, one, one]
        let counts: [Int] = (files + tree).map(\.count)
        return Int64(counts.reduce(0, +))
    }

    /// The waste as constructed: (path the removal named, bytes, files, cause, added by, removed by).
    static let expectedWaste: [(String, Int64, Int, WasteCause, Int, Int)] = [
        ("/tmp/big.bin", 10_000_000, 1, .deleted, 2, 3),
        ("/app/config.bin", 5_000_000, 1, .overwritten, 2, 3),
        ("/opt/tree", 3_000_000, 3, .deleted, 2, 3),
        ("/srv/data", 500_000, 2, .hiddenByOpaqueDirectory, 2, 3),
        ("/app/one.bin", 70_000, 1, .overwritten, 2, 4),
        ("/var/cache/apt/archives/base_1.0_amd64.deb", 50_000, 1, .deleted, 0, 1),
    ]
    static var wastedBytes: Int64 { expectedWaste.reduce(0) { $0 + $1.1 } }
    static var baseWastedBytes: Int64 { 50_000 }

    /// Writes the fixture as a docker-archive under a new temporary directory and analyses it.
    static func analyze(_ fixture: ImageFixture = fixture, format: ImageSourceFixtures.Format = .dockerArchiveClassic,
                        options: AnalysisOptions = AnalysisOptions()) throws -> AnalysisReport {
        let dir = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = try ImageSourceFixtures.write(try ImageFixtureBuilder(fixture), as: format, in: dir)
        return try ImageAnalyzer.analyze(target, options: options)
    }

    /// The report through its JSON form, as `shrike analyze -o json` prints it.
    static func json(_ report: AnalysisReport) throws -> [String: Any] {
        let bytes = try AnalysisJSONRenderer.render(report)
        return try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] ?? [:]
    }
}
