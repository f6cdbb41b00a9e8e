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

    /// Runs `arguments[0]` (looked up on PATH) with the rest as arguments.
    @discardableResult
    public static func run(_ arguments: [String], input: [UInt8]? = nil, environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        guard let first = arguments.first else { throw CocoaError(.executableNotLoadable) }
        process.executableURL = URL(fileURLWithPath: first.hasPrefix("/") ? first : (find(first) ?? first))
        process.arguments = Array(arguments.dropFirst())
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
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
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}
