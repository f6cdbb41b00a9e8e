#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ShrikeCore

/// Where key passwords come from: `SHRIKE_PASSWORD`, else `COSIGN_PASSWORD` (so cosign users' scripts keep
/// working), else a no-echo prompt on the terminal. Without a terminal and without either variable, a usage error.
enum PasswordSource {
    static func password(prompt: String, confirm: Bool = false) throws -> [UInt8] {
        let environment = ProcessInfo.processInfo.environment
        if let value = environment["SHRIKE_PASSWORD"] ?? environment["COSIGN_PASSWORD"] { return Array(value.utf8) }
        let tty = open("/dev/tty", O_RDWR)
        guard tty >= 0 else {
            throw ShrikeError(.usage, "no password: set SHRIKE_PASSWORD (or COSIGN_PASSWORD), or run on a terminal to be prompted")
        }
        defer { close(tty) }
        let first = try read(prompt: prompt, tty: tty)
        if confirm {
            let second = try read(prompt: "Enter password for private key again: ", tty: tty)
            guard first == second else { throw ShrikeError(.usage, "the passwords do not match") }
        }
        return first
    }

    /// Reads one line from the terminal with echo off, restoring the terminal afterwards.
    private static func read(prompt: String, tty: Int32) throws -> [UInt8] {
        _ = prompt.withCString { write(tty, $0, strlen($0)) }
        var saved = termios()
        let haveTermios = tcgetattr(tty, &saved) == 0
        if haveTermios {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(tty, TCSAFLUSH, &quiet)
        }
        defer {
            if haveTermios { tcsetattr(tty, TCSAFLUSH, &saved) }
            _ = "\n".withCString { write(tty, $0, 1) }
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(tty, &byte, 1) == 1 {
            if byte == 0x0a || byte == 0x0d { break }
            line.append(byte)
        }
        return line
    }
}
