import CShrikeLibbpf
import Foundation
import Synchronization

/// Collects libbpf's messages (the verifier log among them) so a failed load can say why.
enum LibbpfLog {
    private static let lines = Mutex<[String]>([])
    private static let limit = 400

    /// Routes libbpf's output here instead of stderr; safe to call more than once.
    static func install() {
        libbpf_set_print { level, format, arguments in
            guard let format, let arguments else { return 0 }
            var buffer = [CChar](repeating: 0, count: 4096)
            let count = vsnprintf(&buffer, buffer.count, format, arguments)
            guard count > 0 else { return 0 }
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            LibbpfLog.append(text, debug: level == LIBBPF_DEBUG)
            return count
        }
    }

    private static func append(_ text: String, debug: Bool) {
        guard !debug else { return }
        lines.withLock { lines in
            lines += text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            if lines.count > limit { lines.removeFirst(lines.count - limit) }
        }
    }

    /// The last `count` lines libbpf printed (warnings and errors).
    static func tail(_ count: Int) -> [String] {
        lines.withLock { Array($0.suffix(count)) }
    }

    static func clear() {
        lines.withLock { $0.removeAll() }
    }
}
