import Foundation
import ShrikeAnalyze
import ShrikeImage
import ShrikeTestSupport
import Testing

/// An image built by a real `podman build` (the flags of FIELD-NOTES.md) on the bundled Alpine minirootfs.
@Suite("A real podman build: waste as podman lays it out")
struct PodmanBuildTests {
    static let podman = ["/usr/bin/podman", "--cgroup-manager=cgroupfs", "--events-backend=file", "--runtime", "runc"]
    static var skipReason: String? {
        if getuid() != 0 { return "needs root for podman" }
        if !FileManager.default.isExecutableFile(atPath: "/usr/bin/podman") { return "podman is not installed (apt-get install podman)" }
        if !FileManager.default.fileExists(atPath: RepositoryFiles.alpineRootfs("3.20.3")) { return "the Alpine rootfs fixture is missing" }
        return nil
    }

    @discardableResult
    static func run(_ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw PodmanFailure(command: arguments.joined(separator: " "), output: text)
        }
        return text
    }

    struct PodmanFailure: Error, CustomStringConvertible {
        var command: String
        var output: String
        var description: String { "\(command) failed: \(output.suffix(2000))" }
    }

    @Test("a deleted file, a removed directory and an overwrite in a podman-built image")
    func podmanBuild() throws {
        if let reason = Self.skipReason {
            print("skipped: \(reason)")
            return
        }
        let dir = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tag = "localhost/shrike-analyze-test:\(UInt32.random(in: 0...UInt32.max))"
        let base = tag + "-base"
        try Self.run(["/bin/sh", "-c", "gzip -dc \(RepositoryFiles.alpineRootfs("3.20.3")) | \(Self.podman.joined(separator: " ")) import - \(base)"])
        defer {
            _ = try? Self.run(Self.podman + ["rmi", "-f", tag])
            _ = try? Self.run(Self.podman + ["rmi", "-f", base])
        }
        let containerfile = """
            FROM \(base)
            RUN head -c 1000000 /dev/urandom > /big.bin && mkdir -p /opt/tree && head -c 300000 /dev/urandom > /opt/tree/a \\
                && head -c 200000 /dev/urandom > /opt/tree/b && head -c 50000 /dev/urandom > /etc/conf.bin
            RUN rm /big.bin && rm -rf /opt/tree && head -c 50000 /dev/urandom > /etc/conf.bin
            CMD ["/bin/sh"]
            """
        try containerfile.write(toFile: dir + "/Containerfile", atomically: true, encoding: .utf8)
        try Self.run(Self.podman + ["build", "--network=none", "--ulimit", "nofile=4096:4096", "--ulimit", "nproc=4096:4096",
                                    "-t", tag, "-f", dir + "/Containerfile", dir])
        try Self.run(Self.podman + ["save", "--format", "docker-archive", "-o", dir + "/image.tar", tag])

        let report = try ImageAnalyzer.analyze(.dockerArchive(path: dir + "/image.tar", tag: nil))
        let layers = report.layers.count
        #expect(layers == 3)
        let expected: [(String, Int64, Int, WasteCause)] = [
            ("/big.bin", 1_000_000, 1, .deleted), ("/opt/tree", 500_000, 2, .deleted), ("/etc/conf.bin", 50_000, 1, .overwritten),
        ]
        for (path, bytes, files, cause) in expected {
            let item = report.waste.first { $0.path == path }
            #expect(item?.bytes == bytes, "\(path): \(report.waste)")
            #expect(item?.files == files)
            #expect(item?.cause == cause)
            #expect(item?.addedBy == layers - 2)
            #expect(item?.removedBy == layers - 1)
        }
        let summary = try #require(report.summary)
        #expect(summary.wastedBytes == 1_550_000)
        #expect(summary.efficiency == Double(summary.totalBytes - 1_550_000) / Double(summary.totalBytes))
        #expect(report.layers[layers - 1].createdBy?.contains("rm -rf /opt/tree") == true)
        #expect(report.findings.contains { $0.kind == .removedInLaterLayer && $0.bytes == 1_500_000 })
    }
}
