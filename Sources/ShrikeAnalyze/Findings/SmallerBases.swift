/// Sizes of smaller base images, with where each number comes from, for the smaller-base finding.
enum SmallerBases {
    struct Base: Sendable {
        var reference: String
        /// Uncompressed content bytes (what the image adds to a final tree).
        var bytes: Int64
        var source: String
        var note: String
    }

    static let all: [Base] = [
        Base(reference: "debian:12-slim", bytes: 74_800_000,
             source: "Docker Hub, debian:bookworm-slim linux/amd64 (~28 MB compressed, ~75 MB unpacked), as listed in 2024",
             note: "same packages and apt, without docs and locales"),
        Base(reference: "alpine:3.20", bytes: 7_792_915,
             source: "measured: the file bytes of alpine-minirootfs-3.20.3-x86_64.tar.gz bundled in Tests/ShrikeCatalogTests/Fixtures/rootfs (3,490,290 bytes compressed)",
             note: "musl instead of glibc: binaries built against glibc need rebuilding"),
        Base(reference: "gcr.io/distroless/static-debian12", bytes: 2 << 20,
             source: "the distroless README (github.com/GoogleContainerTools/distroless, 2024): \"around 2 MiB\"",
             note: "no shell or package manager; for static binaries (Go, Rust); distroless/base-debian12 adds glibc and openssl"),
    ]

    /// The finding for a Debian or Ubuntu base, nil for other distributions or when there is no base to replace.
    static func finding(_ context: FindingContext) -> Finding? {
        guard let distro = context.distro, ["debian", "ubuntu"].contains(distro), context.baseLayers > 0 else { return nil }
        let alternatives = all.filter { $0.bytes < context.baseBytes }
        guard let first = alternatives.first else { return nil }
        let named = "\(distro)\(context.distroVersion.map { ":" + $0 } ?? "")"
        let list = alternatives.map {
            "`\($0.reference)` ≈ \(ByteFormat.human($0.bytes)) (\($0.note); source: \($0.source))"
        }.joined(separator: "; ")
        let packages = context.packages.isEmpty ? "" : " holding \(context.packages.count) packages"
        return Finding(
            kind: .smallerBase, rule: "debian-family-base",
            title: "the base is \(named): \(ByteFormat.human(context.baseBytes)) in \(context.baseLayers) layer(s)\(packages)",
            fix: "if the application needs only a few of those packages, start from a smaller base: \(list)",
            bytes: context.baseBytes - first.bytes, layers: Array(0..<context.baseLayers), paths: [], inBase: true)
    }
}
