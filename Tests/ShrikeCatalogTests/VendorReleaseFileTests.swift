import ShrikeCatalog
import ShrikeTestSupport
import Testing

/// Distribution detection from the files images carry when os-release is missing: lsb-release and the vendors' own
/// release files, each with its family's release naming.
@Suite("Distribution detection from lsb-release and vendor release files")
struct VendorReleaseFileTests {
    @Test(arguments: [
        // Ubuntu 18.04's lsb-release as shipped (base-files 10.1ubuntu2).
        ("/etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\nDISTRIB_CODENAME=bionic\nDISTRIB_DESCRIPTION=\"Ubuntu 18.04.6 LTS\"\n",
         "ubuntu", "18.04", "bionic"),
        // Without a release number the codename gives it.
        ("/etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_CODENAME=focal\n", "ubuntu", "20.04", "focal"),
        ("/etc/mariner-release", "CBL-Mariner 2.0.20230630\nMARINER_BUILD_NUMBER=a3a2f3a\n", "mariner", "2.0", nil),
        ("/etc/mariner-release", "CBL-Mariner 1.0.20220426\nMARINER_BUILD_NUMBER=b1fa82b\n", "mariner", "1.0", nil),
        ("/etc/azurelinux-release", "Azure Linux 3.0.20240727\nAZURELINUX_BUILD_NUMBER=e1b5b4c\n", "azurelinux", "3.0", nil),
        ("/etc/system-release", "Amazon Linux release 2 (Karoo)\n", "amzn", "2", "Karoo"),
        ("/etc/system-release", "Amazon Linux release 2023 (Amazon Linux)\n", "amzn", "2023", "Amazon Linux"),
        ("/etc/system-release", "Amazon Linux AMI release 2018.03\n", "amzn", "2018.03", nil),
        ("/etc/redhat-release", "Rocky Linux release 9.3 (Blue Onyx)\n", "rocky", "9.3", "Blue Onyx"),
        ("/etc/redhat-release", "Oracle Linux Server release 9.2\n", "ol", "9.2", nil),
        ("/etc/SuSE-release", "SUSE Linux Enterprise Server 12 (x86_64)\nVERSION = 12\nPATCHLEVEL = 3\n", "sles", "12.3", nil),
        ("/etc/SuSE-release", "SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\nPATCHLEVEL = 0\n", "sles", "11", nil),
        ("/etc/SuSE-release", "openSUSE 13.2 (x86_64)\nVERSION = 13.2\nCODENAME = Harlequin\n", "opensuse-leap", "13.2", nil),
    ] as [(String, String, String, String, String?)])
    func vendorFile(_ path: String, _ text: String, _ id: String, _ version: String, _ codename: String?) throws {
        let fs = try InMemoryFileSystem(textFiles: [path: text])
        let distro = try #require(try DistroDetector.detect(fs), "\(path): \(text)")
        #expect(distro.id == id)
        #expect(distro.versionID == version)
        #expect(distro.codename == codename)
    }

    @Test("os-release wins over lsb-release, lsb-release over debian_version")
    func order() throws {
        let both = try InMemoryFileSystem(textFiles: [
            "/etc/os-release": "ID=ubuntu\nVERSION_ID=\"22.04\"\n",
            "/etc/lsb-release": "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\n",
            "/etc/debian_version": "buster/sid\n",
        ])
        #expect(try DistroDetector.detect(both)?.versionID == "22.04")
        let noOSRelease = try InMemoryFileSystem(textFiles: [
            "/etc/lsb-release": "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=18.04\n", "/etc/debian_version": "buster/sid\n",
        ])
        #expect(try DistroDetector.detect(noOSRelease)?.id == "ubuntu")
    }

    @Test("files that name no distribution fall through", arguments: [
        ("/etc/lsb-release", "DISTRIB_RELEASE=18.04\n"),
        ("/etc/mariner-release", "something else 2.0\n"),
        ("/etc/SuSE-release", "SUSE Linux Enterprise Server 12 (x86_64)\n"),
    ])
    func fallsThrough(_ path: String, _ text: String) throws {
        #expect(try DistroDetector.detect(try InMemoryFileSystem(textFiles: [path: text])) == nil)
    }

    @Test("every vendor file is one an image source keeps")
    func wanted() {
        for path in ["/etc/lsb-release", "/etc/mariner-release", "/etc/azurelinux-release", "/etc/system-release",
                     "/etc/SuSE-release"] {
            #expect(DistroDetector.wantedPaths.contains(path), "\(path)")
        }
    }

    @Test("Ubuntu codenames and versions map both ways", arguments: [
        ("xenial", "16.04"), ("bionic", "18.04"), ("focal", "20.04"), ("jammy", "22.04"), ("noble", "24.04"),
    ])
    func ubuntuReleases(_ codename: String, _ version: String) {
        #expect(UbuntuRelease.version(ofCodename: codename) == version)
        #expect(UbuntuRelease.codename(ofVersion: version + ".3") == codename)
    }
}
