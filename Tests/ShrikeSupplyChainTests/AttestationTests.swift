import Foundation
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeSupplyChain

@Suite("DSSE / in-toto attestations")
struct AttestationTests {
    static let provenance = "https://slsa.dev/provenance/v1"

    @Test("PAE matches the DSSE spec's example")
    func paeVector() {
        let pae = DSSEEnvelope.pae(payloadType: "http://example.com/HelloWorld", payload: Array("hello world".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
        #expect(String(decoding: DSSEEnvelope.pae(payloadType: "", payload: []), as: UTF8.self) == "DSSEv1 0  0 ")
    }

    @Test("an envelope's signature covers type and payload: changing either breaks it")
    func envelopeIntegrity() throws {
        let key = try SupplyChainFixtures.plainKey()
        let envelope = try DSSEEnvelope.sign(payload: Array("{\"a\":1}".utf8), payloadType: DSSEEnvelope.inTotoPayloadType, key: key)
        #expect(envelope.verifyingKey(among: [key.verificationKey]) == key.verificationKey)
        #expect(try DSSEEnvelope(parsing: envelope.bytes) == envelope)
        var retyped = envelope
        retyped.payloadType = "application/json"
        #expect(retyped.verifyingKey(among: [key.verificationKey]) == nil)
        var repayloaded = envelope
        repayloaded.payload = Data("{\"a\":2}".utf8).base64EncodedString()
        #expect(repayloaded.verifyingKey(among: [key.verificationKey]) == nil)
        #expect(envelope.verifyingKey(among: [try SupplyChainFixtures.otherKey().verificationKey]) == nil)
    }

    @Test("attest then verify: subject is the manifest digest, stored at .att with cosign's media type and annotation")
    func attestThenVerify() throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = try SupplyChainTarget.resolve("oci-dir:\(try SupplyChainFixtures.layout(in: dir)):1.0")
        let key = try SupplyChainFixtures.plainKey()
        let result = try Attestor(key: key).attest(image, identity: "example.com/team/app", predicateType: Self.provenance,
                                                   predicate: Array("{\"builder\": {\"id\": \"ci\"}}".utf8))
        #expect(result.tag == "sha256-\(image.digest.hex).att")
        #expect(result.statement.subjects == [.init(name: "example.com/team/app", digest: ["sha256": image.digest.hex])])
        let statementText = String(decoding: result.statement.bytes, as: UTF8.self)
        #expect(statementText.hasPrefix("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"example.com/team/app\""))

        let manifest = try SignatureManifest(parsing: try #require(try image.store.manifest(result.manifest.digest)))
        #expect(manifest.layers.map(\.mediaType) == [OCIMediaTypes.dsseEnvelope])
        #expect(manifest.layers[0].annotations?[OCIMediaTypes.predicateTypeAnnotation] == Self.provenance)

        let report = try AttestationVerifier(keys: [key.verificationKey]).verify(image, predicateType: Self.provenance)
        #expect(report.passed)
        let other = try AttestationVerifier(keys: [key.verificationKey]).verify(image, predicateType: "https://spdx.dev/Document")
        #expect(!other.passed)
        #expect(other.lines[0].contains("predicate type is \(Self.provenance)"))
        let wrongKey = try AttestationVerifier(keys: [try SupplyChainFixtures.otherKey().verificationKey]).verify(image, predicateType: Self.provenance)
        #expect(!wrongKey.passed)
        #expect(wrongKey.lines[0].contains("does not verify"))
    }

    @Test("an attestation whose statement names another digest is rejected: subject mismatch")
    func subjectMismatch() throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = try SupplyChainTarget.resolve("oci-dir:\(try SupplyChainFixtures.layout(in: dir))")
        let key = try SupplyChainFixtures.plainKey()
        let statement = try InTotoStatement(image: "x", digest: SupplyChainDigest.sha256([9]), predicateType: Self.provenance, predicate: Array("{}".utf8))
        let envelope = try DSSEEnvelope.sign(payload: statement.bytes, payloadType: DSSEEnvelope.inTotoPayloadType, key: key).bytes
        let layer = OCIDescriptor(mediaType: OCIMediaTypes.dsseEnvelope, bytes: envelope, annotations: [OCIMediaTypes.predicateTypeAnnotation: Self.provenance])
        try SignatureManifest(layers: [layer]).push(to: image.store, blobs: [envelope], tag: CosignTags.attestation(for: image.digest))
        let report = try AttestationVerifier(keys: [key.verificationKey]).verify(image, predicateType: Self.provenance)
        #expect(!report.passed)
        guard case .failure(let box)? = report.checks.first?.outcome, case .subjectMismatch = box.rejection else {
            Issue.record("expected a subject mismatch, got \(report.checks)")
            return
        }
    }

    @Test("a predicate that is not JSON is refused")
    func badPredicate() {
        #expect(throws: ShrikeError.self) {
            try InTotoStatement(image: "x", digest: SupplyChainDigest.sha256([1]), predicateType: "t", predicate: Array("{not json".utf8))
        }
    }
}

/// The Python reference libraries, from `.venv-validators/` (scripts/validators.sh installs them).
enum PythonInterop {
    static let python = RepositoryFiles.path(".venv-validators/bin/python")
    static let script = RepositoryFiles.path("Tests/ShrikeSupplyChainTests/Support/dsse_interop.py")
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: python)
            && ((try? ExternalTool.run([python, "-c", "import securesystemslib.dsse, in_toto_attestation, nacl"]))?.status == 0)
    }
    static let missing = "securesystemslib / in-toto-attestation / pynacl not installed: run scripts/validators.sh"

    static func run(_ arguments: [String]) throws -> ExternalTool.Result {
        try ExternalTool.run([python, script] + arguments)
    }
}

@Suite("Interop with securesystemslib, in-toto-attestation and PyNaCl", .enabled(if: PythonInterop.available, Comment(rawValue: PythonInterop.missing)))
struct AttestationInteropTests {
    @Test("securesystemslib verifies Shrike's envelope and in-toto-attestation validates its statement")
    func pythonVerifiesShrike() throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = try SupplyChainTarget.resolve("oci-dir:\(try SupplyChainFixtures.layout(in: dir))")
        let key = SigningKey.generate()
        let result = try Attestor(key: key).attest(image, identity: "example.com/team/app", predicateType: AttestationTests.provenance,
                                                   predicate: Array("{\"builder\":{\"id\":\"shrike\"}}".utf8))
        try Data(result.envelope.bytes).write(to: URL(fileURLWithPath: dir + "/envelope.json"))
        try Data(key.verificationKey.pem.utf8).write(to: URL(fileURLWithPath: dir + "/key.pub"))
        let verified = try PythonInterop.run(["verify-envelope", dir + "/envelope.json", dir + "/key.pub"])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(AttestationTests.provenance) \(image.digest.hex)")

        // The same check fails for a key that did not sign.
        try Data(SigningKey.generate().verificationKey.pem.utf8).write(to: URL(fileURLWithPath: dir + "/other.pub"))
        #expect(try PythonInterop.run(["verify-envelope", dir + "/envelope.json", dir + "/other.pub"]).status != 0)
    }

    @Test("Shrike verifies an envelope securesystemslib signed over an in-toto-attestation statement")
    func shrikeVerifiesPython() throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = try SupplyChainTarget.resolve("oci-dir:\(try SupplyChainFixtures.layout(in: dir))")
        let made = try PythonInterop.run(["make-envelope", dir, "example.com/team/app", image.digest.hex, AttestationTests.provenance])
        #expect(made.status == 0, "\(made.stderr)")
        let envelope = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/envelope.json")))
        let key = try VerificationKey.load(path: dir + "/key.pub")
        let layer = OCIDescriptor(mediaType: OCIMediaTypes.dsseEnvelope, bytes: envelope,
                                  annotations: [OCIMediaTypes.predicateTypeAnnotation: AttestationTests.provenance])
        let check = AttestationVerifier(keys: [key]).check(layer, blob: envelope, image: image.digest, predicateType: AttestationTests.provenance)
        #expect(check.outcome == .success(key.fingerprint))
        let wrong = AttestationVerifier(keys: [try SupplyChainFixtures.plainKey().verificationKey])
            .check(layer, blob: envelope, image: image.digest, predicateType: AttestationTests.provenance)
        #expect(!wrong.isVerified)
    }

    @Test("a key Shrike encrypts decrypts with hashlib.scrypt and PyNaCl (go-securesystemslib's algorithm)")
    func pythonDecryptsShrikeKey() throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let key = SigningKey.generate()
        try Data(try key.encryptedPEM(password: Array("s3cret".utf8)).utf8).write(to: URL(fileURLWithPath: dir + "/k.key"))
        let result = try PythonInterop.run(["decrypt-key", dir + "/k.key", "s3cret"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == SupplyChainFixtures.hexString(key.verificationKey.spki))
        // And the same script reads cosign's own key, so the two implementations agree on the format.
        let cosign = try PythonInterop.run(["decrypt-key", SupplyChainFixtures.path("cosign-sigstore-key.pem"), "hello"])
        let shrike = try SigningKey.load(path: SupplyChainFixtures.path("cosign-sigstore-key.pem")) { Array("hello".utf8) }
        #expect(cosign.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == SupplyChainFixtures.hexString(shrike.verificationKey.spki))
    }
}
