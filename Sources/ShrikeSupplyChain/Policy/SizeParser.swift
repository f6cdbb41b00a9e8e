import Foundation

/// Sizes such as `200MB`, `1.5G`, `512MiB`, `1024` (bytes). Decimal and binary suffixes both mean powers of 1024,
/// as `--max-layer-size` reads them.
public enum SizeParser {
    public static func parse(_ text: String) -> Int64? {
        let s = text.trimmingCharacters(in: .whitespaces).uppercased()
        let kib = 1024.0, mib = kib * 1024, gib = mib * 1024, tib = gib * 1024
        let suffixes: [(String, Double)] = [("TIB", tib), ("GIB", gib), ("MIB", mib), ("KIB", kib),
                                            ("TB", tib), ("GB", gib), ("MB", mib), ("KB", kib),
                                            ("T", tib), ("G", gib), ("M", mib), ("K", kib), ("B", 1)]
        for (suffix, factor) in suffixes where s.hasSuffix(suffix) {
            guard let value = Double(s.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), value > 0 else { return nil }
            return Int64(value * factor)
        }
        guard let value = Int64(s), value > 0 else { return nil }
        return value
    }
}
