import AdvisoryFuzzing

// A `.tar.gz` of advisory data (AdvisoryArchive: gzip, tar, the path checks), unpacked and imported as a directory.
let target = AdvisoryFuzzTarget(file: "input.tar.gz")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target.run(data, size)
}

// Mutates the tar inside the gzip, not only the compressed bytes (see GzipMutator).
@_cdecl("LLVMFuzzerCustomMutator")
public func mutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    GzipMutator.mutate(data, size, maxSize, seed)
}
