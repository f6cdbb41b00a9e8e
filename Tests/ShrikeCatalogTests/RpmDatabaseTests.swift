import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import Testing

private func fixture(_ path: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/rpmdb/\(path)", withExtension: nil))
    return [UInt8](try Data(contentsOf: url))
}

private func records(_ bytes: [UInt8]) throws -> [RpmPackageRecord] {
    try RpmDatabase.headers(bytes: bytes, input: "test").map { try RpmPackageRecord(header: $0, input: "test") }
}

/// Runs `body` and returns the ShrikeError it threw; fails the test if it threw something else or nothing.
private func shrikeError(_ body: () throws -> Void) -> ShrikeError? {
    do {
        try body()
        Issue.record("expected a ShrikeError, got success")
    } catch let error as ShrikeError {
        return error
    } catch {
        Issue.record("expected a ShrikeError, got \(error)")
    }
    return nil
}

@Suite("rpm databases")
struct RpmDatabaseTests {
    // MARK: real databases

    @Test("Berkeley DB from RHEL 8: libuuid with every field")
    func berkeleyDBLibuuid() throws {
        let bytes = try fixture("libuuid-bdb/Packages")
        #expect(RpmDatabase.detectFormat(bytes) == .berkeleyDB)
        let all = try records(bytes)
        #expect(all.count == 1)
        let libuuid = try #require(all.first)
        #expect(libuuid == RpmPackageRecord(
            name: "libuuid", version: "2.32.1", release: "42.el8_8", epoch: nil, arch: "x86_64", license: "BSD",
            vendor: "Red Hat, Inc.", sourceRPM: "util-linux-2.32.1-42.el8_8.src.rpm", size: 35104,
            modularityLabel: nil,
            files: ["/usr/lib/.build-id", "/usr/lib/.build-id/df/ef6a880adac817216ab9866779a0725e017647",
                    "/usr/lib64/libuuid.so.1", "/usr/lib64/libuuid.so.1.3.0", "/usr/share/licenses/libuuid",
                    "/usr/share/licenses/libuuid/COPYING", "/usr/share/licenses/libuuid/COPYING.BSD-3"]))
    }

    static let sle15Packages: [(String, String, String)] = [
        ("system-user-root", "20190513-3.3.1", "noarch"), ("filesystem", "15.0-11.3.2", "x86_64"),
        ("glibc", "2.31-9.3.2", "x86_64"), ("libpcre1", "8.45-20.10.1", "x86_64"),
        ("libgmp10", "6.1.2-4.6.1", "x86_64"), ("libgcc_s1", "11.2.1+git610-1.3.9", "x86_64"),
        ("libcap2", "2.26-4.6.1", "x86_64"), ("libstdc++6", "11.2.1+git610-1.3.9", "x86_64"),
        ("libncurses6", "6.1-5.9.1", "x86_64"), ("terminfo-base", "6.1-5.9.1", "x86_64"),
        ("libattr1", "2.4.47-2.19", "x86_64"), ("libselinux1", "3.0-1.31", "x86_64"),
        ("libreadline7", "7.0-19.6.1", "x86_64"), ("bash", "4.4-19.6.1", "x86_64"),
        ("libacl1", "2.2.52-4.3.1", "x86_64"), ("coreutils", "8.32-3.2.1", "x86_64"),
        ("sles-release", "15.3-55.4.1", "x86_64"), ("ca-certificates-mozilla-prebuilt", "2.44-21.1", "noarch"),
        ("libgpg-error0", "1.29-1.8", "x86_64"), ("libpopt0", "1.16-3.22", "x86_64"),
        ("file-magic", "5.32-7.14.1", "noarch"), ("libbz2-1", "1.0.6-5.11.1", "x86_64"),
        ("liblua5_3-5", "5.3.6-3.6.1", "x86_64"), ("liblzma5", "5.2.3-4.3.1", "x86_64"),
        ("libz1", "1.2.11-3.21.1", "x86_64"), ("libzstd1", "1.4.4-1.6.1", "x86_64"),
        ("libmagic1", "5.32-7.14.1", "x86_64"), ("libdw1", "0.168-4.5.3", "x86_64"),
        ("libebl-plugins", "0.168-4.5.3", "x86_64"), ("libelf1", "0.168-4.5.3", "x86_64"),
        ("libcrypt1", "4.4.15-2.51", "x86_64"), ("perl-base", "5.26.1-15.87", "x86_64"),
        ("libgcrypt20", "1.8.2-8.39.1", "x86_64"), ("rpm-config-SUSE", "1-5.6.1", "noarch"),
        ("rpm-ndb", "4.14.3-40.1", "x86_64"),
    ]

    @Test("ndb from SLE 15 BCI: all 35 packages in slot order")
    func ndbSLE15() throws {
        let bytes = try fixture("sle15-bci-ndb/Packages.db")
        #expect(RpmDatabase.detectFormat(bytes) == .ndb)
        let all = try records(bytes)
        #expect(all.count == 35)
        let got = all.map { "\($0.name) \($0.version)-\($0.release) \($0.arch ?? "-")" }
        #expect(got == Self.sle15Packages.map { "\($0.0) \($0.1) \($0.2)" })
        let glibc = try #require(all.first { $0.name == "glibc" })
        #expect(glibc.epoch == nil)
        #expect(glibc.vendor == "SUSE LLC <https://www.suse.com/>")
        #expect(glibc.sourceRPM == "glibc-2.31-9.3.2.src.rpm")
        #expect(glibc.files.contains("/lib64/libc.so.6"))
        let readline = try #require(all.first { $0.name == "libreadline7" })
        #expect(readline.sourceRPM == "bash-4.4-19.6.1.src.rpm")
        #expect(readline.license == "GPL-3.0-or-later")
    }

    // MARK: cataloger

    @Test("cataloger on an ndb database reached through a /var/lib/rpm symlink reports each package once")
    func catalogerNDBWithSymlink() throws {
        let fs = InMemoryRootFileSystem(
            files: ["/usr/lib/sysimage/rpm/Packages.db": try fixture("sle15-bci-ndb/Packages.db")],
            symlinks: ["/var/lib/rpm": "../../usr/lib/sysimage/rpm"])
        let distro = Distro(id: "sles", versionID: "15.3")
        let packages = try RpmCataloger().catalog(fs, distro: distro)
        #expect(packages.count == 35)
        let glibc = try #require(packages.first { $0.name == "glibc" })
        #expect(glibc.version == "2.31-9.3.2")
        #expect(glibc.release == "9.3.2")
        #expect(glibc.type == .rpm)
        #expect(glibc.purl.description == "pkg:rpm/sles/glibc@2.31-9.3.2?arch=x86_64&distro=sles-15.3")
        #expect(glibc.locations == ["/usr/lib/sysimage/rpm/Packages.db"])
        #expect(glibc.sourceName == "glibc")
        #expect(glibc.sourceVersion == nil)
        #expect(glibc.layer == nil)
        let readline = try #require(packages.first { $0.name == "libreadline7" })
        #expect(readline.sourceName == "bash")
        #expect(readline.sourceVersion == "4.4-19.6.1")
    }

    @Test("cataloger on RHEL 8 Berkeley DB: purl, source name, licenses, owned files")
    func catalogerBerkeleyDB() throws {
        let fs = InMemoryRootFileSystem(files: ["/var/lib/rpm/Packages": try fixture("libuuid-bdb/Packages")])
        let packages = try RpmCataloger().catalog(fs, distro: Distro(id: "rhel", versionID: "8.8"))
        let libuuid = try #require(packages.first)
        #expect(packages.count == 1)
        #expect(libuuid.purl.description == "pkg:rpm/rhel/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=rhel-8.8")
        #expect(libuuid.sourceName == "util-linux")
        #expect(libuuid.licenses == ["BSD"])
        #expect(libuuid.vendor == "Red Hat, Inc.")
        #expect(libuuid.architecture == "x86_64")
        #expect(libuuid.ownedFiles.count == 7)
        #expect(libuuid.locations == ["/var/lib/rpm/Packages"])
        // Without a distro the purl has no namespace and no distro qualifier.
        let bare = try RpmCataloger().catalog(fs, distro: nil)
        #expect(bare.first?.purl.description == "pkg:rpm/libuuid@2.32.1-42.el8_8?arch=x86_64")
    }

    @Test("format is detected from content, not the file name")
    func detectsByContent() throws {
        let fs = InMemoryRootFileSystem(files: ["/var/lib/rpm/Packages": try fixture("sle15-bci-ndb/Packages.db")])
        #expect(try RpmCataloger().catalog(fs, distro: nil).count == 35)
        let junk = InMemoryRootFileSystem(files: ["/var/lib/rpm/Packages": Array("not a database at all".utf8)])
        #expect(shrikeError { _ = try RpmCataloger().catalog(junk, distro: nil) }?.code == .unsupportedFormat)
        #expect(try RpmCataloger().catalog(InMemoryRootFileSystem(files: [:]), distro: nil).isEmpty)
    }

    @Test("epoch goes in front of the version and into the purl; gpg-pubkey is skipped")
    func epochAndPubkeys() throws {
        let db = RpmFixtureBuilder.ndb([
            RpmFixtureBuilder.package(name: "gpg-pubkey", version: "fd431d51", release: "4ae0493b"),
            RpmFixtureBuilder.package(name: "shadow-utils", version: "4.6", release: "17.el8", epoch: 2, arch: "x86_64"),
            RpmFixtureBuilder.package(name: "zero", version: "1", release: "1", epoch: 0),
        ])
        let fs = InMemoryRootFileSystem(files: ["/usr/lib/sysimage/rpm/Packages.db": db])
        let packages = try RpmCataloger().catalog(fs, distro: Distro(id: "rhel", versionID: "8.8"))
        #expect(packages.map(\.name) == ["shadow-utils", "zero"])
        #expect(packages[0].version == "2:4.6-17.el8")
        #expect(packages[0].epoch == 2)
        #expect(packages[0].purl.description == "pkg:rpm/rhel/shadow-utils@4.6-17.el8?arch=x86_64&distro=rhel-8.8&epoch=2")
        #expect(packages[1].version == "0:1-1")
    }

    @Test("wants exactly the six database paths")
    func wantsDatabasePaths() {
        let cataloger = RpmCataloger()
        for path in ["/var/lib/rpm/Packages", "/var/lib/rpm/Packages.db", "/var/lib/rpm/rpmdb.sqlite",
                     "/usr/lib/sysimage/rpm/Packages", "/usr/lib/sysimage/rpm/Packages.db",
                     "/usr/lib/sysimage/rpm/rpmdb.sqlite"] {
            #expect(cataloger.wants(path: path, size: 1))
        }
        #expect(!cataloger.wants(path: "/var/lib/rpm/Name", size: 1))
        #expect(!cataloger.wants(path: "/var/lib/dpkg/status", size: 1))
    }

    @Test("SOURCERPM splits into name and version-release", arguments: [
        ("util-linux-2.32.1-42.el8_8.src.rpm", "util-linux", "2.32.1-42.el8_8"),
        ("gcc12-12.2.1+git416-150000.1.5.1.src.rpm", "gcc12", "12.2.1+git416-150000.1.5.1"),
        ("foo-1-2.nosrc.rpm", "foo", "1-2"),
    ])
    func sourceRPM(_ input: String, _ name: String, _ versionRelease: String) throws {
        let split = try #require(RpmPackageRecord.splitSourceRPM(input))
        #expect(split.name == name)
        #expect(split.versionRelease == versionRelease)
    }

    @Test("SOURCERPM without name-version-release is rejected", arguments: ["", "foo.src.rpm", "foo-1.src.rpm", "-1-2.src.rpm"])
    func badSourceRPM(_ input: String) {
        #expect(RpmPackageRecord.splitSourceRPM(input) == nil)
    }

    // MARK: built databases

    @Test("Berkeley DB reader: inline and overflow values, keys, multi-page chains")
    func builtBerkeleyDB() throws {
        let big = RpmFixtureBuilder.package(name: "big", files: (0..<200).map { "/usr/share/big/file\($0)" })
        let db = RpmFixtureBuilder.berkeleyDB([(0, [9, 0, 0, 0]), (1, big), (2, RpmFixtureBuilder.package(name: "small"))],
                                              pageSize: 512, inlineLimit: 16)
        let reader = try BerkeleyDBHashReader(bytes: db)
        #expect(reader.pageSize == 512)
        #expect(!reader.isBigEndian)
        let all = try reader.records()
        #expect(all.map(\.key) == [[0, 0, 0, 0], [1, 0, 0, 0], [2, 0, 0, 0]])
        #expect(all[1].value == big)
        // The key-0 counter record is not a package.
        let names = try records(db).map(\.name)
        #expect(names == ["big", "small"])
        #expect(try records(db).first?.files.count == 200)
    }

    @Test("headers: DIRNAMES/BASENAMES/DIRINDEXES make the file list; later duplicate tags win")
    func headerFileListAndDuplicates() throws {
        let blob = RpmFixtureBuilder.header([
            (1000, .string("old")), (1001, .string("1")), (1002, .string("1")),
            (1116, .int32([0, 1, 0])), (1117, .strings(["a", "b", "c"])), (1118, .strings(["/etc/", "/usr/bin/"])),
            (5096, .string("nodejs:18:8080:abc")), (1000, .string("new")),
        ])
        let record = try RpmPackageRecord(header: RpmHeader(blob: blob))
        #expect(record.name == "new")
        #expect(record.files == ["/etc/a", "/usr/bin/b", "/etc/c"])
        #expect(record.modularityLabel == "nodejs:18:8080:abc")
    }

    // MARK: hostile input

    static func patched(_ bytes: [UInt8], _ offset: Int, _ value: [UInt8]) -> [UInt8] {
        var copy = bytes
        copy.replaceSubrange(offset..<(offset + value.count), with: value)
        return copy
    }

    static let goodHeader = RpmFixtureBuilder.package(name: "ok", files: ["/a", "/b"])

    static let hostileHeaders: [HostileInput] = [
        HostileInput("empty", []),
        HostileInput("shorter than the preamble", [0, 0, 0]),
        HostileInput("zero entries", RpmFixtureBuilder.bigEndian(0) + RpmFixtureBuilder.bigEndian(0)),
        HostileInput("il huge", patched(goodHeader, 0, [0xff, 0xff, 0xff, 0xff])),
        HostileInput("il just over the limit", patched(goodHeader, 0, [0, 1, 0, 0])),
        HostileInput("dl huge", patched(goodHeader, 4, [0x7f, 0xff, 0xff, 0xff])),
        HostileInput("truncated data", Array(goodHeader.dropLast(3))),
        HostileInput("truncated index", Array(goodHeader.prefix(20))),
        HostileInput("offset past data", patched(goodHeader, 8 + 8, [0, 0, 0x10, 0])),
        HostileInput("negative offset", patched(goodHeader, 8 + 8, [0xff, 0xff, 0xff, 0xf0])),
        HostileInput("count past data", patched(goodHeader, 8 + 12, [0, 0, 0x10, 0])),
        HostileInput("unknown type", patched(goodHeader, 8 + 4, [0, 0, 0, 42])),
        HostileInput("string without NUL", {
            let h = RpmFixtureBuilder.header([(1000, .string("name"))])
            return Array(h.dropLast()) + [0x41]
        }()),
        HostileInput("int32 array past data", RpmFixtureBuilder.bigEndian(1) + RpmFixtureBuilder.bigEndian(4)
            + RpmFixtureBuilder.bigEndian(1003) + RpmFixtureBuilder.bigEndian(4) + RpmFixtureBuilder.bigEndian(0)
            + RpmFixtureBuilder.bigEndian(2) + [0, 0, 0, 1]),
        HostileInput("no NAME", RpmFixtureBuilder.header([(1001, .string("1"))])),
        HostileInput("DIRINDEXES out of range", RpmFixtureBuilder.header([
            (1000, .string("x")), (1001, .string("1")), (1116, .int32([5])), (1117, .strings(["a"])),
            (1118, .strings(["/"])),
        ])),
        HostileInput("DIRINDEXES count differs", RpmFixtureBuilder.header([
            (1000, .string("x")), (1001, .string("1")), (1116, .int32([0, 0])), (1117, .strings(["a"])),
            (1118, .strings(["/"])),
        ])),
    ]

    @Test("hostile headers throw .malformed", arguments: hostileHeaders)
    func hostileHeader(_ input: HostileInput) {
        let (name, blob) = (input.name, input.bytes)
        let error = shrikeError { _ = try RpmPackageRecord(header: RpmHeader(blob: blob, input: name), input: name) }
        #expect(error?.code == .malformed, "\(name)")
    }

    static let goodBerkeleyDB = RpmFixtureBuilder.berkeleyDB(
        [(1, RpmFixtureBuilder.package(name: "a", files: (0..<200).map { "/f\($0)" })),
         (2, RpmFixtureBuilder.package(name: "b"))], pageSize: 512, inlineLimit: 8)

    static let hostileBerkeleyDBs: [HostileInput] = [
        HostileInput("truncated metadata", Array(goodBerkeleyDB.prefix(100))),
        HostileInput("last page past end of file", Array(goodBerkeleyDB.dropLast(512))),
        HostileInput("page size not a power of two", patched(goodBerkeleyDB, 20, RpmFixtureBuilder.littleEndian(1000))),
        HostileInput("page size zero", patched(goodBerkeleyDB, 20, RpmFixtureBuilder.littleEndian(0))),
        HostileInput("odd item count", patched(goodBerkeleyDB, 512 + 20, [3, 0])),
        HostileInput("item count beyond the page", patched(goodBerkeleyDB, 512 + 20, [0xfe, 0xff])),
        HostileInput("item offset outside page", patched(goodBerkeleyDB, 512 + 26, [0x01, 0x00])),
        HostileInput("overflow chain to a page past the end", {
            var db = goodBerkeleyDB
            let last = db.count / 512 - 1
            RpmFixtureBuilder.write32LE(999, into: &db, at: last * 512 - 512 + 16)
            return db
        }()),
        HostileInput("overflow chain cycle", {
            // The first value's chain runs pages 2, 3, …: point page 3 back at page 2.
            var db = goodBerkeleyDB
            RpmFixtureBuilder.write32LE(2, into: &db, at: 3 * 512 + 16)
            return db
        }()),
        HostileInput("overflow page self-loop", patched(goodBerkeleyDB, 2 * 512 + 16, RpmFixtureBuilder.littleEndian(2))),
        HostileInput("overflow length longer than the page", patched(goodBerkeleyDB, 2 * 512 + 22, [0xff, 0xff])),
        HostileInput("overflow chain points at the hash page", patched(goodBerkeleyDB, 2 * 512 + 16, RpmFixtureBuilder.littleEndian(1))),
    ]

    @Test("hostile Berkeley DB files throw .malformed", arguments: hostileBerkeleyDBs)
    func hostileBerkeleyDB(_ input: HostileInput) {
        let (name, db) = (input.name, input.bytes)
        #expect(RpmDatabase.detectFormat(RpmDatabaseTests.goodBerkeleyDB) == .berkeleyDB)
        let error = shrikeError { _ = try RpmDatabase.headers(bytes: db, input: name) }
        #expect(error?.code == .malformed, "\(name)")
        if name.contains("cycle") || name.contains("loop") {
            // The loop guard must be what stops it, not the length check further on.
            #expect(error?.message.contains("loops back") == true, "\(error?.message ?? "")")
        }
    }

    static let goodNDB = RpmFixtureBuilder.ndb([RpmFixtureBuilder.package(name: "a"), RpmFixtureBuilder.package(name: "b")])

    static let hostileNDBs: [HostileInput] = [
        HostileInput("header only", Array(goodNDB.prefix(32))),
        HostileInput("slot pages past end of file", patched(goodNDB, 12, RpmFixtureBuilder.littleEndian(100))),
        HostileInput("zero slot pages", patched(goodNDB, 12, RpmFixtureBuilder.littleEndian(0))),
        HostileInput("bad slot magic", patched(goodNDB, 32, Array("Slob".utf8))),
        HostileInput("blob offset past end", patched(goodNDB, 32 + 8, RpmFixtureBuilder.littleEndian(0x0fff_ffff))),
        HostileInput("blob inside slot pages", patched(goodNDB, 32 + 8, RpmFixtureBuilder.littleEndian(2))),
        HostileInput("block count huge", patched(goodNDB, 32 + 12, RpmFixtureBuilder.littleEndian(0xffff_ffff))),
        HostileInput("bad blob magic", patched(goodNDB, 4096, Array("XXXX".utf8))),
        HostileInput("blob of another package", patched(goodNDB, 4096 + 4, RpmFixtureBuilder.littleEndian(7))),
        HostileInput("blob length past its blocks", patched(goodNDB, 4096 + 12, RpmFixtureBuilder.littleEndian(100_000))),
        HostileInput("truncated blob area", Array(goodNDB.dropLast(40))),
    ]

    @Test("hostile ndb files throw .malformed", arguments: hostileNDBs)
    func hostileNDB(_ input: HostileInput) {
        let (name, db) = (input.name, input.bytes)
        let error = shrikeError { _ = try RpmDatabase.headers(bytes: db, input: name) }
        #expect(error?.code == .malformed, "\(name)")
    }

    @Test("randomly damaged real databases never crash", arguments: ["libuuid-bdb/Packages", "sle15-bci-ndb/Packages.db"])
    func mutatedRealDatabases(_ path: String) throws {
        let original = try fixture(path)
        var rng = SplitMix64(seed: 0x5eed)
        var failures = 0
        for round in 0..<300 {
            var bytes = original
            // Damage the structural parts (metadata, slot pages, page headers) more often than payload.
            for _ in 0..<(1 + round % 4) {
                let limit = round % 2 == 0 ? min(bytes.count, 8192) : bytes.count
                bytes[Int(rng.next() % UInt64(limit))] = UInt8(truncatingIfNeeded: rng.next())
            }
            if round % 10 == 0 { bytes = Array(bytes.prefix(Int(rng.next() % UInt64(bytes.count)))) }
            do {
                _ = try RpmDatabase.headers(bytes: bytes, input: path).map { try RpmPackageRecord(header: $0) }
            } catch is ShrikeError {
                failures += 1
            }
        }
        #expect(failures > 0)
    }
}

/// A named damaged input; only the name is shown in test output.
struct HostileInput: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var testDescription: String { name }

    init(_ name: String, _ bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

/// A small deterministic generator so damaged-input tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
