import ShrikeCatalog
import ShrikeCore

/// Writes the human table `shrike sbom` prints by default.
///
/// Columns NAME, VERSION, TYPE, LAYER (the layer's 12-hex short digest, `-` when unknown), rows sorted by name, version
/// and type, each column as wide as its widest cell, two spaces between columns and no trailing blanks; then one
/// summary line: `14 packages (apk 14) in 1 layer · alpine 3.20.3`. ANSI styling (bold header, dim layer) only when
/// `useColor` is true.
public struct SBOMTableWriter: SBOMWriter {
    public let useColor: Bool

    public init(useColor: Bool = false) {
        self.useColor = useColor
    }

    public func write(_ sbom: SBOM) throws -> [UInt8] {
        Array(render(sbom).utf8)
    }

    /// The table and summary line, ending with a newline.
    public func render(_ sbom: SBOM) -> String {
        let rows = sbom.packages
            .sorted { ($0.name, $0.version, $0.type.rawValue) < ($1.name, $1.version, $1.type.rawValue) }
            .map { [Self.clean($0.name), Self.clean($0.version), $0.type.rawValue, $0.layer?.short ?? "-"] }
        var out = ""
        if !rows.isEmpty {
            let header = ["NAME", "VERSION", "TYPE", "LAYER"]
            var widths = header.map(\.count)
            for row in rows {
                for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
            }
            out += line(header, widths: widths, style: useColor ? "\u{1B}[1m" : nil)
            for row in rows { out += line(row, widths: widths, style: nil) }
        }
        out += Self.summary(sbom) + "\n"
        return out
    }

    private func line(_ cells: [String], widths: [Int], style: String?) -> String {
        var text = ""
        for (column, cell) in cells.enumerated() {
            let isLast = column == cells.count - 1
            var padded = cell
            if !isLast { padded += String(repeating: " ", count: widths[column] - cell.count + 2) }
            if useColor, isLast, style == nil, cell != "-" {
                padded = "\u{1B}[2m" + padded + "\u{1B}[0m"
            }
            text += padded
        }
        if let style { text = style + text + "\u{1B}[0m" }
        return text + "\n"
    }

    /// `14 packages (apk 12, python 2) in 3 layers · alpine 3.20.3`; the layer part only for images, the distro part
    /// only when known; then how many language packages were left out because an OS package installed them.
    static func summary(_ sbom: SBOM) -> String {
        let count = sbom.packages.count
        var text = "\(count) \(count == 1 ? "package" : "packages")"
        if count > 0 {
            var perType: [PackageType: Int] = [:]
            for package in sbom.packages { perType[package.type, default: 0] += 1 }
            text += " (" + perType.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
                .joined(separator: ", ") + ")"
        }
        let layers = sbom.source.layers.count
        if layers > 0 { text += " in \(layers) \(layers == 1 ? "layer" : "layers")" }
        if let distro = sbom.distro {
            text += " · " + [distro.id, distro.versionID].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        }
        let owned = sbom.ownedLanguagePackages.count
        if owned > 0 {
            text += " · \(owned) language \(owned == 1 ? "package" : "packages") installed by OS packages not listed again"
        }
        return text
    }

    /// Control characters in names from hostile package databases must not reach the terminal.
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control ? "?" : $0
        }))
    }
}
