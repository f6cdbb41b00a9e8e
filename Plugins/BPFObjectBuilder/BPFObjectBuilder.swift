import Foundation
import PackagePlugin

/// Compiles the BPF programs (Sources/CShrikeBPF/bpf/sensor.bpf.c and enforce.bpf.c) with clang's BPF target and
/// embeds each object in the target as a generated Swift file, so `swift build` alone produces a binary that needs no
/// compiler at run time.
@main
struct BPFObjectBuilder: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let package = context.package.directoryURL
        let sources = package.appending(path: "Sources/CShrikeBPF")
        let headers = ["shrike_event.h", "shrike_enforce.h"].map { sources.appending(path: "include/\($0)") }
        let script = package.appending(path: "scripts/build-bpf-object.sh")
        let clang = try Self.clang(context: context)
        // The sensor, always loaded; and the response program (enforce.bpf.c), loaded only when a rule sets
        // `response:`, so a watch without response rules pays nothing for it.
        let objects = [
            ("sensor", "EmbeddedSensorObject.swift", "embeddedSensorObjectBase64", "Compiling the BPF sensor program"),
            ("enforce", "EmbeddedEnforceObject.swift", "embeddedEnforceObjectBase64",
             "Compiling the BPF response program"),
        ]
        return objects.map { name, file, constant, displayName in
            let source = sources.appending(path: "bpf/\(name).bpf.c")
            let output = context.pluginWorkDirectoryURL.appending(path: file)
            let object = context.pluginWorkDirectoryURL.appending(path: "\(name).bpf.o")
            return .buildCommand(
                displayName: displayName,
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, clang, source.path, object.path, output.path, constant],
                inputFiles: [source, script] + headers,
                outputFiles: [output]
            )
        }
    }

    /// The clang that ships with the Swift toolchain has the BPF target; prefer it over any other clang on PATH.
    static func clang(context: PluginContext) throws -> String {
        if let tool = try? context.tool(named: "clang") {
            return tool.url.path
        }
        let environment = ProcessInfo.processInfo.environment
        for directory in (environment["PATH"] ?? "").split(separator: ":") {
            let swift = URL(fileURLWithPath: String(directory)).appending(path: "swift")
            if FileManager.default.isExecutableFile(atPath: swift.path) {
                let clang = swift.resolvingSymlinksInPath().deletingLastPathComponent().appending(path: "clang")
                if FileManager.default.isExecutableFile(atPath: clang.path) { return clang.path }
            }
        }
        return "clang"
    }
}
