import Foundation
import ShrikeCore

/// Checks, before touching the kernel, that this machine can run the sensor, so failures get a precise fix.
public enum SensorPreflight {
    /// CAP_SYS_ADMIN, CAP_PERFMON, CAP_BPF bit numbers.
    static let capSysAdmin = 21, capPerfmon = 38, capBPF = 39

    public static func check(btfPath: String = "/sys/kernel/btf/vmlinux") throws {
        guard SyscallTable.current != nil else {
            throw ShrikeError(.sensorUnavailable, "the sensor supports x86_64 only for now", input: machine())
        }
        if geteuid() != 0 {
            let caps = effectiveCapabilities()
            let hasBPF = caps & (1 << UInt64(capBPF)) != 0 && caps & (1 << UInt64(capPerfmon)) != 0
            let hasAdmin = caps & (1 << UInt64(capSysAdmin)) != 0
            if !hasBPF && !hasAdmin {
                throw ShrikeError(.sensorUnavailable,
                                  "needs root (or CAP_BPF and CAP_PERFMON); run it with sudo", input: "shrike watch")
            }
        }
        guard FileManager.default.fileExists(atPath: btfPath) else {
            throw ShrikeError(.sensorUnavailable,
                              "the kernel has no BTF; use a kernel built with CONFIG_DEBUG_INFO_BTF=y (5.11 or newer)",
                              input: btfPath)
        }
        let release = kernelRelease()
        if let version = parseKernelVersion(release), version < (5, 11) {
            throw ShrikeError(.sensorUnavailable,
                              "kernel \(release) is too old; the sensor needs 5.11 or newer (BTF ring buffers and "
                                + "tp_btf tracepoints)", input: "uname -r")
        }
    }

    /// Whether the sensor can run here, as a reason when it cannot (tests use this to skip with a message).
    public static func unavailableReason() -> String? {
        do {
            try check()
            return nil
        } catch {
            return "\(error)"
        }
    }

    static func effectiveCapabilities() -> UInt64 {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("CapEff:") {
            return UInt64(line.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) ?? 0
        }
        return 0
    }

    static func kernelRelease() -> String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    static func machine() -> String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    static func parseKernelVersion(_ release: String) -> (Int, Int)? {
        let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        guard parts.count == 2 else { return nil }
        return (parts[0], parts[1])
    }
}
