import Foundation
import GRDB
import ShrikeCore

/// Reads the header blobs of an rpm SQLite database (`rpmdb.sqlite`, Fedora ≥ 33, RHEL 9): table `Packages(hnum, blob)`.
///
/// The file is opened read-only and, where SQLite understands URI file names, `immutable=1`, so that a read-only
/// file in an extracted image can be read and no `-wal`/`-shm` files are created next to it.
public enum RpmSQLiteReader {
    /// The blobs in `hnum` order. `input` names the database in errors.
    /// - Throws: `.malformed` when the file is not an SQLite database or has no readable `Packages` table.
    public static func blobs(path: String, input: String? = nil) throws -> [[UInt8]] {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "rpmdb"
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: "file:\(uriEncoded(path))?immutable=1", configuration: configuration)
        } catch {
            // SQLite built without URI support takes the URI as a literal (missing) file name; read-only still
            // guarantees nothing is written to the database itself.
            do {
                queue = try DatabaseQueue(path: path, configuration: configuration)
            } catch {
                throw ShrikeError(.io, "cannot open the rpm SQLite database: \(error)", input: input ?? path)
            }
        }
        do {
            return try queue.read { db in
                var result: [[UInt8]] = []
                let rows = try Row.fetchCursor(db, sql: "SELECT hnum, blob FROM Packages ORDER BY hnum")
                while let row = try rows.next() {
                    guard let blob = row["blob"] as Data? else { continue }
                    result.append([UInt8](blob))
                }
                return result
            }
        } catch {
            throw ShrikeError(.malformed, "cannot read table Packages(hnum, blob) of the rpm SQLite database: \(error)", input: input ?? path)
        }
    }

    /// Percent-encodes what SQLite's URI parser treats specially (`%`, `?`, `#`) and anything outside printable ASCII.
    static func uriEncoded(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "#"), 0...0x20, 0x7f...0xff:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            default:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
