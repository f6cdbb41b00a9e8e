import ArgumentParser
import ShrikeAgent
import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import ShrikeReport

struct SBOMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sbom",
        abstract: "List the packages inside an image or root file system.",
        discussion: """
        TARGET is docker-archive:FILE, oci-dir:DIR[:TAG], oci-archive:FILE[:TAG], registry:HOST/REPO[:TAG|@DIGEST], \
        dir:PATH (also dir:/), \
        or a bare path whose content says what it is. See docs/targets.md.
        """
    )

    @Argument(help: "The image or root file system to read.")
    var target: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: table, json, cyclonedx-json, spdx-json.")
    var format: SBOMFormat = .table

    @Option(name: .customLong("file"), help: "Write the output to this file instead of standard output.")
    var file: String?

    @OptionGroup var image: ImageOptions

    @OptionGroup var server: ServerOptions

    @Option(name: .customLong("server-ca-file"), help: "PEM CA certificates to trust for the server's HTTPS.")
    var serverCAFile: String?

    func run() async throws {
        try await CommandFailure.run {
            let sbom = try image.catalog(target: target)
            let writer = format.writer(useColor: file == nil && Terminal.useColor())
            try OutputFile.write(try writer.write(sbom), to: file)
            if let agent = try server.agentConfiguration(caFile: serverCAFile) {
                // The server takes the JSON document whatever -o printed.
                try await ServerUpload.upload(.sbom, body: try SBOMFormat.json.writer().write(sbom), configuration: agent)
            }
        }
    }
}

extension SBOMFormat: ExpressibleByArgument {}
