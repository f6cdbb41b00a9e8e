import Foundation
import ShrikeCore
import Testing
@testable import ShrikeLint

/// Hostile or broken files: one error with a code and the file's name, never a crash.
struct BadInputTests {
    static let linter = DockerfileLinter()

    @Test("binary files are rejected", arguments: [
        [0x46, 0x52, 0x4f, 0x4d, 0x00, 0x01] as [UInt8],
        [0x46, 0x52, 0x4f, 0x4d, 0x20, 0xff, 0xfe, 0x0a],
    ])
    func binary(_ bytes: [UInt8]) {
        let error = expectShrikeError(.binaryFile) { _ = try Self.linter.lint(bytes: bytes, file: "image.bin") }
        #expect(error?.description.hasPrefix("image.bin: ") == true)
    }

    @Test("a 50 MB file is over the file limit; a 2 MiB line is over the line limit")
    func tooLong() {
        var huge = Array("RUN echo ".utf8)
        huge += [UInt8](repeating: UInt8(ascii: "a"), count: 50 << 20)
        expectShrikeError(.limitExceeded) { _ = try Self.linter.lint(bytes: huge, file: "big") }
        let line = "FROM a:1\nRUN echo " + String(repeating: "a", count: 2 << 20) + "\n"
        let error = expectShrikeError(.limitExceeded) { _ = try Self.linter.lint(bytes: Array(line.utf8), file: "long") }
        #expect(error?.message.contains("line 2") == true, "\(String(describing: error))")
    }

    @Test("continuations and heredocs cannot build a line over the limit")
    func longLogicalLine() {
        let linter = DockerfileLinter(limits: DockerfileLimits(maxFileBytes: 1 << 20, maxLineBytes: 1000))
        let continued = "RUN a \\\n" + String(repeating: "  bbbbbbbbbb \\\n", count: 200) + "  c\n"
        expectShrikeError(.limitExceeded) { _ = try linter.lint(bytes: Array(continued.utf8), file: "f") }
        let heredoc = "RUN <<EOF\n" + String(repeating: "echo aaaaaaaaaa\n", count: 200) + "EOF\n"
        expectShrikeError(.limitExceeded) { _ = try linter.lint(bytes: Array(heredoc.utf8), file: "f") }
    }

    @Test("an unterminated heredoc names its line")
    func unterminatedHeredoc() {
        let text = "FROM a:1\nRUN <<EOF\necho hi\nEOFX\n"
        let error = expectShrikeError(.unterminatedHeredoc) { _ = try Self.linter.lint(bytes: Array(text.utf8), file: "Dockerfile") }
        #expect(error?.description == "Dockerfile: line 2: the heredoc <<EOF is never closed; add a line holding only EOF")
    }

    @Test("unknown instructions and bad escape directives are malformed", arguments: [
        "FROM a:1\nRUNN echo\n", "# escape=x\nFROM a:1\n", "FROM a:1\napt-get install x\n",
    ])
    func malformed(_ text: String) {
        expectShrikeError(.malformed) { _ = try Self.linter.lint(bytes: Array(text.utf8), file: "f") }
    }

    @Test("escape sequences in an unknown instruction are not echoed raw")
    func escapedMessage() {
        let error = expectShrikeError(.malformed) { _ = try Self.linter.lint(bytes: Array("\u{1b}[2J\n".utf8), file: "f") }
        #expect(error?.message.contains("\u{1b}") == false)
    }

    @Test("missing files and directories")
    func missing() {
        expectShrikeError(.notFound) { _ = try Self.linter.lint(path: "/nonexistent/Dockerfile") }
        expectShrikeError(.usage) { _ = try Self.linter.lint(path: FileManager.default.temporaryDirectory.path) }
    }

    @Test("empty and comment-only files have no instructions and no errors", arguments: ["", "\n\n", "# only\n", "\u{feff}"])
    func empty(_ text: String) throws {
        #expect(try Dockerfile(parsing: text).instructions.isEmpty)
    }
}
