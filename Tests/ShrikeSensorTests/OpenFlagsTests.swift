import Testing
@testable import ShrikeSensor

@Suite("open(2) flag names")
struct OpenFlagsTests {
    @Test(arguments: [
        (Int32(0), "O_RDONLY"),
        (Int32(0o2000000), "O_RDONLY|O_CLOEXEC"),
        (Int32(0o1101), "O_WRONLY|O_CREAT|O_TRUNC"),
        (Int32(0o2102), "O_RDWR|O_CREAT|O_APPEND"),
        (Int32(0o4010001), "O_WRONLY|O_SYNC"),
        (Int32(0o10000), "O_RDONLY|O_DSYNC"),
        (Int32(0o20200002), "O_RDWR|O_DIRECTORY|O_TMPFILE"),
    ])
    func describes(flags: Int32, text: String) {
        #expect(OpenFlags.describe(flags) == text)
    }

    @Test func writes() {
        #expect(!OpenFlags.writes(0o2000000))
        #expect(OpenFlags.writes(0o1))
        #expect(OpenFlags.writes(0o100))
        #expect(OpenFlags.writes(0o2000))
    }
}
