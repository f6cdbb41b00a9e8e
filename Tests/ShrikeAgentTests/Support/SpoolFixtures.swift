import Foundation
import ShrikeTestSupport
@testable import ShrikeAgent

/// A fresh spool folder per test, and record bodies that say which record they are.
enum SpoolFixtures {
    static func directory() throws -> String {
        try ImageSourceFixtures.temporaryDirectory() + "/spool"
    }

    static func body(_ index: Int, padding: Int = 0) -> [UInt8] {
        Array("{\"n\":\(index),\"pad\":\"\(String(repeating: "x", count: padding))\"}".utf8)
    }

    static func index(of record: SpoolRecord) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(record.body)) as? [String: Any] else {
            return nil
        }
        return object["n"] as? Int
    }

    static func segments(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("segment-") }.sorted().map { directory + "/" + $0 }
    }

    static func remove(_ directory: String) {
        try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent)
    }
}
