import ShrikeCore
import ShrikeImage

/// The ELF files among a root file system's executable candidates, opened for ranged reads.
enum ELFCandidates {
    /// Calls `body` with each candidate that parses as ELF. Unreadable, truncated and non-ELF files are skipped: one
    /// broken binary must not stop a whole catalog.
    static func forEach(in fs: any RootFileSystem, _ body: (String, ELFFile) throws -> Void) rethrows {
        let files = BinaryFileAccess.regularFiles(fs) { ExecutableCandidates.wants(path: $0.path, size: $0.size) }
        for entry in files {
            guard let bytes = try? BinaryFileAccess.open(fs, path: entry.path), bytes.size >= 64,
                  let prefix = try? bytes.read(at: 0, count: 4), ELFFile.isELF(prefix),
                  let elf = try? ELFFile(bytes, name: entry.path) else { continue }
            try body(entry.path, elf)
        }
    }
}
