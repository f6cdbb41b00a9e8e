// swift-tools-version: 6.0
import PackageDescription

// libFuzzer targets for Shrike's parsers of untrusted bytes (docs/fuzzing.md). A package of its own so that the main
// build never compiles with the fuzzer's instrumentation; build it with `make fuzz` or, by hand,
//   swift build --package-path Fuzz -c debug --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address
// (the last flag because the Swift driver keeps only the last of SwiftPM's two `-sanitize=` flags, which leaves the
// Swift code without AddressSanitizer).

// A path dependency is identified by its directory's name, which is whatever the clone was called.
let shrike = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "shrike"

/// One executable per fuzz target: `Sources/<name>/main.swift` exports `LLVMFuzzerTestOneInput`.
let advisoryTargets = [
    "fuzz-osv", "fuzz-advisory-yaml", "fuzz-xml", "fuzz-xml-gz", "fuzz-ubuntu-tracker", "fuzz-advisory-archive",
]

let package = Package(
    name: "shrike-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "..")],
    targets: [
        // The harness the advisory targets share: the bytes written to a file in a private scratch directory and
        // imported through the public `AdvisoryPathImporter` (the parsers themselves are internal to ShrikeVulnDB).
        .target(
            name: "AdvisoryFuzzing",
            dependencies: [
                "CLibFuzzer",
                .product(name: "ShrikeCore", package: shrike),
                // The gzip reader, for the custom mutator of the .xml.gz and .tar.gz targets.
                .product(name: "ShrikeImage", package: shrike),
                // ShrikeVulnDB is not a product of its own; ShrikeReport's product carries it.
                .product(name: "ShrikeReport", package: shrike),
            ]
        ),
        // The declaration of libFuzzer's LLVMFuzzerMutate, which custom mutators call.
        .target(name: "CLibFuzzer"),
        // Dockerfiles through `shrike lint`'s parser and rules (ShrikeLint has a product of its own).
        .executableTarget(name: "fuzz-dockerfile", dependencies: [.product(name: "ShrikeLint", package: shrike)]),
        // The server's ingest batches: what any holder of an agent token can send.
        .executableTarget(name: "fuzz-ingest-batch", dependencies: [.product(name: "ShrikeServer", package: shrike)]),
    ] + advisoryTargets.map { .executableTarget(name: $0, dependencies: ["AdvisoryFuzzing"]) },
    swiftLanguageModes: [.v6]
)
