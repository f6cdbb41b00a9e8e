import ShrikeAnalyze
import ShrikeTestSupport
import Testing

/// dive's numbers, computed from its source (wagoodman/dive `filetree/efficiency.go` and `image/analysis.go`) on the
/// same layers, to show where Shrike's differ and why.
///
/// dive visits the leaves of each layer's tree: every file at its path with its tar size; a whiteout counts 0 when it
/// removed a file, and the size of everything below when it removed a directory, at the directory's own path. Per path
/// it keeps the sum of those sizes and the smallest one. `efficiency = Σ smallest / Σ sums`; the wasted bytes are the
/// sums of every path seen in more than one layer (the copy that is kept included), and the user's share divides them
/// by the size of every layer but the first. Opaque markers are not modelled (dive ignores them).
enum DiveFormula {
    struct Result {
        var wastedBytes: Int64
        var efficiency: Double
        var userWastedPercent: Double
    }

    static func compute(_ layers: [LayerFixture]) -> Result {
        var sums: [String: Int64] = [:]
        var minimum: [String: Int64] = [:]
        var nodes: [String: Int] = [:]
        var stacked: [String: Int64] = [:]
        var layerSizes: [Int64] = []
        for layer in layers {
            guard case .entries(let entries) = layer.content else { continue }
            var visits: [(String, Int64)] = []
            var layerSize: Int64 = 0
            for entry in entries {
                let name = "/" + entry.nameString
                let base = name.split(separator: "/").last.map(String.init) ?? ""
                let parent = String(name.dropLast(base.count + 1))
                if base == ".wh..wh..opq" { continue }
                if base.hasPrefix(".wh.") {
                    let victim = parent + "/" + base.dropFirst(4)
                    let below = stacked.filter { $0.key.hasPrefix(victim + "/") }
                    visits.append((victim, below.values.reduce(0, +)))
                    for key in below.keys { stacked.removeValue(forKey: key) }
                    stacked.removeValue(forKey: victim)
                } else if entry.kind == .regular {
                    visits.append((name, Int64(entry.data.count)))
                    layerSize += Int64(entry.data.count)
                }
            }
            for (path, size) in visits {
                sums[path, default: 0] += size
                minimum[path] = min(minimum[path] ?? size, size)
                nodes[path, default: 0] += 1
            }
            for entry in entries where entry.kind == .regular && !entry.nameString.contains(".wh.") {
                stacked["/" + entry.nameString] = Int64(entry.data.count)
            }
            layerSizes.append(layerSize)
        }
        let discovered = sums.values.reduce(0, +)
        let smallest = minimum.values.reduce(0, +)
        let wasted = sums.filter { nodes[$0.key, default: 0] > 1 }.values.reduce(0, +)
        let user = layerSizes.dropFirst().reduce(0, +)
        return Result(wastedBytes: wasted, efficiency: discovered == 0 ? 1 : Double(smallest) / Double(discovered),
                      userWastedPercent: user == 0 ? 0 : Double(wasted) / Double(user))
    }
}

@Suite("Side by side with dive's formula: where the numbers differ and why")
struct DiveFormulaTests {
    @Test("dive's wasted bytes = Shrike's + the kept copies of overwritten files − the rm -rf directory − the opaque directory")
    func wastedBytesDiffer() throws {
        let shrike = try #require(try WasteFixtures.analyze().summary)
        let dive = DiveFormula.compute(WasteFixtures.fixture.layers)
        let keptCopies: Int64 = 5_000_000 + 70_000   // /app/config.bin and /app/one.bin: dive counts the copy you keep (#684)
        let removedDirectory: Int64 = 3_000_000      // /opt/tree: its whiteout is one path seen once, never waste to dive
        let opaqueHidden: Int64 = 500_000            // /srv/data: dive ignores opaque markers
        #expect(dive.wastedBytes == 20_190_000)
        #expect(dive.wastedBytes == shrike.wastedBytes + keptCopies - removedDirectory - opaqueHidden)
    }

    @Test("dive's efficiency counts the removed directory twice and the kept copies as waste; Shrike's is visible / total")
    func efficiencyDiffers() throws {
        let shrike = try #require(try WasteFixtures.analyze().summary)
        let dive = DiveFormula.compute(WasteFixtures.fixture.layers)
        let total = Double(WasteFixtures.totalBytes)
        // Σ sums: every file once per layer, plus the directory whiteout's 3 MB. Σ smallest: what each path was at its
        // smallest: 0 for the deleted files, one copy of each overwritten file, and the 3 MB again.
        let discovered = total + 3_000_000
        let smallest = total - 50_000 - 10_000_000 - 5_000_000 - 70_000 + 3_000_000
        #expect(dive.efficiency == smallest / discovered)
        #expect(shrike.efficiency == (total - Double(shrike.wastedBytes)) / total)
        #expect(dive.efficiency != shrike.efficiency)
    }

    @Test("dive takes only layer 0 as the base: the two-layer base's own waste becomes the user's")
    func userShareDiffers() throws {
        let shrike = try #require(try WasteFixtures.analyze().summary)
        let dive = DiveFormula.compute(WasteFixtures.fixture.layers)
        #expect(shrike.baseWastedBytes == 50_000)
        let userLayers = Double(WasteFixtures.totalBytes - (try WasteFixtures.analyze().layers[0].contentBytes))
        #expect(dive.userWastedPercent == 20_190_000 / userLayers)
        #expect(shrike.userWastedRatio == Double(shrike.wastedBytes - 50_000) / Double(WasteFixtures.totalBytes))
    }
}
