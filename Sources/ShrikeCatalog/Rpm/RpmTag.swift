/// rpm header tag numbers Shrike reads (from rpm's `rpmtag.h`).
public enum RpmTag {
    /// Region trailer tag of the immutable part of an installed header.
    public static let headerImmutable = 63
    public static let name = 1000
    public static let version = 1001
    public static let release = 1002
    public static let epoch = 1003
    public static let size = 1009
    public static let vendor = 1011
    public static let license = 1014
    public static let arch = 1022
    public static let oldFileNames = 1027
    public static let sourceRPM = 1044
    public static let dirIndexes = 1116
    public static let baseNames = 1117
    public static let dirNames = 1118
    public static let modularityLabel = 5096
}
