import Testing
@testable import ShrikeSensor

/// Finding the cgroup2 root (where the DNS answer program attaches) in /proc/self/mountinfo.
@Suite("cgroup2 mount discovery")
struct Cgroup2MountTests {
    static let hybrid = """
        22 1 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
        30 22 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755
        31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate
        32 30 0:28 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd
        """

    @Test(arguments: [
        (hybrid, "/sys/fs/cgroup/unified"),
        ("29 22 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate", "/sys/fs/cgroup"),
        // No optional fields at all, and a mount point with a space.
        ("40 1 0:40 / /mnt/cg\\040two rw - cgroup2 none rw", "/mnt/cg two"),
        // A bind mount of a subtree comes second to the hierarchy's root.
        ("50 1 0:40 /kubepods /host/cg rw - cgroup2 none rw\n51 1 0:40 / /real/cg rw - cgroup2 none rw", "/real/cg"),
        ("50 1 0:40 /kubepods /host/cg rw - cgroup2 none rw", "/host/cg"),
    ])
    func theCgroup2MountIsFound(mountinfo: String, expected: String) {
        #expect(Cgroup2Mount.path(mountinfo: mountinfo) == expected)
    }

    @Test(arguments: [
        "",
        "32 30 0:28 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd",
        // A mount point named like the type is not the type.
        "60 1 0:50 / /cgroup2 rw - ext4 /dev/sda1 rw",
        "garbage",
    ])
    func withoutCgroup2ThereIsNone(mountinfo: String) {
        #expect(Cgroup2Mount.path(mountinfo: mountinfo) == nil)
    }
}
