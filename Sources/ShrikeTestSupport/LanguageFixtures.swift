import Foundation

/// Real language packages for tests, fetched once per checkout into `<repo>/.build/fixtures/`: old wheels installed
/// by pip, and Debian `.deb` files (Debian's `node-*`, `ruby-*` and `python3-*` packages are real installed npm
/// packages, gem specifications and Python distributions). Each is nil when the tool or the network is missing, so
/// suites can skip with a reason.
public enum LanguageFixtures {
    static let cacheRoot = RepositoryFiles.path(".build/fixtures")

    /// The wheels the PyPI scan tests install: old releases with known advisories.
    public static let oldWheels = ["requests==2.19.1", "urllib3==1.24.1", "Jinja2==2.10", "Django==2.2"]

    /// A site-packages directory with `oldWheels` installed by `pip install --no-deps --only-binary=:all: --target`.
    public static let pipSite: String? = {
        let target = cacheRoot + "/pip-old-wheels"
        let marker = target + "/.complete"
        if FileManager.default.fileExists(atPath: marker) { return target }
        try? FileManager.default.removeItem(atPath: target)
        guard let result = try? ExternalTool.run(
            ["python3", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
             "--only-binary=:all:", "--target", target] + oldWheels),
            result.status == 0 else { return nil }
        _ = FileManager.default.createFile(atPath: marker, contents: Data())
        return target
    }()

    /// Debian packages the language tests unpack: a Python distribution, npm packages and a gem.
    public static let debianPackageNames = ["python3-requests", "node-semver", "node-ms", "ruby-rack"]

    /// `.deb` files of `debianPackageNames` (bookworm, from apt's configured archive), by package name.
    public static let debianPackages: [String: String]? = {
        let directory = cacheRoot + "/language-debs"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func found() -> [String: String] {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            var byName: [String: String] = [:]
            for name in debianPackageNames {
                if let file = files.first(where: { $0.hasPrefix(name + "_") && $0.hasSuffix(".deb") }) {
                    byName[name] = directory + "/" + file
                }
            }
            return byName
        }
        if found().count == debianPackageNames.count { return found() }
        guard ExternalTool.find("apt-get") != nil, ExternalTool.find("dpkg-deb") != nil else { return nil }
        let script = "cd '\(directory)' && apt-get download " + debianPackageNames.joined(separator: " ")
        _ = try? ExternalTool.run(["sh", "-c", script])
        let byName = found()
        return byName.count == debianPackageNames.count ? byName : nil
    }()

    /// Installs `deb` into the root file system at `root` as dpkg would record it: the files unpacked, a stanza in
    /// `var/lib/dpkg/status` (its control fields plus `Status: install ok installed`) and `var/lib/dpkg/info/<name>.list`.
    public static func installDebian(_ deb: String, into root: String) throws {
        try FileManager.default.createDirectory(atPath: root + "/var/lib/dpkg/info", withIntermediateDirectories: true)
        try check(ExternalTool.run(["dpkg-deb", "-x", deb, root]), "dpkg-deb -x \(deb)")
        let control = try check(ExternalTool.run(["dpkg-deb", "-f", deb]), "dpkg-deb -f \(deb)").stdout
        let name = control.split(separator: "\n").first { $0.hasPrefix("Package: ") }
            .map { String($0.dropFirst("Package: ".count)) } ?? "unknown"
        var stanza = control.trimmingCharacters(in: .newlines)
        stanza = stanza.replacingOccurrences(of: "\nDescription:", with: "\nStatus: install ok installed\nDescription:")
        let statusPath = root + "/var/lib/dpkg/status"
        let previous = (try? String(contentsOfFile: statusPath, encoding: .utf8)) ?? ""
        try (previous + stanza + "\n\n").write(toFile: statusPath, atomically: true, encoding: .utf8)
        let listing = try check(ExternalTool.run(["sh", "-c", "dpkg-deb --fsys-tarfile '\(deb)' | tar -t"]), "tar -t").stdout
        // dpkg writes `/.` for the root and every other path without `./` or a trailing slash.
        let paths = listing.split(separator: "\n").map { line -> String in
            var path = String(line)
            if path.hasPrefix("./") { path.removeFirst(1) }
            if path.hasSuffix("/") && path.count > 1 { path.removeLast() }
            return path == "/" ? "/." : path
        }
        try (paths.joined(separator: "\n") + "\n").write(toFile: root + "/var/lib/dpkg/info/\(name).list",
                                                       atomically: true, encoding: .utf8)
    }

    /// Unpacks `deb`'s files into `root` without recording it in a dpkg database.
    public static func unpackDebian(_ deb: String, into root: String) throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try check(ExternalTool.run(["dpkg-deb", "-x", deb, root]), "dpkg-deb -x \(deb)")
    }

    /// A fresh temporary directory.
    public static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "shrike-lang-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    struct ToolFailed: Error, CustomStringConvertible {
        var description: String
    }

    @discardableResult
    static func check(_ result: ExternalTool.Result, _ what: String) throws -> ExternalTool.Result {
        guard result.status == 0 else { throw ToolFailed(description: "\(what) failed: \(result.stderr)") }
        return result
    }
}
