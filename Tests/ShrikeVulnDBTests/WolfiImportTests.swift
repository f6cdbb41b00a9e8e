import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeVulnDB

/// Wolfi's advisories YAML and Wolfi's and Chainguard's secdb JSON. Inline documents follow the schema of the real
/// files (Wolfi advisories @3d461f66, docs/event_types.md); the real tree's expected numbers and the end-to-end
/// answers come from a PyYAML reference reading the same archive.
@Suite("Wolfi and Chainguard import")
struct WolfiImportTests {
    /// A `<package>.advisories.yaml` with one advisory of `events` (`(timestamp, type, fixed version)`).
    static func document(aliases: [String] = ["CVE-2024-1234", "GHSA-aaaa-bbbb-cccc"],
                         events: [(String, String, String?)]) -> String {
        var yaml = "schema-version: 2.0.2\n\npackage:\n  name: age\n\nadvisories:\n  - id: CGA-2h26-rh8h-r2vp\n"
        yaml += aliases.isEmpty ? "    aliases: []\n" : "    aliases:\n" + aliases.map { "      - \($0)\n" }.joined()
        yaml += "    events:\n"
        for (timestamp, type, fixed) in events {
            yaml += "      - timestamp: \(timestamp)\n        type: \(type)\n"
            if let fixed { yaml += "        data:\n          fixed-version: \(fixed)\n" }
            else if type != "fixed" { yaml += "        data:\n          note: checked\n" }
        }
        return yaml
    }

    static func parse(_ yaml: String) throws -> WolfiAdvisoriesParser.Result {
        let document = try AdvisoryDocument.parse(Data(yaml.utf8), isYAML: true)
        #expect(WolfiAdvisoriesParser.isAdvisories(document))
        return try WolfiAdvisoriesParser.parse(document, file: "age.advisories.yaml")
    }

    @Test("each event type decides the record's status; the type is the vendor status", arguments: [
        ("fixed", AffectedStatus.affected),
        ("false-positive-determination", .notAffected),
        ("fix-not-planned", .wontFix),
        ("detection", .notFixed),
        ("true-positive-determination", .notFixed),
        ("pending-upstream-fix", .notFixed),
        ("analysis-not-planned", .notFixed),
    ])
    func eventTypes(type: String, status: AffectedStatus) throws {
        let result = try Self.parse(Self.document(events: [
            ("2025-04-10T07:05:57Z", "detection", nil),
            ("2025-04-10T08:18:45Z", type, type == "fixed" ? "1.2.1-r4" : nil),
        ]))
        #expect(result.failures.isEmpty, "\(result.failures)")
        let affected = try #require(result.records.first?.affected.first)
        #expect(affected.status == status)
        #expect(affected.vendorStatus == type)
        #expect(affected.namespace == "wolfi:rolling")
        #expect(affected.packageName == "age")
        #expect(affected.ecosystem == .alpine)
        #expect(affected.advisories == ["CGA-2h26-rh8h-r2vp"])
        #expect(affected.ranges == (type == "fixed"
            ? [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed("1.2.1-r4")])] : []))
    }

    @Test("the latest timestamp wins, whatever the order in the file; on a tie, the later event", arguments: [
        // A fix written before the detection that led to it, listed first.
        ([("2024-09-18T16:07:19Z", "fixed", "1.2.0-r2"), ("2024-09-10T20:20:24Z", "detection", nil)], "fixed"),
        // A false positive determined after a fix had been recorded.
        ([("2024-09-10T20:20:24Z", "fixed", "1.2.0-r2"), ("2024-10-01T00:00:00Z", "false-positive-determination", nil)],
         "false-positive-determination"),
        // A newer detection listed before an older fix: the package is affected again.
        ([("2025-01-02T00:00:00Z", "detection", nil), ("2024-12-01T00:00:00Z", "fixed", "1.2.0-r9")], "detection"),
        ([("2024-12-01T00:00:00Z", "detection", nil), ("2024-12-01T00:00:00Z", "fix-not-planned", nil)], "fix-not-planned"),
    ] as [([(String, String, String?)], String)])
    func latestWins(events: [(String, String, String?)], winner: String) throws {
        let result = try Self.parse(Self.document(events: events))
        #expect(result.records.first?.affected.first?.vendorStatus == winner)
    }

    @Test("which id names the vulnerability", arguments: [
        (["CVE-2024-1234", "GHSA-aaaa-bbbb-cccc"], "CVE-2024-1234", ["GHSA-aaaa-bbbb-cccc"]),
        (["CVE-2024-1234"], "CVE-2024-1234", []),
        (["CVE-2024-1", "CVE-2024-2", "GHSA-aaaa-bbbb-cccc"], "GHSA-aaaa-bbbb-cccc", ["CVE-2024-1", "CVE-2024-2"]),
        (["GHSA-aaaa-bbbb-cccc"], "GHSA-aaaa-bbbb-cccc", []),
        ([], "CGA-2h26-rh8h-r2vp", []),
        (["CVE-2024-1", "CVE-2024-2"], "CGA-2h26-rh8h-r2vp", ["CVE-2024-1", "CVE-2024-2"]),
    ] as [([String], String, [String])])
    func identity(aliases: [String], id: String, otherAliases: [String]) throws {
        let result = try Self.parse(Self.document(aliases: aliases, events: [("2025-04-10T08:18:45Z", "fixed", "1.2.1-r4")]))
        let record = try #require(result.records.first)
        #expect(record.vulnerability.id == id)
        #expect(record.vulnerability.aliases == otherAliases)
        #expect(record.affected.first?.vulnerabilityID == id)
        #expect(record.affected.first?.advisories == ["CGA-2h26-rh8h-r2vp"])
    }

    @Test("an advisory that cannot be decided is a counted failure; its neighbours are still read", arguments: [
        ([("2025-04-10T08:18:45Z", "fixed", nil)] as [(String, String, String?)], "no data.fixed-version"),
        ([("2025-04-10T08:18:45Z", "vulnerable-code-not-included-in-package", nil)], "unknown event type 'vulnerable-code-not-included-in-package'"),
        ([("yesterday", "detection", nil)], "not an RFC 3339 date"),
    ])
    func failures(events: [(String, String, String?)], reason: String) throws {
        let broken = Self.document(events: events)
        let good = "  - id: CGA-3fq9-mg48-v2ch\n    aliases:\n      - CVE-2024-34155\n    events:\n"
            + "      - timestamp: 2024-09-18T16:07:19Z\n        type: fixed\n        data:\n          fixed-version: 1.2.0-r2\n"
        let result = try Self.parse(broken + good)
        #expect(result.records.map(\.vulnerability.id) == ["CVE-2024-34155"])
        #expect(result.failures.map(\.file) == ["age.advisories.yaml#CGA-2h26-rh8h-r2vp"])
        #expect(result.failures.first?.reason.contains(reason) == true, "\(result.failures)")
    }

    @Test("a file without a package name or with advisories that are not a list cannot be read")
    func unreadable() throws {
        for yaml in ["schema-version: 2.0.2\npackage: {}\nadvisories: []\n",
                     "schema-version: 2.0.2\npackage:\n  name: age\nadvisories: nope\n"] {
            let document = try AdvisoryDocument.parse(Data(yaml.utf8), isYAML: true)
            let error = #expect(throws: ShrikeError.self) { try WolfiAdvisoriesParser.parse(document, file: "age.advisories.yaml") }
            #expect(error?.code == .malformed)
        }
    }

    @Test("through the path importer a Wolfi file is recognised before OSV, into the source wolfi-advisories")
    func pathImporter() throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.document(events: [("2025-04-10T08:18:45Z", "fixed", "1.2.1-r4")])
            .write(toFile: dir + "/age.advisories.yaml", atomically: true, encoding: .utf8)
        try "schema-version: 2.0.2\npackage:\n  name: x\nadvisories: 3\n".write(toFile: dir + "/x.advisories.yaml", atomically: true, encoding: .utf8)
        let sink = CollectingAdvisorySink()
        try AdvisoryPathImporter(path: dir).importAdvisories(into: sink)
        #expect(sink.records.keys.map(\.name) == ["wolfi-advisories"])
        #expect(sink.records.keys.first?.location == dir)
        #expect(sink.allRecords.map(\.vulnerability.id) == ["CVE-2024-1234"])
        #expect(sink.failures.keys.map(\.name) == ["wolfi-advisories"])
        #expect(sink.allFailures.map(\.file) == ["x.advisories.yaml"])
    }

    // MARK: - secdb

    @Test("Wolfi's secdb (no distroversion) goes to wolfi:rolling, read as Alpine's secdb is")
    func wolfiSecDB() throws {
        let sink = try VulnDBFixtures.collect("wolfi-secdb/security.json")
        #expect(sink.records.keys.map(\.name) == ["wolfi-secdb"])
        #expect(sink.allFailures.isEmpty)
        // 3 binutils + 2 busybox + 1 coreutils + 3 openssl + 2 zlib ids.
        #expect(sink.allRecords.count == 11)
        #expect(sink.affected("CVE-2022-37434", package: "zlib") == [AffectedPackage(
            vulnerabilityID: "CVE-2022-37434", namespace: "wolfi:rolling", packageName: "zlib", ecosystem: .alpine,
            ranges: [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed("1.2.12-r3")])])])
        #expect(sink.affected("CVE-2016-2781", package: "coreutils").first?.status == .notAffected, "fixed version 0")
        #expect(sink.record("CVE-2022-3602")?.vulnerability.source == "wolfi-secdb")
        #expect(sink.record("CVE-2022-3602")?.vulnerability.urls == [])
    }

    @Test("Chainguard's secdb (urlprefix on cgr.dev) goes to chainguard:rolling")
    func chainguardSecDB() throws {
        let sink = try VulnDBFixtures.collect("chainguard-secdb/security.json")
        #expect(sink.records.keys.map(\.name) == ["chainguard-secdb"])
        #expect(sink.allRecords.count == 10)
        #expect(sink.allRecords.flatMap(\.affected).allSatisfy { $0.namespace == "chainguard:rolling" })
        #expect(sink.affected("CVE-2023-25136", package: "openssh").first?.ranges.first?.fixedVersion == "9.2_p1-r0")
        #expect(sink.affected("CVE-2007-2728", package: "php").first?.status == .notAffected)
    }

    @Test("a secdb without distroversion from another repository is a failure naming the problem")
    func unknownRollingSecDB() throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"reponame": "main", "urlprefix": "https://example.invalid", "packages": []}"#
            .write(toFile: dir + "/security.json", atomically: true, encoding: .utf8)
        let sink = CollectingAdvisorySink()
        try AdvisoryPathImporter(path: dir).importAdvisories(into: sink)
        #expect(sink.allRecords.isEmpty)
        #expect(sink.allFailures.first?.reason.contains("neither packages.wolfi.dev nor packages.cgr.dev") == true, "\(sink.allFailures)")
    }

    // MARK: - The real advisories tree

    static let archive = "os/wolfi-advisories-20260107.tar.gz"
    static var haveYAML: Bool { (try? ExternalTool.run(["python3", "-c", "import yaml"]).status) == 0 }

    /// The reference, reading the archive itself with PyYAML (BaseLoader: every scalar a string). It picks the latest
    /// event per advisory by parsed timestamp (the later one on a tie), names vulnerabilities as Wolfi's docs say,
    /// and generates the package set: every 5th package (sorted) with a fixed advisory, at that package's first
    /// fixed version (sorted) and the revisions just below (`-rN-1`, when N > 0) and above (`-rN+1`).
    ///
    /// No independent apk comparator is installed here, so the reference decides a `fixed` advisory only when its
    /// version has the same part before `-r` as the package's (then the revision numbers order them, as under any
    /// correct apk comparator); other pairs, and ids given by more than one advisory of a package, are listed as
    /// `excluded` and left out of the comparison. Not-fixed, won't-fix and false-positive verdicts do not depend on
    /// versions and are all compared.
    static let referenceScript = #"""
        import json, sys, tarfile, yaml
        from datetime import datetime
        Loader = getattr(yaml, 'CBaseLoader', yaml.BaseLoader)
        STATUS = {'fixed': 'fixed', 'false-positive-determination': None, 'fix-not-planned': 'wont-fix',
                  'detection': 'not-fixed', 'true-positive-determination': 'not-fixed',
                  'pending-upstream-fix': 'not-fixed', 'analysis-not-planned': 'not-fixed'}
        advisories, files, statuses, ids = {}, 0, {}, set()
        with tarfile.open(sys.argv[1]) as tar:
            for member in tar:
                parts = member.name.split('/')
                if not member.isfile() or not parts[-1].endswith('.advisories.yaml') or any(p.startswith('.') and p != '.' for p in parts):
                    continue
                doc = yaml.load(tar.extractfile(member), Loader=Loader)
                files += 1
                package = doc['package']['name']
                for adv in doc.get('advisories') or []:
                    best = None
                    for event in adv['events']:
                        stamp = datetime.fromisoformat(event['timestamp'].replace('Z', '+00:00'))
                        if best is None or stamp >= best[0]:
                            best = (stamp, event)
                    event = best[1]
                    aliases = adv.get('aliases') or []
                    cves = [a for a in aliases if a.startswith('CVE-')]
                    ghsas = [a for a in aliases if a.startswith('GHSA-')]
                    vid = cves[0] if len(cves) == 1 else (ghsas[0] if ghsas else adv['id'])
                    fixed = (event.get('data') or {}).get('fixed-version') if event['type'] == 'fixed' else None
                    advisories.setdefault(package, []).append((vid, event['type'], fixed))
                    statuses[event['type']] = statuses.get(event['type'], 0) + 1
                    ids.add(vid)

        def split(version):
            base, _, revision = version.rpartition('-r')
            return (base, int(revision)) if base and revision.isdigit() else (version, None)

        chosen = [p for p in sorted(advisories) if any(t == 'fixed' for _, t, _ in advisories[p])][::5]
        packages, expected, excluded = [], [], []
        for package in chosen:
            first = sorted(f for _, t, f in advisories[package] if t == 'fixed')[0]
            base, revision = split(first)
            versions = [first] if revision is None else \
                ([f'{base}-r{revision - 1}'] if revision > 0 else []) + [first, f'{base}-r{revision + 1}']
            by_id = {}
            for vid, kind, fixed in advisories[package]:
                by_id.setdefault(vid, []).append((kind, fixed))
            for version in versions:
                packages.append([package, version])
                for vid, entries in sorted(by_id.items()):
                    if len(entries) > 1:
                        excluded.append(f'{package} {version} {vid}')
                        continue
                    kind, fixed = entries[0]
                    status = STATUS[kind]
                    if status == 'fixed':
                        fb, fr = split(fixed)
                        vb, vr = split(version)
                        if fixed == version:
                            continue
                        if fb != vb or fr is None or vr is None:
                            excluded.append(f'{package} {version} {vid}')
                        elif vr < fr:
                            expected.append(f'fixed {vid} {package} {version} {fixed}')
                    elif status:
                        expected.append(f'{status} {vid} {package} {version} -')
        json.dump({'files': files, 'advisories': sum(statuses.values()), 'ids': len(ids), 'statuses': statuses,
                   'packages': packages, 'expected': expected, 'excluded': excluded}, sys.stdout)
        """#

    struct Reference: Decodable, Sendable {
        var files: Int
        var advisories: Int
        var ids: Int
        var statuses: [String: Int]
        var packages: [[String]]
        var expected: [String]
        var excluded: [String]
    }

    struct RealTree: Sendable {
        var store: SQLiteAdvisoryStore
        var report: ImportReport
        var seconds: Double
        var reference: Reference
    }

    /// The real archive imported once into an in-memory store, and the reference's answers.
    static let realTree: Result<RealTree, any Error>? = {
        guard SharedData.has(archive), haveYAML else { return nil }
        return Result {
            let path = SharedData.path(archive)
            let store = try SQLiteAdvisoryStore.inMemory()
            let start = Date()
            let report = try store.importAdvisories([AdvisoryPathImporter(path: path)])
            let seconds = Date().timeIntervalSince(start)
            let run = try ExternalTool.run(["python3", "-c", referenceScript, path])
            guard run.status == 0 else { throw ShrikeError(.io, "reference failed: \(run.stderr)") }
            let reference = try JSONDecoder().decode(Reference.self, from: Data(run.stdout.utf8))
            print("wolfi advisories: \(report.totalRecords) records, \(report.sources.first?.affected ?? 0) package records, "
                  + "\(report.totalFailed) failed in \(String(format: "%.2f", seconds)) s")
            return RealTree(store: store, report: report, seconds: seconds, reference: reference)
        }
    }()

    @Test("the whole real advisories tree: every advisory a package record, none failed, counts as PyYAML reads them",
          .enabled(if: SharedData.has(archive) && haveYAML, "\(SharedData.reason(archive)), and PyYAML (python3-yaml)"))
    func realTree() throws {
        let tree = try #require(Self.realTree).get()
        let reference = tree.reference
        #expect(reference.files == 1616)
        #expect(tree.report.sources.map(\.name) == ["wolfi-advisories"])
        let source = try #require(tree.report.sources.first)
        #expect(source.failed == 0, "\(source.firstFailures)")
        #expect(source.affected == reference.advisories)
        #expect(source.records == reference.ids)
        #expect(tree.seconds < 60, "import took \(tree.seconds) s")

        // Status by status, read back through the parser (the store keeps no per-status count).
        let sink = CollectingAdvisorySink()
        try AdvisoryPathImporter(path: SharedData.path(Self.archive)).importAdvisories(into: sink)
        var statuses: [String: Int] = [:]
        for affected in sink.allRecords.flatMap(\.affected) { statuses[affected.vendorStatus ?? "-", default: 0] += 1 }
        #expect(statuses == reference.statuses)
    }

    @Test("end to end: a package set made from the data × the real tree gives exactly the reference's verdicts",
          .enabled(if: SharedData.has(archive) && haveYAML, "\(SharedData.reason(archive)), and PyYAML (python3-yaml)"))
    func endToEnd() throws {
        let tree = try #require(Self.realTree).get()
        let reference = tree.reference
        let distro = Distro(id: "wolfi", versionID: "20230201")
        let matcher = Matcher(store: tree.store)
        let excluded = Set(reference.excluded)
        var got = Set<String>()
        var warnings: [MatchWarning] = []
        for entry in reference.packages {
            let (name, version) = (entry[0], entry[1])
            let package = Package(name: name, version: version, type: .apk,
                                  purl: PackageURL(type: "apk", namespace: "wolfi", name: name, version: version),
                                  sourceName: name)
            let result = try matcher.match(package, distro: distro)
            warnings += result.warnings
            for match in result.matches where !excluded.contains("\(name) \(version) \(match.vulnerability.id)") {
                #expect(match.vulnerability.namespace == "wolfi:rolling")
                got.insert("\(match.vulnerability.status.rawValue) \(match.vulnerability.id) \(name) \(version) \(match.vulnerability.fixedVersion ?? "-")")
            }
        }
        #expect(warnings.isEmpty, "\(warnings.prefix(3))")
        let expected = Set(reference.expected)
        for status in ["fixed", "not-fixed", "wont-fix"] {
            let mine = got.filter { $0.hasPrefix(status + " ") }
            let theirs = expected.filter { $0.hasPrefix(status + " ") }
            #expect(mine == theirs, """
                \(status): only Shrike \(mine.subtracting(theirs).sorted().prefix(5)), \
                only reference \(theirs.subtracting(mine).sorted().prefix(5))
                """)
            print("wolfi e2e: \(status) \(mine.count) (reference \(theirs.count))")
        }
        #expect(reference.packages.count > 500, "about 300 packages at 2–3 versions each")
        #expect(expected.filter { $0.hasPrefix("fixed ") }.count > 200, "the comparison must decide many fixed verdicts")
        print("wolfi e2e: \(reference.packages.count) package versions, \(excluded.count) (package, id) pairs left undecided")
    }
}
