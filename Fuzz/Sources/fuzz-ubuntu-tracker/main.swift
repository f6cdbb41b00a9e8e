import AdvisoryFuzzing

// One Ubuntu CVE Tracker file (UbuntuTrackerParser), imported as `active/CVE-2020-0001` of a tracker tree.
let target = AdvisoryFuzzTarget.ubuntuTracker()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target.run(data, size)
}
