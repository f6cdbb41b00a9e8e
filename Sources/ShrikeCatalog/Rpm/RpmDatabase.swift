import Foundation
import ShrikeCore

/// The on-disk formats of rpm's package database.
public enum RpmDatabaseFormat: String, Sendable, Comparable, CaseIterable {
    /// Berkeley DB hash (`Packages`): RHEL/CentOS ≤ 8, Amazon Linux 2.
    case berkeleyDB = "bdb"
    /// rpm's own format (`Packages.db`): SUSE.
    case ndb
    /// SQLite (`rpmdb.sqlite`): Fedora ≥ 33, RHEL 9.
    case sqlite

    /// Newer formats sort last; when one directory holds several databases the newest is the live one
    /// (rpm converts forwards, leaving at most a stale older file behind).
    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// Reads rpm package databases in any of the formats distributions use, detecting the format from the content.
public enum RpmDatabase {
    static let sqliteMagic: [UInt8] = Array("SQLite format 3\u{0}".utf8)

    /// The format of a database whose first bytes are `prefix` (at least 16 bytes), or nil when none matches.
    public static func detectFormat(_ prefix: [UInt8]) -> RpmDatabaseFormat? {
        if prefix.starts(with: sqliteMagic) { return .sqlite }
        if NDBReader.matches(prefix) { return .ndb }
        if BerkeleyDBHashReader.matches(prefix) { return .berkeleyDB }
        return nil
    }

    /// The raw header blobs of a Berkeley DB or ndb database held in memory.
    /// - Throws: `.unsupportedFormat` for SQLite (use `blobs(file:)`) and unknown content, `.malformed` for damage.
    public static func blobs(bytes: [UInt8], input: String? = nil) throws -> [[UInt8]] {
        switch detectFormat(bytes) {
        case .berkeleyDB:
            var result: [[UInt8]] = []
            try BerkeleyDBHashReader(bytes: bytes, input: input).forEachRecord { record in
                // Key 0 holds rpm's "next instance number" counter, not a header.
                guard !record.key.allSatisfy({ $0 == 0 }) else { return }
                result.append(record.value)
            }
            return result
        case .ndb:
            return try NDBReader(bytes: bytes, input: input).blobs().map(\.bytes)
        case .sqlite:
            throw ShrikeError(.unsupportedFormat, "an rpm SQLite database must be read from a file", input: input)
        case nil:
            throw ShrikeError(.unsupportedFormat, "not an rpm database (neither Berkeley DB hash, ndb nor SQLite)", input: input)
        }
    }

    /// The raw header blobs of the database in the local file at `path`, whatever its format.
    public static func blobs(file path: String, input: String? = nil) throws -> [[UInt8]] {
        let name = input ?? path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ShrikeError(.io, "cannot open the rpm database file", input: name)
        }
        defer { try? handle.close() }
        do {
            let prefix = [UInt8](try handle.read(upToCount: sqliteMagic.count) ?? Data())
            if detectFormat(prefix) == .sqlite { return try RpmSQLiteReader.blobs(path: path, input: name) }
            let rest = try handle.readToEnd() ?? Data()
            return try blobs(bytes: prefix + [UInt8](rest), input: name)
        } catch let error as ShrikeError {
            throw error
        } catch {
            throw ShrikeError(.io, "cannot read the rpm database file: \(error)", input: name)
        }
    }

    /// Decoded headers of the database in the local file at `path`.
    public static func headers(file path: String, input: String? = nil) throws -> [RpmHeader] {
        let name = input ?? path
        return try blobs(file: path, input: name).map { try RpmHeader(blob: $0, input: name) }
    }

    /// Decoded headers of a Berkeley DB or ndb database held in memory.
    public static func headers(bytes: [UInt8], input: String? = nil) throws -> [RpmHeader] {
        try blobs(bytes: bytes, input: input).map { try RpmHeader(blob: $0, input: input) }
    }

    /// The package records of the database in the local file at `path`, gpg-pubkey pseudo-packages included.
    public static func records(file path: String, input: String? = nil) throws -> [RpmPackageRecord] {
        let name = input ?? path
        return try headers(file: path, input: name).map { try RpmPackageRecord(header: $0, input: name) }
    }
}
