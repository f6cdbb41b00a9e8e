import ShrikeLint

// Any bytes through the Dockerfile parser and every lint rule: a file, an error with a code, never a crash, a hang
// or unbounded memory (the parser's line and file limits bound the work).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let linter = DockerfileLinter(configuration: LintConfiguration(trustedRegistries: ["docker.io", "*.example.com"]))
    if let findings = try? linter.lint(bytes: bytes, file: "Dockerfile") {
        for finding in findings { precondition(finding.line >= 1 && finding.line <= size + 1) }
    }
    return 0
}
