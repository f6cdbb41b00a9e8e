import Foundation
import ShrikeTestSupport
import Testing

/// Everyday developer work under `shrike watch` with the default rules must raise no alert at all: a ruleset that
/// cries wolf gets switched off (one Falco user logged ~33,000 detections a day).
@Suite("Default rules: everyday work raises no alert", .serialized,
       .enabled(if: geteuid() == 0 && FileManager.default.fileExists(atPath: "/sys/kernel/btf/vmlinux"),
                "needs root and kernel BTF to load the eBPF sensor"),
       .timeLimit(.minutes(10)))
struct DefaultRuleBenignTests {
    struct Work: CustomTestStringConvertible, Sendable {
        let name: String
        let script: String
        var needs: String?
        var testDescription: String { name }
    }

    static let work: [Work] = [
        Work(name: "compile and run a C program", script: """
            printf '#include <stdio.h>\\nint main(void) { puts("hello"); return 0; }\\n' > hello.c
            cc -O2 -o hello hello.c && ./hello
            """, needs: "cc"),
        Work(name: "git init, add and commit", script: """
            export HOME=$PWD GIT_CONFIG_NOSYSTEM=1
            git init -q repo && cd repo && echo one > file && git add file
            git -c user.name=t -c user.email=t@example.org commit -qm one && git log --oneline > /dev/null
            """, needs: "git"),
        Work(name: "pip install --target", script: """
            python3 -m pip install --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
                --target site six==1.16.0 || python3 -m pip --version
            python3 -c "import sys; sys.path.insert(0, 'site'); import six" 2>/dev/null || true
            """, needs: "python3"),
        Work(name: "extract a tarball with bin and lib directories", script: """
            mkdir rootfs && tar -xzf '\(RepositoryFiles.alpineRootfs("3.20.3"))' -C rootfs && ls rootfs/bin > /dev/null
            tar -czf again.tar.gz rootfs && rm -rf rootfs
            """),
        Work(name: "build a Swift package", script: """
            mkdir -p pkg/Sources/hello && cd pkg
            printf '// swift-tools-version: 5.9\\nimport PackageDescription\\nlet package = Package(name: "hello", targets: [.executableTarget(name: "hello")])\\n' > Package.swift
            echo 'print("hello")' > Sources/hello/main.swift
            swift build -c debug --scratch-path ../scratch > /dev/null && ../scratch/debug/hello
            """, needs: "swift"),
        Work(name: "shell housekeeping", script: """
            mkdir -p a/b && cp /etc/hostname a/b/ && chmod -R go-w a && find . -name hostname > /dev/null
            sort /etc/passwd | head -n 3 > /dev/null; id > /dev/null; ps aux > /dev/null; env | grep -c PATH > /dev/null
            """),
    ]

    @Test(arguments: work)
    func noAlert(_ work: Work) throws {
        if let tool = work.needs {
            try #require(ExternalTool.find(tool) != nil, "\(tool) is not installed")
        }
        let directory = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = try GatedScript("set -e\n" + work.script, in: directory)
        let watch = try WatchSession(["--pid", String(script.pid)])
        let status = script.go(timeout: 300)
        Thread.sleep(forTimeInterval: 0.3)
        let (watchStatus, stderr) = watch.stop()
        #expect(status == 0, "the work itself failed (exit \(status))")
        #expect(watchStatus == 0, "shrike watch exited \(watchStatus): \(stderr)")
        let alerts = watch.alerts
        #expect(alerts.isEmpty, "alerts: \(alerts.map { "\($0["rule"] ?? "?"): \($0["output"] ?? "")" })")
        // The watch really saw the work: its statistics count events.
        #expect(stderr.contains("events="))
        #expect(!stderr.contains("events=0 "))
    }
}
