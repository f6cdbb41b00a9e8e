import Foundation
import ShrikeCore
import ShrikeVulnDB

/// One fuzz target over `shrike db import`: where the fuzzer's bytes go on disk and what path is then imported.
///
/// The parsers are internal to ShrikeVulnDB, so a target drives them the way a user does, through
/// `AdvisoryPathImporter(path:)` and a `CollectingAdvisorySink`; which parser runs is chosen by the file's name and
/// content exactly as in `db import`. The scratch directory is private (mode 0700), made once per process and removed
/// at exit; the input file is overwritten on every iteration.
///
/// The importer's contract is that it throws only `ShrikeError`: a thrown `ShrikeError` is a normal outcome, any other
/// error aborts the process so libFuzzer keeps the input as a crash, like a trap or an AddressSanitizer report.
public struct AdvisoryFuzzTarget: Sendable {
    /// The input file, absolute.
    public let file: String
    /// The path handed to the importer: the file itself, or the directory tree that holds it.
    public let importPath: String

    /// A target whose input is the single file `name` (its extension picks the format: `.json`, `.yaml`, `.xml`,
    /// `.xml.gz`, `.tar.gz`).
    public init(file name: String) {
        self.init(file: name, importing: name)
    }

    /// A target whose input is the file at `relativePath` below the scratch directory, importing `importedPath`
    /// (also relative to it) — for formats that are trees, such as the Ubuntu CVE Tracker.
    public init(file relativePath: String, importing importedPath: String) {
        let root = ScratchDirectory.path
        file = root + "/" + relativePath
        importPath = importedPath.isEmpty ? root : root + "/" + importedPath
        let parent = (file as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            Self.die("cannot create \(parent): \(error)")
        }
    }

    /// The Ubuntu CVE Tracker: the bytes are `active/CVE-2020-0001` of a tree, and the tree is imported.
    public static func ubuntuTracker() -> AdvisoryFuzzTarget {
        AdvisoryFuzzTarget(file: "ubuntu-cve-tracker/active/CVE-2020-0001", importing: "ubuntu-cve-tracker")
    }

    /// The body of `LLVMFuzzerTestOneInput`: writes the bytes, imports, and returns 0 (libFuzzer's "keep going").
    public func run(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        let bytes = Data(bytes: data, count: size)
        do {
            try bytes.write(to: URL(fileURLWithPath: file))
        } catch {
            Self.die("cannot write the input to \(file): \(error)")
        }
        let sink = CollectingAdvisorySink()
        do {
            try AdvisoryPathImporter(path: importPath).importAdvisories(into: sink)
        } catch let error as ShrikeError {
            // Expected for hostile input; rendering it runs the message code too.
            let text = error.description
            if Self.verbose { Self.report("error \(error.code): \(text)") }
            return 0
        } catch {
            Self.die("the importer threw \(type(of: error)) (\(error)), not a ShrikeError: importers must throw ShrikeError only")
        }
        // Reading the results back makes every record and failure be built, not just counted.
        let records = sink.allRecords, failures = sink.allFailures
        if Self.verbose {
            let packages = records.reduce(0) { $0 + $1.affected.count }
            Self.report("\(records.count) records, \(packages) package records, \(failures.count) failures"
                        + failures.prefix(5).map { "\n  \($0.file): \($0.reason)" }.joined())
        }
        return 0
    }

    /// `SHRIKE_FUZZ_VERBOSE=1` prints what each input yielded: run the target on one file to see that a seed
    /// reaches the parser it is meant for.
    static let verbose = ProcessInfo.processInfo.environment["SHRIKE_FUZZ_VERBOSE"] == "1"

    static func report(_ line: String) {
        FileHandle.standardError.write(Data("fuzz: \(line)\n".utf8))
    }

    /// Ends the process so that libFuzzer reports the current input as a crash.
    static func die(_ message: String) -> Never {
        FileHandle.standardError.write(Data("fuzz: \(message)\n".utf8))
        abort()
    }
}

/// The process's private scratch directory, made on first use and removed when the process exits.
enum ScratchDirectory {
    static let path: String = {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("shrike-fuzz-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) }
        }
        guard let made else { AdvisoryFuzzTarget.die("cannot create a scratch directory in \(NSTemporaryDirectory())") }
        // libFuzzer leaves through exit(), so an atexit handler cleans up after every run that does not crash.
        atexit { try? FileManager.default.removeItem(atPath: ScratchDirectory.path) }
        return made
    }()
}
