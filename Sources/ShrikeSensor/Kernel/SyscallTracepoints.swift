import Foundation

/// The per-syscall tracepoints (`syscalls:sys_exit_NAME`) in tracefs, which the sensor attaches to when it can: then
/// a syscall no rule wants runs no BPF program at all. They need tracefs; the kernel has it, but a fresh machine may
/// not have it mounted, so the sensor mounts it at its standard place (as `perf` and bpftrace users do) and falls
/// back to `raw_syscalls:sys_exit` for every syscall when that is not possible.
enum SyscallTracepoints {
    static let roots = ["/sys/kernel/tracing", "/sys/kernel/debug/tracing"]

    /// The tracefs directory holding `events/syscalls`, mounting tracefs at /sys/kernel/tracing when nothing is
    /// mounted; nil when there is none (no CONFIG_FTRACE_SYSCALLS, no permission to mount).
    static func eventsRoot() -> String? {
        if let found = roots.first(where: { FileManager.default.fileExists(atPath: $0 + "/events/syscalls") }) {
            return found
        }
        guard FileManager.default.fileExists(atPath: roots[0]),
              mount("tracefs", roots[0], "tracefs", 0, nil) == 0 else { return nil }
        return FileManager.default.fileExists(atPath: roots[0] + "/events/syscalls") ? roots[0] : nil
    }

    /// Syscalls whose tracepoint is named after the kernel function rather than the syscall table's name
    /// (`SYSCALL_DEFINE2(umount, …)` serves umount2).
    static let tracepointNames = ["umount2": "umount", "sendfile": "sendfile64"]

    /// The tracepoint event name of syscall `name`: `sys_exit_` and the kernel's name for it.
    static func exitEvent(_ name: String) -> String { "sys_exit_" + (tracepointNames[name] ?? name) }

    /// Whether `syscalls:sys_exit_…` exists for `name`. The kernel builds one per syscall it implements; one it was
    /// built without (init_module without CONFIG_MODULES) has none, and every call of it fails with ENOSYS, which
    /// only the raw tracepoint sees.
    static func hasExit(_ name: String, root: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(root)/events/syscalls/\(exitEvent(name))")
    }
}
