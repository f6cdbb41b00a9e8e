import Foundation
import Synchronization

/// A throwaway PostgreSQL cluster for tests: `initdb` in a temporary directory, a server on a Unix socket there (and
/// 127.0.0.1 on a free port), trust authentication for the `postgres` role, durability off (fsync, synchronous
/// commit), stopped and deleted when the test process exits. As root, the cluster's files belong to the `postgres`
/// user and its programs run as that user (PostgreSQL refuses to run as root).
///
/// Uses Debian's `postgresql` package (`/usr/lib/postgresql/N/bin`, the newest N), or `SHRIKE_POSTGRES_BIN`.
public final class PostgresCluster: Sendable {
    /// The process's cluster, started on first use; `.failure` says why PostgreSQL cannot run here.
    public static let shared: Result<PostgresCluster, Unavailable> = {
        do {
            let cluster = try PostgresCluster()
            started.withLock { $0 = cluster }
            atexit { PostgresCluster.started.withLock { $0?.stop() } }
            return .success(cluster)
        } catch let error as Unavailable {
            return .failure(error)
        } catch {
            return .failure(Unavailable(reason: "\(error)"))
        }
    }()

    private static let started = Mutex<PostgresCluster?>(nil)

    public struct Unavailable: Error, CustomStringConvertible, Sendable {
        public var reason: String
        public var description: String { "PostgreSQL cannot run here: \(reason)" }
    }

    public let directory: String
    public let socketDirectory: String
    public let port: Int
    let binDirectory: String
    /// `runuser -u postgres --` as root, nothing otherwise.
    let asOwner: [String]
    private let databases = Mutex(0)

    private init() throws {
        binDirectory = try Self.findBinaries()
        asOwner = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []
        guard getuid() != 0 || getpwnam("postgres") != nil else {
            throw Unavailable(reason: "running as root and there is no postgres user to run the server as "
                              + "(apt-get install postgresql creates it)")
        }
        // /tmp, not TMPDIR: a socket path has at most 107 bytes.
        let base = "/tmp/shrike-pg-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        directory = base
        socketDirectory = base + "/socket"
        do {
            port = try ServiceProcess.freeLoopbackPort()
        } catch {
            throw Unavailable(reason: "\(error)")
        }
        try FileManager.default.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        if getuid() == 0, let owner = getpwnam("postgres") {
            for path in [base, socketDirectory] { chown(path, owner.pointee.pw_uid, owner.pointee.pw_gid) }
        }
        try run("initdb", ["-D", base + "/data", "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C",
                           "--no-sync"], what: "initdb")
        let options = "-k \(socketDirectory) -p \(port) -c listen_addresses=127.0.0.1 -c fsync=off "
            + "-c synchronous_commit=off -c full_page_writes=off -c max_connections=400 -c shared_buffers=128MB"
        try run("pg_ctl", ["-D", base + "/data", "-l", base + "/server.log", "-w", "-t", "60", "-o", options, "start"],
                what: "starting the server")
    }

    /// A new, empty database; its name.
    public func createDatabase() throws -> String {
        let number = databases.withLock { count -> Int in
            count += 1
            return count
        }
        let name = "shrike_test_\(number)"
        try run("psql", ["-X", "-q", "-h", socketDirectory, "-p", String(port), "-U", "postgres", "-d", "postgres",
                         "-c", "CREATE DATABASE \(name)"], what: "CREATE DATABASE", asOwner: false)
        return name
    }

    /// Runs `sql` in `database` with psql (for tests that need to put a database into a state no store call makes,
    /// such as one migrated only part of the way).
    public func execute(database: String, sql: String) throws {
        try run("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socketDirectory, "-p", String(port), "-U", "postgres",
                         "-d", database, "-c", sql], what: "psql", asOwner: false)
    }

    /// `postgres://postgres@%2F…:PORT/NAME`: over the Unix socket.
    public func socketURL(database: String) -> String {
        let encoded = socketDirectory.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? socketDirectory
        return "postgres://postgres@\(encoded):\(port)/\(database)"
    }

    /// Over TCP on 127.0.0.1, without TLS.
    public func tcpURL(database: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Stops the server at once and deletes the cluster.
    public func stop() {
        _ = try? run("pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"], what: "stopping")
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func run(_ tool: String, _ arguments: [String], what: String, asOwner: Bool = true) throws {
        let command = (asOwner ? self.asOwner : []) + [binDirectory + "/" + tool] + arguments
        let output = directory + "/\(tool).out"
        let status = try Self.spawn(command, output: output, what: what)
        guard status == 0 else {
            let said = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            let log = (try? String(contentsOfFile: directory + "/server.log", encoding: .utf8)) ?? ""
            throw Unavailable(reason: "\(what) failed (exit \(status)): " + (said + log).suffix(600))
        }
    }

    /// posix_spawn and waitpid, output to a file: Foundation's Process can miss the exit of `runuser` whose
    /// grandchild, the postmaster, lives on.
    private static func spawn(_ command: [String], output: String, what: String) throws -> Int32 {
        let pid: pid_t
        do {
            pid = try ServiceProcess.spawn(command, output: output)
        } catch {
            throw Unavailable(reason: "\(what): \(error)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    private static func findBinaries() throws -> String {
        if let bin = ProcessInfo.processInfo.environment["SHRIKE_POSTGRES_BIN"] { return bin }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap(Int.init).sorted()
        for version in versions.reversed() where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw Unavailable(reason: "no initdb under \(root)/*/bin: install Debian's postgresql package "
                          + "(make test-deps does), or set SHRIKE_POSTGRES_BIN")
    }
}
