import Foundation
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport
import Testing
@testable import ShrikeCatalog

struct OSReleaseTests {
    // MARK: os-release format

    @Test(arguments: [
        ("ID=debian", "debian"),
        ("ID=\"debian\"", "debian"),
        ("ID='debian'", "debian"),
        ("ID=\"Debian \\\"GNU\\\" \\\\ \\$x \\`y\\`\"", "Debian \"GNU\" \\ $x `y`"),
        ("ID=\"a\\nb\"", "a\\nb"),                  // not an escapable character inside double quotes: kept
        ("ID='it\\'s'", "it\\s"),                    // single quotes escape nothing; the stray quote opens an empty one
        ("ID=bare\\ word", "bare word"),
        ("ID=\"two words\"  # comment", "two words"),
        ("ID=value # comment", "value"),
        ("ID=a#b", "a#b"),                           // '#' only starts a comment after whitespace
        ("ID=\"con\"'cat'enated", "concatenated"),
        ("ID=\"unterminated", "unterminated"),
        ("  ID=indented", "indented"),
        ("ID= spaced", "spaced"),
        ("ID=", ""),
    ])
    func parsesOneValue(line: String, expected: String) {
        #expect(OSReleaseParser.parse(line)["ID"] == expected)
    }

    @Test func skipsCommentsBlankAndInvalidLines() {
        let text = "# a comment\n\n   \nnot an assignment\n1KEY=bad\nKEY-DASH=bad\nNAME=\"Alpine Linux\"\r\nID=alpine\r\nID=later"
        let fields = OSReleaseParser.parse(text)
        #expect(fields == ["NAME": "Alpine Linux", "ID": "later"])
    }

    @Test func debianOSRelease() throws {
        let text = """
            PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
            NAME="Debian GNU/Linux"
            VERSION_ID="12"
            VERSION="12 (bookworm)"
            VERSION_CODENAME=bookworm
            ID=debian
            HOME_URL="https://www.debian.org/"

            """
        let distro = try #require(OSReleaseParser.distro(fromText: text))
        #expect(distro == Distro(id: "debian", versionID: "12", prettyName: "Debian GNU/Linux 12 (bookworm)",
                                 codename: "bookworm"))
        #expect(distro.purlQualifier == "debian-12")
    }

    @Test func ubuntuIDLike() throws {
        let text = "NAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\nVERSION_CODENAME=jammy\n"
        let distro = try #require(OSReleaseParser.distro(fromText: text))
        #expect(distro.id == "ubuntu")
        #expect(distro.idLike == ["debian"])
        let rocky = try #require(OSReleaseParser.distro(fromText: "ID=\"Rocky\"\nID_LIKE=\"rhel centos  fedora\"\nVERSION_ID=\"9.3\""))
        #expect(rocky.id == "rocky")
        #expect(rocky.idLike == ["rhel", "centos", "fedora"])
    }

    @Test func noIDMeansNoDistro() {
        #expect(OSReleaseParser.distro(fromText: "NAME=Something\nVERSION_ID=1") == nil)
        #expect(OSReleaseParser.distro(fromText: "ID=\"\"") == nil)
        #expect(OSReleaseParser.distro(fromText: "") == nil)
    }

    // MARK: detection order and fallbacks

    @Test func etcOSReleaseIsAlinkIntoUsrLib() throws {
        let fs = try InMemoryFileSystem(
            textFiles: ["/usr/lib/os-release": "ID=debian\nVERSION_ID=\"12\"\n", "/etc/debian_version": "11.9\n"],
            symlinks: ["/etc/os-release": "../usr/lib/os-release"],
            keepContent: { path, _ in DistroDetector.wantedPaths.contains(path) })
        #expect(try DistroDetector.detect(fs)?.purlQualifier == "debian-12")
    }

    @Test func usrLibOSReleaseWhenEtcIsMissing() throws {
        let fs = try InMemoryFileSystem(textFiles: ["/usr/lib/os-release": "ID=fedora\nVERSION_ID=40\n"])
        #expect(try DistroDetector.detect(fs) == Distro(id: "fedora", versionID: "40"))
    }

    @Test func etcOSReleaseWinsOverUsrLib() throws {
        let fs = try InMemoryFileSystem(textFiles: ["/etc/os-release": "ID=ubuntu\nVERSION_ID=24.04\n",
                                                    "/usr/lib/os-release": "ID=debian\n"])
        #expect(try DistroDetector.detect(fs)?.id == "ubuntu")
    }

    @Test func osReleaseWithoutIDFallsThrough() throws {
        let fs = try InMemoryFileSystem(textFiles: ["/etc/os-release": "NAME=broken\n", "/etc/alpine-release": "3.18.4\n"])
        #expect(try DistroDetector.detect(fs) == Distro(id: "alpine", versionID: "3.18.4", prettyName: "Alpine Linux v3.18"))
    }

    @Test(arguments: [
        ("12.4\n", Distro(id: "debian", versionID: "12", prettyName: "Debian GNU/Linux 12.4")),
        ("9.13", Distro(id: "debian", versionID: "9", prettyName: "Debian GNU/Linux 9.13")),
        ("bookworm/sid\n", Distro(id: "debian", prettyName: "Debian GNU/Linux bookworm/sid", codename: "bookworm")),
    ])
    func debianVersionFile(text: String, expected: Distro) throws {
        let fs = try InMemoryFileSystem(textFiles: ["/etc/debian_version": text])
        #expect(try DistroDetector.detect(fs) == expected)
    }

    @Test(arguments: [
        ("CentOS Linux release 7.9.2009 (Core)\n", "centos", "7.9.2009", "Core"),
        ("Red Hat Enterprise Linux release 8.4 (Ootpa)\n", "rhel", "8.4", "Ootpa"),
        ("CentOS release 6.10 (Final)", "centos", "6.10", "Final"),
        ("Rocky Linux release 9.3 (Blue Onyx)", "rocky", "9.3", "Blue Onyx"),
        ("Fedora release 39 (Thirty Nine)", "fedora", "39", "Thirty Nine"),
        ("Red Hat Enterprise Linux Server release 7.9 (Maipo)", "rhel", "7.9", "Maipo"),
    ])
    func redHatReleaseFile(text: String, id: String, version: String, codename: String) throws {
        let fs = try InMemoryFileSystem(textFiles: ["/etc/redhat-release": text])
        let distro = try #require(try DistroDetector.detect(fs))
        #expect(distro.id == id)
        #expect(distro.versionID == version)
        #expect(distro.codename == codename)
        #expect(distro.prettyName == text.trimmingCharacters(in: .newlines))
    }

    @Test func unparseableRedHatReleaseIsNoDistro() throws {
        let fs = try InMemoryFileSystem(textFiles: ["/etc/redhat-release": "something else entirely\n"])
        #expect(try DistroDetector.detect(fs) == nil)
    }

    @Test func alpineReleaseBeatsDebianVersion() throws {
        let fs = try InMemoryFileSystem(textFiles: ["/etc/alpine-release": "3.9.6", "/etc/debian_version": "12.1"])
        #expect(try DistroDetector.detect(fs)?.id == "alpine")
    }

    @Test func emptyRootHasNoDistro() throws {
        #expect(try DistroDetector.detect(try InMemoryFileSystem()) == nil)
    }

    @Test func osReleaseLinkLoopIsAnError() throws {
        let fs = try InMemoryFileSystem(symlinks: ["/etc/os-release": "/etc/os-release"])
        #expect(throws: ShrikeError.self) { try DistroDetector.detect(fs) }
    }

    @Test func wantedPathsAreTheDetectorsFiles() {
        #expect(DistroDetector.wantedPaths == ["/etc/os-release", "/usr/lib/os-release", "/etc/lsb-release",
                                               "/etc/alpine-release", "/etc/debian_version", "/etc/redhat-release",
                                               "/etc/system-release", "/etc/mariner-release", "/etc/azurelinux-release",
                                               "/etc/SuSE-release"])
    }

    // MARK: real files

    @Test(.enabled(if: MinirootfsFixture.tarAvailable, "needs /bin/tar to read the minirootfs fixture"),
          arguments: [
            (MinirootfsFixture.alpine396, Distro(id: "alpine", versionID: "3.9.6", prettyName: "Alpine Linux v3.9")),
            (MinirootfsFixture.alpine3203, Distro(id: "alpine", versionID: "3.20.3", prettyName: "Alpine Linux v3.20")),
          ])
    func alpineMinirootfs(archive: String, expected: Distro) throws {
        let osRelease = try MinirootfsFixture.extract("./etc/os-release", from: archive)
        let alpineRelease = try MinirootfsFixture.extract("./etc/alpine-release", from: archive)
        let fs = try InMemoryFileSystem(files: ["/etc/os-release": osRelease, "/etc/alpine-release": alpineRelease])
        #expect(try DistroDetector.detect(fs) == expected)
        // The one-line file agrees on the version when os-release is gone.
        let withoutOSRelease = try InMemoryFileSystem(files: ["/etc/alpine-release": alpineRelease])
        #expect(try DistroDetector.detect(withoutOSRelease)?.versionID == expected.versionID)
    }
}
