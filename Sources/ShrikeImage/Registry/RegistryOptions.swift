import ShrikeCore

/// How to reach a registry: transport security, credentials and progress.
public struct RegistryOptions: Sendable {
    /// Allow plain HTTP. Only honoured for loopback hosts (`localhost`, `127.0.0.0/8`, `::1`); any other host is
    /// refused, so credentials and images never cross a network unencrypted.
    public var insecure: Bool
    /// A PEM file of CA certificates to trust (instead of the system roots) for HTTPS.
    public var caFile: String?
    /// Credentials given on the command line; nil falls back to the environment and `~/.docker/config.json`.
    public var credentials: RegistryCredentials?
    /// Bytes per PATCH request for chunked uploads (blobs larger than this are uploaded in chunks).
    public var chunkSize: Int
    /// Progress of blob uploads and downloads.
    public var progress: any ProgressReporter
    /// Seconds allowed to open a connection, and for a response to stall without sending a byte.
    public var connectTimeout: Int64
    public var readTimeout: Int64

    public init(insecure: Bool = false, caFile: String? = nil, credentials: RegistryCredentials? = nil,
                chunkSize: Int = 16 << 20, progress: any ProgressReporter = SilentProgress(),
                connectTimeout: Int64 = 15, readTimeout: Int64 = 120) {
        self.insecure = insecure
        self.caFile = caFile
        self.credentials = credentials
        self.chunkSize = chunkSize
        self.progress = progress
        self.connectTimeout = connectTimeout
        self.readTimeout = readTimeout
    }
}

/// A manifest as a registry serves it: the exact bytes (digests are over these), their media type and digest.
public struct RegistryManifest: Sendable, Equatable {
    public var bytes: [UInt8]
    public var mediaType: String
    public var digest: Digest

    public init(bytes: [UInt8], mediaType: String, digest: Digest) {
        self.bytes = bytes
        self.mediaType = mediaType
        self.digest = digest
    }

    /// A descriptor pointing at this manifest.
    public var descriptor: Descriptor {
        Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count))
    }
}
