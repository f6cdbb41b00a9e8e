import Testing
import ShrikeCore
import ShrikeRules
@testable import ShrikeAlerting

/// `--output SPEC` strings: what each one means, and errors that name the spec and the problem.
struct OutputSpecTests {
    @Test("valid specs", arguments: [
        ("stdout", AlertOutputSpec(destination: .stdout)),
        ("stdout:json", AlertOutputSpec(destination: .stdout, format: .json)),
        ("stdout:text#min-priority=warning", AlertOutputSpec(destination: .stdout, format: .text,
                                                             minimumPriority: .warning)),
        ("file:/var/log/shrike/alerts.json", AlertOutputSpec(destination: .file(path: "/var/log/shrike/alerts.json"))),
        ("file:alerts.log#format=text&min-priority=ERROR",
         AlertOutputSpec(destination: .file(path: "alerts.log"), format: .text, minimumPriority: .error)),
        ("syslog", AlertOutputSpec(destination: .syslog(SyslogSettings()))),
        ("syslog:local0", AlertOutputSpec(destination: .syslog(SyslogSettings(facility: .local0)))),
        ("syslog:auth#format=json&rfc=5424&socket=/run/log.sock",
         AlertOutputSpec(destination: .syslog(SyslogSettings(facility: .auth, framing: .rfc5424,
                                                             socketPath: "/run/log.sock")), format: .json)),
        ("webhook:https://hooks.example.com/falco?token=a%20b",
         AlertOutputSpec(destination: .webhook(WebhookSettings(url: "https://hooks.example.com/falco?token=a%20b")),
                         format: .json)),
        ("webhook:https://h.example/x#ca=/etc/ca.pem&header=Authorization:Bearer%20t&header=X-A: 1&queue=50&batch=10"
            + "&timeout=3&retries=2&backoff=0.25&max-backoff=4&drain=1&min-priority=notice",
         AlertOutputSpec(destination: .webhook(WebhookSettings(
             url: "https://h.example/x",
             headers: [.init(name: "Authorization", value: "Bearer t"), .init(name: "X-A", value: "1")],
             caFile: "/etc/ca.pem", queueSize: 50, batchSize: 10, timeout: 3, retries: 2, initialBackoff: 0.25,
             maxBackoff: 4, drainTimeout: 1)), format: .json, minimumPriority: .notice)),
        ("https://h.example/x", AlertOutputSpec(destination: .webhook(WebhookSettings(url: "https://h.example/x")),
                                                format: .json)),
    ])
    func valid(_ text: String, _ expected: AlertOutputSpec) throws {
        #expect(try AlertOutputSpec(parsing: text) == expected)
    }

    @Test("invalid specs name the spec and say what is wrong", arguments: [
        ("", "empty spec"),
        ("printer", "unknown output 'printer'"),
        ("stdout:yaml", "stdout takes json or text"),
        ("file:", "file needs a path"),
        ("file", "file needs a path"),
        ("file:/x#colour=red", "file has no option 'colour'"),
        ("syslog:local9", "'local9' is not a syslog facility"),
        ("syslog#rfc=1", "rfc must be 3164 or 5424"),
        ("syslog#ca=/x", "syslog has no option 'ca'"),
        ("stdout#min-priority=loud", "'loud' is not a priority"),
        ("stdout#format=xml", "format must be json or text"),
        ("webhook:", "webhook needs a URL"),
        ("webhook:ftp://h/x", "must be http:// or https://"),
        ("webhook:https://h/x#queue=0", "queue size must be at least 1"),
        ("webhook:https://h/x#queue=many", "queue must be a whole number"),
        ("webhook:https://h/x#header=NoColon", "header must be Name:Value"),
        ("webhook:https://h/x#format=text", "webhook always posts JSON"),
        ("webhook:https://h/x#retries", "option 'retries' needs a value"),
    ])
    func invalid(_ text: String, _ fragment: String) {
        #expect {
            _ = try AlertOutputSpec(parsing: text)
        } throws: { error in
            guard let error = error as? ShrikeError else { return false }
            return error.code == .usage && error.input == text && error.message.contains(fragment)
        }
    }

    @Test("a spec describes itself as statistics name it, without a webhook's query")
    func descriptions() throws {
        #expect(try AlertOutputSpec(parsing: "stdout:json").description == "stdout:json")
        #expect(try AlertOutputSpec(parsing: "syslog").description == "syslog:daemon")
        #expect(try AlertOutputSpec(parsing: "webhook:https://u:p@h.example/x?token=1").description
                == "webhook:https://h.example/x")
    }
}
