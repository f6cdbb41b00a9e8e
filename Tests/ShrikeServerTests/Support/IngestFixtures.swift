import Foundation
import ShrikeServer
import Testing

/// Record bodies shaped like what agents send (`shrike watch --json` alerts, `incidents export --format json`
/// timelines, heartbeats, `shrike sbom -o json`), turned into checked records the way the API does: through
/// `IngestBatch(json:)`.
enum IngestFixtures {
    /// A Falco-shaped alert, as `AlertJSONEncoder` writes it; `time` is nanoseconds since the epoch.
    static func alert(rule: String = "Terminal shell in container", priority: String = "Notice",
                      hostname: String = "node-1", time: Int64 = 1_795_946_400_123_456_789,
                      containerID: String = "ee97d9c4186f", containerName: String = "web",
                      incident: String? = nil, pid: Int = 4242) -> [String: Any] {
        let clock = rfc3339(time)
        var body: [String: Any] = [
            "time": clock, "rule": rule, "priority": priority, "source": "syscall", "hostname": hostname,
            "tags": ["container", "mitre_execution", "shell"],
            "output": "\(clock.dropFirst(11).prefix(18)): \(priority) A shell was spawned in a container "
                + "(user=root container=\(containerID) shell=sh parent=runc cmdline=sh -c id)",
            "output_fields": [
                "container.id": containerID, "container.name": containerName,
                "container.image.repository": "docker.io/library/alpine", "evt.time": time,
                "proc.cmdline": "sh -c id", "proc.name": "sh", "proc.pname": "runc", "proc.pid": pid,
                "user.loginuid": -1, "user.name": "root",
            ] as [String: Any],
        ]
        if let incident { body["incident"] = incident }
        return body
    }

    /// A timeline export (`shrike incidents export --format json`) with one process, one file and one alert.
    static func incident(id: String, hostname: String = "node-1", rule: String = "Write below binary dir",
                         openedAt: Int64 = 1_795_946_400_001_000_000, alertCount: Int = 1) -> [String: Any] {
        let opened = rfc3339(openedAt)
        return [
            "schemaVersion": 1,
            "incident": [
                "id": id, "scope": ["kind": "process-tree", "container": "host", "rootPID": 100, "rootCommand": "bash"],
                "scopeDescription": "process tree of 100 (bash)", "openedAt": opened, "closedAt": opened,
                "start": opened, "end": opened, "firstRule": rule, "priority": "Error", "alertCount": alertCount,
                "eventCount": 28, "droppedEvents": 0, "hostname": hostname, "closedEarly": false,
            ] as [String: Any],
            "processes": [["pid": 101, "ppid": 100, "name": "touch", "exe": "/usr/bin/touch",
                           "commandLine": "touch /usr/bin/evil", "uid": 0, "alerted": true,
                           "alertRules": [rule], "children": [], "eventCount": 4] as [String: Any]],
            "roots": [100],
            "files": ["created": [["time": opened, "path": "/usr/bin/evil", "pid": 101, "process": "touch",
                                   "syscall": "openat", "failed": false] as [String: Any]],
                      "modified": [], "deleted": [], "renamed": [], "permissionsChanged": [], "sensitiveReads": []],
            "network": ["connections": [], "listeners": [], "peers": []],
            "alerts": [["time": opened, "rule": rule, "priority": "Error", "pid": 101, "process": "touch",
                        "tags": ["filesystem"], "count": 1] as [String: Any]],
            "entries": [["time": opened, "lane": "file", "kind": "created", "pid": 101, "process": "touch",
                         "depth": 1, "summary": "/usr/bin/evil", "syscall": "openat", "failed": false] as [String: Any]],
            "entriesOmitted": 0,
        ]
    }

    static func heartbeat(hostname: String = "node-1", running: [String], drops: Int = 0,
                          time: Int64 = 1_795_946_400_000_000_000) -> [String: Any] {
        ["time": rfc3339(time), "hostname": hostname, "version": "0.9.0", "kernel": "6.1.0-28-amd64", "drops": drops,
         "spoolBytes": 4096, "spoolRecords": 3, "evicted": 0, "running": running]
    }

    /// An SBOM of an Alpine image (`shrike sbom -o json`'s shape, cut down to what the server reads and a little more).
    static func sbom(digest: String, name: String, packages: [(String, String)]) -> [String: Any] {
        ["source": ["type": "image", "digest": digest, "tags": [name]] as [String: Any],
         "distro": ["id": "alpine", "versionID": "3.9.6"],
         "packages": packages.map { ["name": $0.0, "version": $0.1, "type": "apk",
                                     "purl": "pkg:apk/alpine/\($0.0)@\($0.1)?distro=alpine-3.9.6"] }]
    }

    static func digest(_ n: Int) -> String { "sha256:" + String(repeating: String(format: "%02x", n % 256), count: 32) }

    static func incidentID(_ n: Int) -> String { String(format: "inc-20261129-1000%02d-%06x", n % 60, n) }

    /// Checks a batch the way `POST /api/v1/ingest` does; every record must be valid.
    static func records(_ entries: [(seq: Int64, kind: String, body: [String: Any])],
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> [IngestRecord] {
        let json = try JSONSerialization.data(withJSONObject: [
            "agent": ["hostname": "node-1", "version": "0.9.0"],
            "records": entries.map { ["seq": $0.seq, "kind": $0.kind, "body": $0.body] as [String: Any] },
        ] as [String: Any])
        let batch = try IngestBatch(json: json)
        return try batch.records.map { entry in
            switch entry {
            case .valid(let record): return record
            case .rejected(_, let error):
                Issue.record("fixture rejected: \(error)", sourceLocation: sourceLocation)
                throw FixtureRejected()
            }
        }
    }

    struct FixtureRejected: Error {}

    static func alerts(_ bodies: [[String: Any]], firstSeq: Int64 = 1) throws -> [IngestRecord] {
        try records(bodies.enumerated().map { (firstSeq + Int64($0.offset), "alert", $0.element) })
    }

    static func rfc3339(_ nanos: Int64) -> String {
        let seconds = nanos / 1_000_000_000, fraction = nanos % 1_000_000_000
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let base = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))  // 2026-11-29T10:00:00Z
        return String(base.dropLast()) + String(format: ".%09lldZ", fraction)
    }
}
