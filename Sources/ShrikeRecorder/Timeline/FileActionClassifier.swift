import ShrikeSensor

/// Sorts file events into what happened to the file, and knows which paths are sensitive to read.
enum FileActionClassifier {
    enum Action: String, Sendable {
        case created, modified, deleted, renamed, permissions, sensitiveRead = "sensitive-read"
    }

    static func action(of event: Event) -> Action? {
        guard let file = event.file else { return nil }
        switch event.type {
        case "open", "openat", "openat2":
            // Opening a device (a shell's `> /dev/null`, a probe of /dev/tty) changes no file: not timeline material.
            if file.path.hasPrefix("/dev/") && !isSensitive(file.path) { return nil }
            let flags = file.flags ?? 0
            if flags & OpenFlags.create != 0 { return .created }
            if OpenFlags.writes(flags) { return .modified }
            return isSensitive(file.path) ? .sensitiveRead : nil
        case "creat", "mkdir", "mkdirat", "symlink", "symlinkat", "link", "linkat", "mknod", "mknodat":
            return .created
        case "unlink", "unlinkat", "rmdir":
            return .deleted
        case "rename", "renameat", "renameat2":
            return .renamed
        case "chmod", "fchmod", "fchmodat", "chown", "lchown", "fchown", "fchownat":
            return .permissions
        case "truncate", "ftruncate":
            return .modified
        default:
            return nil
        }
    }

    private static let sensitiveFiles: Set<String> = [
        "/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/sudoers", "/etc/master.passwd",
        "/etc/security/opasswd", "/etc/kubernetes/admin.conf", "/etc/krb5.keytab", "/root/.bash_history",
    ]
    private static let sensitivePrefixes = [
        "/etc/sudoers.d/", "/root/.ssh/", "/etc/ssl/private/", "/var/run/secrets/", "/run/secrets/",
        "/etc/ssh/ssh_host_", "/etc/pki/tls/private/",
    ]
    private static let sensitiveParts = [
        "/.ssh/", "/.aws/credentials", "/.aws/config", "/.docker/config.json", "/.kube/config", "/.gnupg/", "/.netrc",
        "/.pgpass", "/.git-credentials", "/.vault-token",
    ]
    private static let keyNames = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"]

    /// True for credentials, keys and secrets: shadow files, sudoers, ssh keys, cloud and cluster credentials.
    static func isSensitive(_ path: String) -> Bool {
        if sensitiveFiles.contains(path) { return true }
        if path.hasSuffix(".pub") { return false }
        if sensitivePrefixes.contains(where: path.hasPrefix) { return true }
        if sensitiveParts.contains(where: path.contains) { return true }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return keyNames.contains(where: name.hasPrefix)
    }
}

/// Names for the errno values syscalls return most.
enum ErrnoName {
    private static let names: [Int64: String] = [
        1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 9: "EBADF", 11: "EAGAIN", 12: "ENOMEM", 13: "EACCES",
        16: "EBUSY", 17: "EEXIST", 18: "EXDEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL", 28: "ENOSPC", 30: "EROFS",
        39: "ENOTEMPTY", 40: "ELOOP", 97: "EAFNOSUPPORT", 98: "EADDRINUSE", 99: "EADDRNOTAVAIL", 101: "ENETUNREACH",
        110: "ETIMEDOUT", 111: "ECONNREFUSED", 113: "EHOSTUNREACH", 115: "EINPROGRESS",
    ]

    static func name(_ ret: Int64) -> String? {
        guard ret < 0 else { return nil }
        return names[-ret] ?? "errno \(-ret)"
    }
}
