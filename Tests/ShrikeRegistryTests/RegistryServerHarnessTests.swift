import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import ShrikeTestSupport

/// The test harness itself: a registry starts, answers, and is gone after stop() (no leaked servers).
@Suite(.enabled(if: RegistryTests.haveRegistry, "docker-registry is not installed (apt-get install docker-registry)"))
struct RegistryServerHarnessTests {
    @Test func startsAndStopsWithoutLeaking() throws {
        let server = try RegistryServer()
        let pid = try #require(server.registryPID)
        #expect(RegistryServer.answers(port: server.port))
        #expect(kill(pid, 0) == 0)
        server.stop()
        #expect(kill(pid, 0) != 0, "the registry process must be gone after stop()")
        #expect(!RegistryServer.answers(port: server.port))
        #expect(!FileManager.default.fileExists(atPath: server.root))
    }

    @Test func deinitStopsTheServer() throws {
        var pid: Int32 = 0
        var port = 0
        do {
            let server = try RegistryServer()
            pid = try #require(server.registryPID)
            port = server.port
        }
        #expect(kill(pid, 0) != 0, "dropping the server must stop it")
        #expect(!RegistryServer.answers(port: port))
    }
}
