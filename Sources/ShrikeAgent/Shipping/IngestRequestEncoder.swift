import ShrikeSensor

/// The body of `POST /api/v1/ingest`: `{"agent": {…}, "records": [{"seq": N, "kind": "…", "body": {…}}, …]}`.
///
/// Record bodies are spooled as JSON already and are copied in verbatim.
package enum IngestRequestEncoder {
    package static func encode(agent: AgentIdentity, records: [SpoolRecord]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + records.reduce(0) { $0 + $1.body.count + 48 })
        out.append(contentsOf: #"{"agent":{"hostname":"#.utf8)
        JSONLiteral.append(string: agent.hostname, to: &out)
        out.append(contentsOf: #","version":"#.utf8)
        JSONLiteral.append(string: agent.version, to: &out)
        out.append(contentsOf: #","kernel":"#.utf8)
        JSONLiteral.append(string: agent.kernel, to: &out)
        out.append(contentsOf: #"},"records":["#.utf8)
        for (index, record) in records.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"seq":"#.utf8)
            JSONLiteral.append(unsigned: record.seq, to: &out)
            out.append(contentsOf: #","kind":""#.utf8)
            out.append(contentsOf: record.kind.wireName.utf8)
            out.append(contentsOf: #"","body":"#.utf8)
            out.append(contentsOf: record.body)
            out.append(UInt8(ascii: "}"))
        }
        out.append(contentsOf: "]}".utf8)
        return out
    }
}
