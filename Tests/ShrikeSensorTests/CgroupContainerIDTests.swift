import Testing
@testable import ShrikeSensor

@Suite("Container ids from cgroup paths")
struct CgroupContainerIDTests {
    static let id = "3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899"

    @Test(arguments: [
        ("0::/system.slice/docker-\(id).scope", "docker"),
        ("12:memory:/docker/\(id)", "docker"),
        ("0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod1234.slice/cri-containerd-\(id).scope",
         "containerd"),
        ("0::/kubepods.slice/kubepods-pod99.slice/crio-\(id).scope", "cri-o"),
        ("11:cpu,cpuacct:/kubepods/besteffort/pod0a1b2c3d-0000-1111-2222-333344445555/\(id)", "cri"),
        ("0::/libpod_parent/libpod-\(id)", "podman"),
        ("0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-\(id).scope/container", "podman"),
        ("/machine.slice/libpod-\(id).scope", "podman"),
    ])
    func findsTheContainer(path: String, runtime: String) {
        #expect(CgroupContainerID.find(in: path) == .init(id: Self.id, runtime: runtime))
    }

    @Test(arguments: [
        "0::/",
        "0::/user.slice/user-0.slice/session-3.scope",
        "0::/system.slice/sshd.service",
        "0::/libpod_parent/libpod-conmon-\(id)",
        "0::/system.slice/crio-conmon-\(id).scope",
        "0::/docker/\(id.uppercased())",
        "0::/docker/\(id.dropLast())",
    ])
    func hostCgroupsAreNotContainers(path: String) {
        #expect(CgroupContainerID.find(in: path) == nil)
    }
}
