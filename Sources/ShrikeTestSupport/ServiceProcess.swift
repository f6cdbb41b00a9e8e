import Foundation

/// What the long-lived services of the tests (PostgreSQL, etcd, kube-apiserver) share: a spawn that passes them no
/// descriptor of the test process, and a free loopback port.
enum ServiceProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// posix_spawn with standard input from /dev/null, standard output and error to `output` (truncated), and no other
    /// descriptor: a service outlives the call, and an inherited descriptor (the build lock's, a test's pipe) would
    /// stay open, and held, as long as it runs. Returns the child's pid; the caller reaps it.
    static func spawn(_ command: [String], output: String) throws(Failure) -> pid_t {
        guard let executable = command.first else { throw Failure(description: "no command to run") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // glibc 2.34+ has posix_spawn_file_actions_addclosefrom_np, which Glibc's module does not import (it needs
        // _GNU_SOURCE), so it is looked up by name.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else {
            throw Failure(description: "this C library has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34+), "
                          + "so \(executable) would inherit the test process's descriptors")
        }
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
        var argv = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, &argv, environ)
        guard spawned == 0 else {
            throw Failure(description: "cannot run \(executable): \(String(cString: strerror(spawned)))")
        }
        return pid
    }

    /// A TCP port nothing listens on now on 127.0.0.1 (the kernel's pick for port 0).
    static func freeLoopbackPort() throws(Failure) -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket(): errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
