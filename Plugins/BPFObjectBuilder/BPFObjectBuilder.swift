import Foundation
import PackagePlugin

/// Compiles the sensor's BPF program (Sources/CShrikeBPF/bpf/sensor.bpf.c) with clang's BPF target and embeds the
/// object in the target as a generated Swift file, so `swift build` alone produces a binary that needs no compiler at
/// run time.
@main
struct BPFObjectBuilder: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let package = context.package.directoryURL
        let source = package.appending(path: "Sources/CShrikeBPF/bpf/sensor.bpf.c")
        let header = package.appending(path: "Sources/CShrikeBPF/include/shrike_event.h")
        let script = package.appending(path: "scripts/build-bpf-object.sh")
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSensorObject.swift")
        let object = context.pluginWorkDirectoryURL.appending(path: "sensor.bpf.o")
        let clang = try Self.clang(context: context)
        return [
            .buildCommand(
                displayName: "Compiling the BPF sensor program",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, clang, source.path, object.path, output.path],
                inputFiles: [source, header, script],
                outputFiles: [output]
            )
        ]
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
