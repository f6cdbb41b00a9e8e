import Foundation
import Testing
@testable import ShrikeServer

/// The templates, CSS and JS the binary embeds are the files under Console/Assets, byte for byte; every template
/// parses; no template writes unescaped text (`{{{ }}}` or `{{& }}`); nothing is loaded from another site.
@Suite("Console assets")
struct ConsoleAssetsTests {
    static let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/Sources/ShrikeServer/Console/Assets"

    @Test func theEmbeddedAssetsAreTheCommittedFiles() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.assets).sorted()
        var templates: [String] = [], files: [String] = []
        for name in names {
            let text = try String(contentsOfFile: Self.assets + "/" + name, encoding: .utf8)
            let embedded: String?
            if name.hasSuffix(".mustache") {
                let template = String(name.dropLast(".mustache".count))
                templates.append(template)
                embedded = ConsoleAssets.templates[template]
            } else {
                files.append(name)
                embedded = ConsoleAssets.files[name]
            }
            #expect(embedded == String(text.dropLast(text.hasSuffix("\n") ? 1 : 0)),
                    "\(name) changed: run scripts/embed-console.sh")
        }
        #expect(templates.sorted() == ConsoleAssets.templates.keys.sorted(), "run scripts/embed-console.sh")
        #expect(files.sorted() == ConsoleAssets.files.keys.sorted(), "run scripts/embed-console.sh")
    }

    @Test func everyTemplateParsesAndEscapes() throws {
        _ = try ConsoleRenderer()
        for (name, text) in ConsoleAssets.templates {
            #expect(!text.contains("{{{") && !text.contains("{{&"), "\(name) writes unescaped text")
            #expect(!text.contains("style=") && !text.contains("<style") && !text.contains("onclick"),
                    "\(name) has inline style or script, which the CSP blocks")
            #expect(!text.contains("http://") && !text.contains("https://"), "\(name) loads from another site")
        }
    }

    @Test(arguments: ["plain", "\u{1b}[31mred", "a\u{202e}b", "c1\u{9b}x", "line\nbreak"])
    func theDisplayFunctionMakesControlsVisible(_ text: String) {
        let shown = ConsoleText.display(text)
        #expect(!shown.unicodeScalars.contains { $0.value < 0x20 || (0x7f...0x9f).contains($0.value)
                    || (0x202a...0x202e).contains($0.value) })
        #expect(ConsoleText.display(String(repeating: "x", count: 10_000)).count == ConsoleText.maxLength + 1)
    }
}
