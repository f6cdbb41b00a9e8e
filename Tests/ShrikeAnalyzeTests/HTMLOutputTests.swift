import Foundation
import ShrikeAnalyze
import ShrikeTestSupport
import Testing

@Suite("-o html: one self-contained page, attacker-controlled text escaped")
struct HTMLOutputTests {
    static let hostile = "srv/</script><script>alert(1)</script>@@DATA@@<img src=x onerror=alert(2)>"

    @Test("a hostile path from a layer cannot close the data element or inject markup")
    func escaped() throws {
        let report = try WasteFixtures.analyze(ImageFixture(layers: [
            LayerFixture([Entry.file(Self.hostile, bytes: filler(5_000, seed: 1))], createdBy: "RUN echo '</script><b>x</b>'"),
        ]))
        let html = try AnalysisHTMLRenderer.render(report)
        #expect(html.components(separatedBy: "</script>").count == 3, "only the page's own two script elements end")
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>x"))
        #expect(html.contains("\\u003c/script\\u003e"))
    }

    @Test("no network: a CSP forbids fetches and nothing refers to http(s) resources")
    func selfContained() throws {
        let html = try AnalysisHTMLRenderer.render(try WasteFixtures.analyze())
        #expect(html.contains("default-src 'none'"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("url(http"))
        for part in ["id=\"layers\"", "id=\"tree\"", "id=\"treemap\"", "id=\"findings\""] { #expect(html.contains(part)) }
    }

    @Test("the tree view is bounded and says so", arguments: [40, 400])
    func boundedTree(budget: Int) throws {
        let files = (0..<300).map { Entry.file("d\($0 % 7)/f\($0)", bytes: filler(100 + $0, seed: UInt8($0 % 250))) }
        var limits = AnalysisLimits()
        limits.treeNodes = budget
        let report = try WasteFixtures.analyze(ImageFixture(layers: [LayerFixture(files)]), options: AnalysisOptions(limits: limits))
        func count(_ node: TreeNode) -> Int { 1 + node.children.reduce(0) { $0 + count($1) } }
        #expect(count(report.tree) <= budget)
        #expect(report.tree.size == report.finalBytes)
        let cut = report.truncated.contains { $0.contains("tree view") }
        #expect(cut == (budget == 40))
    }
}
