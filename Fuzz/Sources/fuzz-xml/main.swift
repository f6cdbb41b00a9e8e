import AdvisoryFuzzing

// Advisory XML (`.xml`): OVAL (OVALParser, all vendors) and yum updateinfo (UpdateInfoParser), chosen by the root element.
let target = AdvisoryFuzzTarget(file: "input.xml")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    target.run(data, size)
}
