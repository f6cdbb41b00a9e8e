import ArgumentParser
import ShrikeCatalog
import ShrikeCore
import ShrikeImage

/// Options every command that reads a target shares.
struct ImageOptions: ParsableArguments {
    @Option(help: "Platform to pick from a multi-platform image (os/arch[/variant]).")
    var platform: String?

    @Option(name: .customLong("max-layer-size"), help: "Refuse layers that expand beyond this size (e.g. 64G).")
    var maxLayerSize: String = "32G"

    @OptionGroup var registry: RegistryFlags

    func readOptions(selector: ContentSelector?) throws -> ImageReadOptions {
        guard let limit = ByteCount.parse(maxLayerSize) else {
            throw ShrikeError(.usage, "--max-layer-size wants a size such as 512M or 64G", input: maxLayerSize)
        }
        let progress = TerminalProgress()
        var options = ImageReadOptions(maxLayerSize: limit, selector: selector, progress: progress,
                                       registry: try registry.options(progress: progress))
        if let platform {
            options.platform = try Platform(parsing: platform)
            options.platformIsExplicit = true
        }
        return options
    }

    /// Opens `target` and catalogs its OS and language packages (`Catalog.default(for:)` unless `catalog` is given).
    func catalog(target: String, catalog chosen: Catalog? = nil) throws -> SBOM {
        let parsed = try TargetParser.parse(target)
        let catalog = chosen ?? Catalog.default(for: parsed)
        let (fs, source) = try ImageLoader.open(parsed, options: readOptions(selector: catalog.contentSelector))
        return try catalog.run(on: fs, source: source)
    }
}
