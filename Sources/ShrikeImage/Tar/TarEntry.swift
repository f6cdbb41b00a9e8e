/// One member of a tar archive, with PAX and GNU long-name extensions already applied.
public struct TarEntry: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case regular, hardlink, symlink, characterDevice, blockDevice, directory, fifo
        /// A type flag Shrike does not model (GNU sparse, volume header…); its body is skipped.
        case other(UInt8)
    }

    /// The name as stored (not normalised; may start with `./` or `/`).
    public var name: String
    public var kind: Kind
    /// Bytes of content that follow the header.
    public var size: Int64
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    /// Link target for symlinks and hard links, as stored.
    public var linkName: String
    public var modificationTime: Int64
}
