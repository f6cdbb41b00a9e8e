import Foundation
import ShrikeTestSupport
import ShrikeVersions

/// The distributions' own tools, asked for many orderings at once.
enum ToolOracles {
    static let hasDpkg = ExternalTool.find("dpkg") != nil
    static let hasRpm = ExternalTool.find("rpm") != nil

    /// `dpkg --compare-versions` for each pair, run from one shell script.
    static func dpkg(_ pairs: [(String, String)]) throws -> [VersionOrder] {
        func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let script = pairs.map { a, b in
            "if dpkg --compare-versions \(quote(a)) lt \(quote(b)) 2>/dev/null; then echo '<'; "
                + "elif dpkg --compare-versions \(quote(a)) eq \(quote(b)) 2>/dev/null; then echo '='; else echo '>'; fi"
        }.joined(separator: "\n")
        // The script goes through standard input: as one argument it exceeds the kernel's argument limit.
        let result = try ExternalTool.run(["sh"], input: Array(script.utf8))
        return try parse(result.stdout, count: pairs.count) { VersionOrder(rawValue: $0) }
    }

    /// rpm's own `rpm.vercmp` for each pair, in one `rpm --eval` Lua script per 400 pairs.
    static func rpm(_ pairs: [(String, String)]) throws -> [VersionOrder] {
        var orders: [VersionOrder] = []
        var start = 0
        while start < pairs.count {
            let chunk = pairs[start..<min(start + 400, pairs.count)]
            // Lua long strings ([==[...]==]) need no escaping for version strings.
            let calls = chunk.map { a, b in "r[#r+1]=rpm.vercmp([==[\(a)]==],[==[\(b)]==])" }.joined(separator: " ")
            let lua = "%{lua: local r={} \(calls) print(table.concat(r, \" \"))}"
            let result = try ExternalTool.run(["rpm", "--eval", lua])
            orders += try parse(result.stdout, count: chunk.count) { Int($0).map(VersionOrder.init(sign:)) }
            start += 400
        }
        return orders
    }

    private static func parse(_ output: String, count: Int, _ read: (String) -> VersionOrder?) throws -> [VersionOrder] {
        let orders = output.split(whereSeparator: { $0 == " " || $0.isNewline }).compactMap { read(String($0)) }
        guard orders.count == count else {
            throw OracleError(message: "expected \(count) answers from the tool, got \(orders.count): \(output.prefix(200))")
        }
        return orders
    }

    struct OracleError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
