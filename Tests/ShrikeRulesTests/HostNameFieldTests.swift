import Foundation
import ShrikeSensor
import Testing
@testable import ShrikeRules

/// Falco's `fd.rip.name`, `fd.sip.name`, `fd.cip.name` and `fd.lip.name`: the DNS name the sensor saw for an end
/// of the connection, `<NA>` when none was seen.
@Suite("Host name fields")
struct HostNameFieldTests {
    func value(_ field: String, _ event: Event) throws -> String {
        let format = try OutputFormat("%\(field)", at: SourceLocation(file: "t", line: 1))
        return format.render(TestEvents.context(event)).0
    }

    static func named(_ event: Event, _ name: String?) -> Event {
        var copy = event
        copy.net?.hostName = name
        return copy
    }

    static var accept: Event {
        Event(time: TestEvents.time, type: "accept4", category: .network, ret: 6, process: TestEvents.process(),
              net: NetworkActivity(family: .inet, role: .peer, address: "198.51.100.7", port: 40000, socketType: 1,
                                   fd: 6, hostName: "client.example"))
    }

    static var bind: Event {
        Event(time: TestEvents.time, type: "bind", category: .network, ret: 0, process: TestEvents.process(),
              net: NetworkActivity(family: .inet, role: .local, address: "192.0.2.1", port: 8080, socketType: 1,
                                   fd: 3, hostName: "self.example"))
    }

    @Test(arguments: [
        ("fd.rip.name", "shop.example"), ("fd.sip.name", "shop.example"), ("fd.cip.name", "<NA>"),
        ("fd.lip.name", "<NA>"),
    ])
    func aConnectNamesItsServer(field: String, expected: String) throws {
        let event = Self.named(TestEvents.connect("192.0.2.10", port: 443), "shop.example")
        #expect(try value(field, event) == expected)
    }

    @Test(arguments: [
        ("fd.rip.name", "client.example"), ("fd.cip.name", "client.example"), ("fd.sip.name", "<NA>"),
        ("fd.lip.name", "<NA>"),
    ])
    func anAcceptNamesItsClient(field: String, expected: String) throws {
        #expect(try value(field, Self.accept) == expected)
    }

    @Test func aBindNamesTheLocalEnd() throws {
        #expect(try value("fd.lip.name", Self.bind) == "self.example")
        #expect(try value("fd.sip.name", Self.bind) == "self.example")
        #expect(try value("fd.rip.name", Self.bind) == "<NA>")
    }

    @Test func withoutANameTheFieldsAreNotAvailable() throws {
        let event = TestEvents.connect("192.0.2.10", port: 443)
        for field in CompiledRuleSet.hostNameFields { #expect(try value(field, event) == "<NA>", "\(field)") }
        #expect(try !TestEvents.matches("fd.rip.name exists", event))
        #expect(try TestEvents.matches("fd.rip.name exists", Self.named(event, "x.example")))
    }

    @Test func conditionsCompareNames() throws {
        let event = Self.named(TestEvents.connect("192.0.2.10", port: 443), "pool.miner.example")
        #expect(try TestEvents.matches("fd.sip.name endswith .miner.example", event))
        #expect(try TestEvents.matches("fd.rip.name in (pool.miner.example, other.example)", event))
        #expect(try !TestEvents.matches("fd.sip.name = shop.example", event))
    }

    @Test func aRuleSetSaysWhetherItNeedsHostNames() throws {
        let plain = try CompiledRuleSet.load(sources: [RuleSource(name: "a.yaml", text: """
            - rule: plain
              desc: d
              condition: evt.type = connect and fd.sip = 192.0.2.1
              output: "to %fd.sip"
              priority: INFO
            """)])
        #expect(!plain.usesHostNames)
        let named = try CompiledRuleSet.load(sources: [RuleSource(name: "b.yaml", text: """
            - macro: miner_names
              condition: fd.sip.name endswith .miner.example
            - rule: named
              desc: d
              condition: evt.type = connect and miner_names
              output: "to %fd.sip"
              priority: INFO
            """)])
        #expect(named.usesHostNames)
        let output = try CompiledRuleSet.load(sources: [RuleSource(name: "c.yaml", text: """
            - rule: output
              desc: d
              condition: evt.type = connect
              output: "to %fd.sip (%fd.rip.name)"
              priority: INFO
            """)])
        #expect(output.usesHostNames)
        #expect(output.rules.first?.unavailableFields.isEmpty == true, "fd.rip.name is a field Shrike fills now")
    }
}
