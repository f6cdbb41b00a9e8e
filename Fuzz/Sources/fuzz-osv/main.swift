import AdvisoryFuzzing

// OSV records as JSON (`.json`): OSVParser with its distro ecosystems, and the JSON shapes the path importer
// tells apart by content: Alpine and Wolfi/Chainguard secdb, the Debian security tracker export.
let target = AdvisoryFuzzTarget(file: "input.json")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target.run(data, size)
}
