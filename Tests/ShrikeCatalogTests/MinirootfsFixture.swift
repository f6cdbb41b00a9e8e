import Foundation

/// Reads single files out of the Alpine minirootfs tarballs in `Fixtures/rootfs` with the system's tar.
///
/// Parser tests only need one or two files; the image tests read whole tarballs through Shrike's own tar reader.
enum MinirootfsFixture {
    static let alpine396 = "alpine-minirootfs-3.9.6-x86_64.tar.gz"
    static let alpine3203 = "alpine-minirootfs-3.20.3-x86_64.tar.gz"

    static var tarAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/bin/tar") }

    struct ExtractionFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// The bytes of `member` (named as in the archive, with its leading `./`).
    static func extract(_ member: String, from archive: String) throws -> [UInt8] {
        guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw ExtractionFailed(description: "Fixtures folder missing from the test bundle")
        }
        let path = fixtures.appendingPathComponent("rootfs").appendingPathComponent(archive).path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/tar")
        process.arguments = ["-xzf", path, "-O", member]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ExtractionFailed(description: "tar could not extract \(member) from \(archive)")
        }
        return Array(data)
    }
}
