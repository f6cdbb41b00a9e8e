import Foundation
import Testing
import ShrikeRules
import ShrikeTestSupport
@testable import ShrikeAlerting

/// `shrike watch --json` alerts have Falco's JSON alert shape (DESIGN.md), checked against Falco's own example.
struct AlertJSONShapeTests {
    @Test("an alert encodes to exactly Falco's documented example alert, parsed back")
    func matchesFalcoExample() throws {
        // Fixtures/falco-alert.json: the example of Falco's "Output Channels" page (see PROVENANCE.md).
        let path = RepositoryFiles.path("Tests/ShrikeAlertingTests/Fixtures/falco-alert.json")
        let falcoText = try String(contentsOfFile: path, encoding: .utf8)
        let falco = try AlertFixtures.jsonObject(falcoText)

        let alert = Alert(
            time: 1_685_022_245_478_445_995, rule: "Terminal shell in container", priority: .critical,
            source: "syscall", tags: ["container", "mitre_execution", "shell"],
            output: "A shell was spawned in a container with an attached terminal (user=root user_loginuid=-1 "
                + "k8s.ns=default k8s.pod=kubecon container=ee97d9c4186f shell=sh parent=runc cmdline=sh -c clear; "
                + "(bash || ash || sh) terminal=34816 container_id=ee97d9c4186f image=docker.io/library/alpine)",
            outputFields: ["container.id": "ee97d9c4186f", "container.image.repository": "docker.io/library/alpine",
                           "k8s.ns.name": "default", "k8s.pod.name": "kubecon",
                           "proc.cmdline": "sh -c clear; (bash || ash || sh)", "proc.name": "sh", "proc.pname": "runc",
                           "proc.tty": "34816", "user.loginuid": "-1", "user.name": "root"],
            hostname: "falco-xczjd", event: AlertFixtures.event())
        var encoder = AlertJSONEncoder()
        let ours = try AlertFixtures.jsonObject(encoder.encode(alert))
        #expect(Set(ours.keys) == Set(falco.keys))
        #expect(NSDictionary(dictionary: ours).isEqual(to: falco), "ours: \(ours)\nFalco's: \(falco)")
        let fields = try #require(ours["output_fields"] as? [String: Any])
        #expect(fields["evt.time"] as? Int64 == 1_685_022_245_478_445_995)
        #expect(fields["proc.tty"] as? Int == 34816)
        #expect(fields["user.loginuid"] as? Int == -1)
    }

    @Test("keys, types and the time format of an alert")
    func shape() throws {
        var encoder = AlertJSONEncoder()
        let text = encoder.encode(AlertFixtures.alert())
        #expect(!text.contains("\n"))
        let object = try AlertFixtures.jsonObject(text)
        #expect(object["time"] as? String == "2026-11-29T10:00:00.123456789Z")
        #expect(object["rule"] as? String == "Write below binary dir")
        #expect(object["priority"] as? String == "Error")
        #expect(object["source"] as? String == "syscall")
        #expect(object["hostname"] as? String == "node-1")
        #expect(object["tags"] as? [String] == ["filesystem", "mitre_persistence"])
        #expect((object["output"] as? String)?.hasPrefix("10:00:00.123456789: Error File below") == true)
        let fields = try #require(object["output_fields"] as? [String: Any])
        #expect(fields["fd.name"] as? String == "/usr/bin/x")
        #expect(fields["proc.pid"] as? Int == 4242)
        #expect(object["incident"] == nil, "no incident key until the recorder files one")
        #expect(object["count"] == nil, "no count key for a single alert")
    }

    @Test("incident and count appear when set; <NA> is null; booleans and odd values keep their type")
    func optionalKeysAndTypes() throws {
        var encoder = AlertJSONEncoder()
        let alert = AlertFixtures.alert(
            fields: ["proc.pid": "<NA>", "proc.is_exe_upper_layer": "true", "fd.rport": "not-a-number",
                     "proc.apid[2]": "77", "proc.env[HOME]": "12", "evt.time": "5"],
            count: 3, incident: "inc-20261129-0001")
        let object = try AlertFixtures.jsonObject(encoder.encode(alert))
        #expect(object["incident"] as? String == "inc-20261129-0001")
        #expect(object["count"] as? Int == 3)
        let fields = try #require(object["output_fields"] as? [String: Any])
        #expect(fields["proc.pid"] is NSNull)
        #expect(fields["proc.is_exe_upper_layer"] as? Bool == true)
        #expect(fields["fd.rport"] as? String == "not-a-number")
        #expect(fields["proc.apid[2]"] as? Int == 77)
        #expect(fields["proc.env[HOME]"] as? String == "12", "environment values stay strings")
        #expect(fields["evt.time"] as? Int == 5, "a rule's own evt.time is kept")
    }

    @Test("strings with quotes, backslashes, newlines and control characters stay valid JSON")
    func escaping() throws {
        var encoder = AlertJSONEncoder()
        let nasty = "a \"quoted\" \\ path\nwith\ttab \u{1} and ünïcödé"
        let alert = AlertFixtures.alert(rule: nasty, output: nasty, fields: ["proc.cmdline": nasty])
        let text = encoder.encode(alert)
        #expect(!text.contains("\n"))
        let object = try AlertFixtures.jsonObject(text)
        #expect(object["rule"] as? String == nasty)
        #expect((object["output_fields"] as? [String: Any])?["proc.cmdline"] as? String == nasty)
    }

    @Test("the cached date part follows the alert's second", arguments: [
        (UInt64(0), "1970-01-01T00:00:00.000000000Z"),
        (UInt64(1_795_946_400_000_000_001), "2026-11-29T10:00:00.000000001Z"),
        (UInt64(1_795_946_401_999_999_999), "2026-11-29T10:00:01.999999999Z"),
    ])
    func timestamps(_ nanoseconds: UInt64, _ expected: String) throws {
        var encoder = AlertJSONEncoder()
        _ = encoder.encode(AlertFixtures.alert(time: 1_795_946_400_500_000_000))
        let object = try AlertFixtures.jsonObject(encoder.encode(AlertFixtures.alert(time: nanoseconds)))
        #expect(object["time"] as? String == expected)
    }
}
