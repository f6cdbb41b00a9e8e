import Foundation
import ShrikeCore
import ShrikeImage

/// File lookups shared by the language catalogers.
///
/// Language metadata lives in thousands of small files written by many tools; one unreadable or malformed file must
/// cost only its own package, so reads here return nil instead of throwing.
enum LanguageFiles {
    /// The regular files `cataloger` wants, sorted by path so output does not depend on hash order.
    static func wanted(by cataloger: any Cataloger, in fs: any RootFileSystem) -> [String] {
        var paths: [String] = []
        for entry in fs.tree.entries.values where entry.kind == .regular && cataloger.wants(path: entry.path, size: entry.size) {
            paths.append(entry.path)
        }
        return paths.sorted()
    }

    /// The bytes of `path`, or nil when it is missing, not kept, or unsafe to read.
    static func read(_ path: String, in fs: any RootFileSystem) -> [UInt8]? {
        (try? fs.contents(of: path)) ?? nil
    }

    /// True when a regular file exists at `path` (after following symlinks inside the root).
    static func isFile(_ path: String, in fs: any RootFileSystem) -> Bool {
        guard let resolved = try? fs.tree.resolve(path) else { return false }
        return fs.tree.entry(at: resolved)?.kind == .regular
    }

    /// A JSON object from `bytes`, or nil when they hold anything else.
    static func jsonObject(_ bytes: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    /// Lines of `bytes`, split on `\n` with a trailing `\r` removed. Split as bytes: Swift treats `\r\n` as one
    /// Character, so splitting a String on `\n` would miss CRLF line ends (Python's csv module writes RECORD so).
    static func lines(_ bytes: [UInt8]) -> [Substring] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            return Substring(String(decoding: trimmed, as: UTF8.self))
        }
    }

    /// True when `version` looks like a release a registry could serve: starts with a digit (after an optional `v`).
    /// Lockfiles also record git URLs, local paths and tarballs in version fields; those are not registry packages.
    static func isRegistryVersion(_ version: String) -> Bool {
        var text = Substring(version)
        if text.first == "v" { text = text.dropFirst() }
        guard let first = text.first else { return false }
        return first.isASCII && first.isNumber
    }
}

extension StringProtocol {
    /// The text without one pair of surrounding double or single quotes.
    func unquoted() -> String {
        let text = String(self)
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}
