/// Names for open(2) flags, as `O_WRONLY|O_CREAT|O_TRUNC`.
public enum OpenFlags {
    public static let readOnly: Int32 = 0
    public static let writeOnly: Int32 = 0o1
    public static let readWrite: Int32 = 0o2
    public static let create: Int32 = 0o100
    public static let truncate: Int32 = 0o1000
    public static let append: Int32 = 0o2000
    public static let directory: Int32 = 0o200000
    public static let tmpfile: Int32 = 0o20200000

    private static let named: [(Int32, String)] = [
        (0o100, "O_CREAT"), (0o200, "O_EXCL"), (0o400, "O_NOCTTY"), (0o1000, "O_TRUNC"), (0o2000, "O_APPEND"),
        (0o4000, "O_NONBLOCK"), (0o10000, "O_DSYNC"), (0o20000, "O_ASYNC"), (0o40000, "O_DIRECT"),
        (0o200000, "O_DIRECTORY"), (0o400000, "O_NOFOLLOW"), (0o1000000, "O_NOATIME"), (0o2000000, "O_CLOEXEC"),
        (0o4010000, "O_SYNC"), (0o10000000, "O_PATH"), (0o20000000, "O_TMPFILE"),
    ]

    /// The flags as names joined by `|`, access mode first.
    public static func describe(_ flags: Int32) -> String {
        var parts: [String]
        switch flags & 0o3 {
        case 0o1: parts = ["O_WRONLY"]
        case 0o2: parts = ["O_RDWR"]
        default: parts = ["O_RDONLY"]
        }
        var rest = flags & ~0o3
        for (bit, name) in named where rest & bit == bit && bit != 0 {
            if name == "O_DSYNC" && flags & 0o4010000 == 0o4010000 { continue }
            parts.append(name)
            rest &= ~bit
        }
        if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
        return parts.joined(separator: "|")
    }

    /// The inverse of `describe`: `O_WRONLY|O_CREAT|0x8000` back to bits; nil when a part is not a flag name.
    public static func parse(_ text: String) -> Int32? {
        var flags: Int32 = 0
        for part in text.split(separator: "|") {
            switch part {
            case "O_RDONLY": continue
            case "O_WRONLY": flags |= writeOnly
            case "O_RDWR": flags |= readWrite
            default:
                if part.hasPrefix("0x"), let value = Int32(part.dropFirst(2), radix: 16) {
                    flags |= value
                } else if let bit = named.first(where: { $0.1 == part })?.0 {
                    flags |= bit
                } else {
                    return nil
                }
            }
        }
        return flags
    }

    /// True when the flags ask for writing (O_WRONLY, O_RDWR, O_CREAT, O_TRUNC or O_APPEND).
    public static func writes(_ flags: Int32) -> Bool {
        flags & 0o3 != 0 || flags & (create | truncate | append) != 0
    }
}
