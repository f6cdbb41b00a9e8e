import Foundation

/// Process environments from /proc/PID/environ, read when a rule first asks (`proc.env[HOME]`) and kept per process
/// (pid and start time, so a reused pid is read again).
///
/// A process that is gone has no environment (`<NA>`), as in Falco when the data is missing.
public final class ProcessEnvironmentCache {
    private struct Key: Hashable {
        var pid: Int32
        var start: String
    }

    private let procRoot: String
    private var cache: [Key: [String: String]] = [:]
    private var order: [Key] = []
    private let limit = 4096

    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    /// The environment of `pid`, or nil when /proc no longer has it.
    public func environment(pid: Int32) -> [String: String]? {
        guard let start = startTime(pid) else { return nil }
        let key = Key(pid: pid, start: start)
        if let cached = cache[key] { return cached }
        guard let data = FileManager.default.contents(atPath: "\(procRoot)/\(pid)/environ") else { return nil }
        var environment: [String: String] = [:]
        for entry in data.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { continue }
            environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        if order.count >= limit {
            cache[order.removeFirst()] = nil
        }
        cache[key] = environment
        order.append(key)
        return environment
    }

    /// Field 22 of /proc/PID/stat (start time in ticks), read after the `comm` field's closing parenthesis.
    private func startTime(_ pid: Int32) -> String? {
        guard let data = FileManager.default.contents(atPath: "\(procRoot)/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the comm: state is field 3, so start time (field 22) is at index 19.
        return fields.count > 19 ? String(fields[19]) : nil
    }
}
