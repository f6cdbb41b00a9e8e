import Foundation
import Testing
@testable import ShrikeServer

/// The live feed's fan-out: every subscriber gets each alert; one that stops reading is dropped once its bounded
/// buffer is full, and the number of streams is bounded.
@Suite("Console live feed fan-out")
struct ConsoleAlertFeedTests {
    static func alert(_ seq: Int64) -> ConsoleAlert {
        ConsoleAlert(agent: "node-1", seq: seq, body: Data(#"{"rule":"R","priority":"Notice","output":"o"}"#.utf8))
    }

    @Test func aReaderGetsEveryAlertAndASlowSubscriberIsDropped() async throws {
        let feed = ConsoleAlertFeed(bufferSize: 4, maxSubscribers: 3)
        let reader = try #require(await feed.subscribe())
        let slow = try #require(await feed.subscribe())
        var received: [String] = []
        for seq in 1...10 {
            await feed.publish([Self.alert(Int64(seq))])
            var iterator = reader.events.makeAsyncIterator()
            if case .alerts(let batch) = await iterator.next() { received += batch.map(\.alert.id) }
        }
        #expect(received == (1...10).map { "node-1/\($0)" })
        #expect(await feed.dropped == 1)
        #expect(await feed.subscriberCount == 1)
        // The slow one's stream ends after what its buffer held.
        var kept = 0
        for await _ in slow.events { kept += 1 }
        #expect(kept == 4)
    }

    /// One ingest request's alerts are one event: a page that follows 1,000 alerts/s in batches of 100 is 10
    /// events a second, far inside its buffer; each carries its row's JSON, made once.
    @Test func aRequestsAlertsTravelAsOneEvent() async throws {
        let feed = ConsoleAlertFeed(bufferSize: 2, maxSubscribers: 1)
        let reader = try #require(await feed.subscribe())
        await feed.publish((1...100).map { Self.alert(Int64($0)) })
        await feed.publish([])
        await feed.publish((101...200).map { Self.alert(Int64($0)) })
        #expect(await feed.dropped == 0, "200 alerts in two requests fit a buffer of two events")
        var iterator = reader.events.makeAsyncIterator()
        var received: [ConsoleAlertFeed.Live] = []
        for _ in 0..<2 { if case .alerts(let batch) = await iterator.next() { received += batch } }
        #expect(received.map(\.alert.id) == (1...200).map { "node-1/\($0)" })
        #expect(received.first?.json.contains(#""rule":"R""#) == true)
    }

    @Test func theNumberOfStreamsIsBounded() async throws {
        let feed = ConsoleAlertFeed(bufferSize: 4, maxSubscribers: 2)
        let first = await feed.subscribe()
        #expect(first != nil)
        #expect(await feed.subscribe() != nil)
        #expect(await feed.subscribe() == nil)
        if let first { await feed.unsubscribe(first.id) }
        #expect(await feed.subscribe() != nil)
        await feed.close()
        #expect(await feed.subscriberCount == 0)
    }

    @Test func theLiveFilterMatchesWhatTheStoreWouldSelect() {
        let alert = ConsoleAlert(agent: "a", seq: 1, body: Data(#"""
            {"hostname":"node-2","output":"A Shell was spawned","output_fields":{"container.id":"0123456789ab","container.image.repository":"docker.io/library/alpine","container.name":"web"},"priority":"Warning","rule":"Shell","tags":["mitre_execution"]}
            """#.utf8))
        func matches(_ query: String) -> Bool { ConsoleFeedFilter(ConsoleForm(query)).matches(alert) }
        #expect(matches(""))
        #expect(matches("rule=Shell&host=node-2&priority=Warning&container=web&image=docker.io&tag=MITRE_execution&q=shell+was"))
        #expect(matches("container=0123456789abcdef"))
        #expect(!matches("rule=Other"))
        #expect(!matches("priority=Error"))
        #expect(!matches("host=node-1"))
        #expect(!matches("tag=mitre"))
        #expect(!matches("image=alpine"))
        #expect(!matches("q=nothing+like+it"))
    }
}
