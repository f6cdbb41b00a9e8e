import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeTestSupport
import ShrikeVulnDB
import Testing

/// AlmaLinux's own OSV database (the whole 2026-08-21 export, imported from its .tar.gz as `db import` would) matched
/// against installed versions taken from the data itself, compared with an independent reference: a Python reading
/// of the same JSON deciding with rpm's own `rpm.vercmp` (through `rpm --eval '%{lua: …}'`).
@Suite("AlmaLinux OSV end to end", .serialized,
       .enabled(if: SharedData.has("os/almalinux-osv-20260821.tar.gz"), Comment(rawValue: SharedData.reason("os/almalinux-osv-20260821.tar.gz"))),
       .enabled(if: ExternalTool.find("rpm") != nil && ExternalTool.find("python3") != nil, "needs rpm and python3 (make test-deps)"))
struct AlmaLinuxOSVEndToEndTests {
    static let archive = SharedData.path("os/almalinux-osv-20260821.tar.gz")

    /// Reads the export, picks installed versions (every fixed version of the first 120 binary names of AlmaLinux 9, plus
    /// a version older than all), and prints `name<TAB>version` lines, then `=` and `vuln<TAB>name<TAB>version` for every
    /// affected pair, deciding with rpm.vercmp. Bug-fix errata (ALBA) are not vulnerabilities; an ALSA is filed under
    /// each CVE it lists (`related`), or its own id when it lists none; a fix built in a module stream
    /// (`.module_el…`) applies only to modular builds, and the other way round.
    static let reference = #"""
    import json, os, subprocess, sys, tarfile, tempfile
    tar = tarfile.open(sys.argv[1])
    records = []
    for member in tar.getmembers():
        if not member.isfile() or not member.name.endswith('.json') or '/almalinux9/' not in member.name: continue
        doc = json.load(tar.extractfile(member))
        if doc['id'].startswith('ALBA') or doc['id'].startswith('ALEA'): continue
        cves = [c for c in doc.get('aliases', []) + doc.get('related', []) + doc.get('upstream', []) if c.startswith('CVE-')]
        ids = sorted(set(cves)) or [doc['id']]
        fixes = {}
        for a in doc['affected']:
            if a['package']['ecosystem'] != 'AlmaLinux:9': continue
            for r in a.get('ranges', []):
                for e in r['events']:
                    if 'fixed' in e: fixes.setdefault(a['package']['name'], []).append(e['fixed'])
        records.append((ids, fixes))
    names = sorted({n for _, f in records for n in f})[:120]
    installed = []
    for n in names:
        versions = sorted({v for _, f in records for v in f.get(n, [])})
        installed += [(n, v) for v in versions] + [(n, '0.0.1-1.el9')]
    modular = lambda v: '.module+' in v or '.module_' in v
    pairs = []
    for n, v in installed:
        for ids, f in records:
            for fixed in f.get(n, []):
                if modular(fixed) == modular(v): pairs.append((v, fixed))
    pairs = sorted(set(pairs))
    script = tempfile.NamedTemporaryFile('w', suffix='.lua', delete=False)
    script.write('local pairs = {\n' + ''.join('{%s,%s},\n' % (json.dumps(a), json.dumps(b)) for a, b in pairs) + '}\n')
    script.write('for _, p in ipairs(pairs) do io.write(rpm.vercmp(p[1], p[2]), "\\n") end\n')
    script.close()
    out = subprocess.run(['rpm', '--eval', '%%{lua: dofile("%s")}' % script.name], capture_output=True, text=True, check=True).stdout.split()
    os.unlink(script.name)
    order = {p: int(o) for p, o in zip(pairs, out)}
    affected = set()
    for n, v in installed:
        for ids, f in records:
            if any(modular(fixed) == modular(v) and order[(v, fixed)] < 0 for fixed in f.get(n, [])):
                for i in ids: affected.add((i, n, v))
    for n, v in installed: print(n + '\t' + v)
    print('=')
    for i, n, v in sorted(affected): print(i + '\t' + n + '\t' + v)
    """#

    @Test("every (vulnerability, package, version) the reference finds, and no other; fixes are newer than what is installed")
    func matchesReference() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-alma-\(UUID().uuidString).py").path
        try Self.reference.write(toFile: scratch, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let run = try ExternalTool.run(["python3", scratch, Self.archive])
        try #require(run.status == 0, "reference failed: \(run.stderr)")
        let sections = run.stdout.components(separatedBy: "\n=\n")
        try #require(sections.count == 2)
        let packages = sections[0].split(separator: "\n").map { line -> Package in
            let fields = line.split(separator: "\t").map(String.init)
            return Package(name: fields[0], version: fields[1], type: .rpm,
                           purl: PackageURL(type: "rpm", namespace: "almalinux", name: fields[0], version: fields[1]),
                           sourceName: fields[0] + "-src")
        }
        let expected = Set(sections[1].split(separator: "\n").map(String.init))

        let store = try SQLiteAdvisoryStore.inMemory()
        let start = Date()
        let report = try store.importAdvisories([AdvisoryPathImporter(path: Self.archive)])
        let seconds = Date().timeIntervalSince(start)
        print("AlmaLinux OSV: \(report.totalRecords) records, \(report.totalFailed) failed, \(report.sources.map(\.skipped).reduce(0, +)) skipped, imported in \(String(format: "%.2f", seconds)) s")
        #expect(report.totalFailed == 0, "\(report.sources.flatMap(\.firstFailures))")

        let sbom = SBOM(source: .init(type: "dir", path: "/"), distro: Distro(id: "almalinux", versionID: "9.4"),
                        packages: packages)
        let result = try Matcher(store: store).match(sbom)
        #expect(result.unchecked.isEmpty)
        #expect(result.warnings.isEmpty, "\(result.warnings.prefix(3))")
        let found = Set(result.matches.map { "\($0.vulnerability.id)\t\($0.package.name)\t\($0.package.version)" })
        print("AlmaLinux 9: \(packages.count) installed versions, \(found.count) matches, reference \(expected.count)")
        #expect(expected.count > 1000)
        #expect(found.subtracting(expected).sorted().prefix(5) == [], "Shrike only")
        #expect(expected.subtracting(found).sorted().prefix(5) == [], "reference only")
        for match in result.matches.prefix(200) {
            #expect(match.vulnerability.status == .fixed)
            #expect(match.vulnerability.namespace == "almalinux:9")
            // The erratum is named beside the CVE.
            #expect(match.vulnerability.aliases.contains { $0.hasPrefix("ALSA-") } || match.vulnerability.id.hasPrefix("ALSA-"))
        }
    }
}
