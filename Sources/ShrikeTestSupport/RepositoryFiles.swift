import Foundation

/// Locates files committed to this repository (fixtures), independent of the working directory tests run in.
public enum RepositoryFiles {
    /// The repository root, found from this source file's location.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        // Sources/ShrikeTestSupport/RepositoryFiles.swift → repository root.
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A path below the repository root.
    public static func path(_ relative: String) -> String { root + "/" + relative }

    /// The real Alpine minirootfs tarballs bundled as fixtures (see the PROVENANCE.md beside them).
    public static func alpineRootfs(_ version: String) -> String {
        path("Tests/ShrikeCatalogTests/Fixtures/rootfs/alpine-minirootfs-\(version)-x86_64.tar.gz")
    }
}

/// Runs a program and returns its standard output; for tests that compare Shrike with a real tool.
public enum ExternalTool {
    /// The full path of `name` on PATH, or nil when it is not installed.
    public static func find(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin") + ":/usr/sbin:/sbin"
        for dir in paths.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `arguments[0]` (looked up on PATH) with the rest as arguments; `environment` is merged into this process's.
    @discardableResult
    public static func run(_ arguments: [String], input: [UInt8]? = nil, environment: [String: String]? = nil) throws -> Result {
        guard let first = arguments.first else { throw CocoaError(.executableNotLoadable) }
        let merged = environment.map { ProcessInfo.processInfo.environment.merging($0) { $1 } }
        let raw = try runCapturingBytes(executable: first.hasPrefix("/") ? first : (find(first) ?? first),
                                        arguments: Array(arguments.dropFirst()), environment: merged, input: input)
        return Result(status: raw.status, stdout: String(decoding: raw.stdout, as: UTF8.self), stderr: raw.stderr)
    }

    /// What a process did, with standard output kept as bytes.
    public struct RawResult: Sendable {
        public var status: Int32
        /// False when the process was killed by a signal (a crash) rather than exiting.
        public var exitedNormally: Bool
        public var stdout: [UInt8]
        public var stderr: String
    }

    /// Runs `executable` with exactly `environment` (this process's when nil), feeding `input` on standard input.
    public static func runCapturingBytes(executable: String, arguments: [String], environment: [String: String]?,
                                         input: [UInt8]? = nil) throws -> RawResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        if let input {
            inPipe.fileHandleForWriting.write(Data(input))
            try inPipe.fileHandleForWriting.close()
        }
        // Read both pipes concurrently so a chatty tool cannot block on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return RawResult(status: process.terminationStatus, exitedNormally: process.terminationReason == .exit,
                         stdout: Array(outData), stderr: String(decoding: errData, as: UTF8.self))
    }
}
