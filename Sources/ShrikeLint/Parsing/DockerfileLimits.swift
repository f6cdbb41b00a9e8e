/// Bounds on what the parser reads, so a hostile file costs bounded time and memory.
public struct DockerfileLimits: Sendable, Equatable {
    /// The largest file, in bytes (default 16 MiB; real Dockerfiles are a few KiB).
    public var maxFileBytes: Int
    /// The longest logical line (an instruction with its continuations and heredocs), in UTF-8 bytes (default 1 MiB).
    public var maxLineBytes: Int

    public init(maxFileBytes: Int = 16 << 20, maxLineBytes: Int = 1 << 20) {
        self.maxFileBytes = maxFileBytes
        self.maxLineBytes = maxLineBytes
    }
}
