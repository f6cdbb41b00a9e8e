import Foundation
import ShrikeCore
import Testing
@testable import ShrikeSupplyChain

@Suite("Tag locks detect moved tags")
struct TagLockTests {
    @Test("lock, then rewrite index.json's tagged manifest: the check names the tag and both digests", arguments: ["shrike.lock", "shrike.lock.yaml"])
    func movedTag(_ fileName: String) throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = try SupplyChainFixtures.layout(in: dir)
        let target = "oci-dir:\(layout):1.0"
        let image = try SupplyChainTarget.resolve(target)
        let key = try SupplyChainFixtures.plainKey()
        _ = try ImageSigner(key: key).sign(image, identity: "example.com/team/app")

        var lock = TagLock()
        let signers = try SignatureVerifier(keys: [key.verificationKey]).verify(image).verifiedKeys.sorted()
        lock.record(TagLock.Entry(target: target, tag: image.tag, digest: image.digest, signers: signers))
        let lockPath = dir + "/" + fileName
        try lock.write(to: lockPath)
        let reread = try TagLock.load(path: lockPath)
        #expect(reread == lock)
        #expect(reread.images[0].signers == [key.verificationKey.fingerprint])
        #expect(try reread.check(image, target: target).isEmpty)

        // Someone pushes another image under the same tag: write a second layout's manifest into this one.
        let otherLayout = try SupplyChainFixtures.layout(in: dir, name: "other", content: "changed")
        let otherImage = try SupplyChainTarget.resolve("oci-dir:\(otherLayout):1.0")
        let store = try OCILayoutStore(root: layout)
        let otherStore = try OCILayoutStore(root: otherLayout)
        for name in try FileManager.default.contentsOfDirectory(atPath: otherLayout + "/blobs/sha256") {
            let digest = try Digest(parsing: "sha256:" + name)
            try store.pushBlob(try #require(try otherStore.blob(digest)))
        }
        try store.pushManifest(otherImage.manifest, mediaType: OCIMediaTypes.imageManifest, tag: "1.0")

        let now = try SupplyChainTarget.resolve(target)
        let moved = try reread.check(now, target: target)
        #expect(moved == [MovedTag(target: target, tag: "1.0", locked: image.digest, current: otherImage.digest)])
        #expect(moved[0].description == "tag '1.0' moved: locked at \(image.digest), now \(otherImage.digest) (\(target))")
    }

    @Test("a target the lock does not know is an input error, not a pass")
    func unknownTarget() throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = try SupplyChainTarget.resolve("oci-dir:\(try SupplyChainFixtures.layout(in: dir)):1.0")
        let error = #expect(throws: ShrikeError.self) { try TagLock().check(image, target: "oci-dir:x:1.0") }
        #expect(error?.code == .notFound)
    }
}
