import AdvisoryFuzzing

// Gzipped advisory XML (`.xml.gz`, yum's `updateinfo.xml.gz`): the gunzip step, then OVAL or updateinfo.
let target = AdvisoryFuzzTarget(file: "input.xml.gz")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target.run(data, size)
}

// Mutates the XML inside the gzip, not only the compressed bytes (see GzipMutator).
@_cdecl("LLVMFuzzerCustomMutator")
public func mutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    GzipMutator.mutate(data, size, maxSize, seed)
}
