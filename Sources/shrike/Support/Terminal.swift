#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ShrikeAgent
import ShrikeCore

/// Writes to the terminal with `write(2)` (Swift 6 rejects the C `stdout`/`stderr` globals).
enum Terminal {
    static func write(_ string: String, to fd: Int32 = 1) {
        StandardStream.write(string, to: fd)
    }

    /// Writes all of `bytes`, retrying after EINTR; false when the descriptor stopped taking them (a closed pipe).
    @discardableResult
    static func write(bytes: [UInt8], to fd: Int32 = 1) -> Bool {
        StandardStream.write(bytes: bytes, to: fd)
    }

    static func error(_ message: String) {
        write("shrike: error: \(message)\n", to: 2)
    }

    static func warning(_ message: String) {
        write("shrike: warning: \(message)\n", to: 2)
    }

    /// True when colours may be used on `fd`: a terminal, and NO_COLOR unset.
    static func useColor(fd: Int32 = 1) -> Bool {
        isatty(fd) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    }
}

/// Draws a one-line progress indicator on stderr when it is a terminal; silent otherwise.
final class TerminalProgress: ProgressReporter, @unchecked Sendable {
    // @unchecked: all mutable state is guarded by `lock`.
    private let lock = NSLock()
    private var phase = ""
    private var total: Int64?
    private var lastDraw = Date.distantPast
    private let enabled: Bool

    init() { enabled = isatty(2) == 1 }

    func begin(_ phase: String, total: Int64?) {
        lock.withLock {
            self.phase = phase
            self.total = total
            lastDraw = .distantPast
        }
        draw(0, force: true)
    }

    func advance(to completed: Int64) { draw(completed, force: false) }

    func end() {
        guard enabled else { return }
        Terminal.write("\r\u{1b}[K", to: 2)
    }

    private func draw(_ completed: Int64, force: Bool) {
        guard enabled else { return }
        let line: String? = lock.withLock {
            let now = Date()
            guard force || now.timeIntervalSince(lastDraw) > 0.1 else { return nil }
            lastDraw = now
            if let total, total > 0 {
                return "\r\u{1b}[K\(phase) \(ByteCount.human(completed))/\(ByteCount.human(total))"
            }
            return "\r\u{1b}[K\(phase) \(completed > 0 ? String(completed) : "")"
        }
        if let line { Terminal.write(line, to: 2) }
    }
}

enum ByteCount {
    static func human(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// Parses `512M`, `2G`, `1024` (bytes), `10GiB`.
    static func parse(_ string: String) -> Int64? {
        let s = string.trimmingCharacters(in: .whitespaces).uppercased()
        let suffixes: [(String, Int64)] = [("TIB", 1 << 40), ("GIB", 1 << 30), ("MIB", 1 << 20), ("KIB", 1 << 10),
                                           ("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10),
                                           ("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("B", 1)]
        for (suffix, factor) in suffixes where s.hasSuffix(suffix) {
            guard let value = Int64(s.dropLast(suffix.count)), value > 0 else { return nil }
            return value.multipliedReportingOverflow(by: factor).overflow ? nil : value * factor
        }
        guard let value = Int64(s), value > 0 else { return nil }
        return value
    }
}
