import AdvisoryFuzzing

// Advisory YAML (`.yaml`): OSV YAML (PyPI), Alpine secdb YAML and Wolfi advisories files, told apart by content.
let target = AdvisoryFuzzTarget(file: "input.yaml")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target.run(data, size)
}
