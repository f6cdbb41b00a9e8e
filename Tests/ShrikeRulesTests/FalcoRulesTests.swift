import ShrikeSensor
import Testing
@testable import ShrikeRules

/// Macros, lists and a rule copied UNEDITED from Falco's default ruleset: repository falcosecurity/rules, file
/// rules/falco_rules.yaml (commit 000705e6ba15abdf0252cbf22c686dcfa2007aaa, Apache-2.0). Only the items the
/// checked rules need were taken; the last rule ("Read sensitive file by non-shell") is written for this test from
/// those macros.
@Suite("Falco's own rules")
struct FalcoRulesTests {
    static let falcoRules = #"""
        - required_engine_version: 17

        - macro: open_write
          condition: (evt.type in (open,openat,openat2) and evt.is_open_write=true and fd.typechar='f' and fd.num>=0)

        - macro: open_read
          condition: (evt.type in (open,openat,openat2) and evt.is_open_read=true and fd.typechar='f' and fd.num>=0)

        - macro: never_true
          condition: (evt.num=0)

        - macro: proc_name_exists
          condition: (proc.name!="<NA>")

        - macro: spawned_process
          condition: (evt.type in (execve, execveat) and evt.dir=<)

        # File categories
        - macro: bin_dir
          condition: (fd.directory in (/bin, /sbin, /usr/bin, /usr/sbin))

        - list: shell_binaries
          items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash]

        - macro: shell_procs
          condition: proc.name in (shell_binaries)

        - list: login_binaries
          items: [
            login, systemd, '"(systemd)"', systemd-logind, su,
            nologin, faillog, lastlog, newgrp, sg
            ]

        # The explicit quotes are needed to avoid the - characters being
        # interpreted by the filter expression.
        - list: rpm_binaries
          items: [dnf, dnf-automatic, rpm, rpmkey, yum, '"75-system-updat"', rhsmcertd-worke, rhsmcertd, subscription-ma,
                  repoquery, rpmkeys, rpmq, yum-cron, yum-config-mana, yum-debug-dump,
                  abrt-action-sav, rpmdb_stat, microdnf, rhn_check, yumdb]

        - list: deb_binaries
          items: [dpkg, dpkg-preconfigu, dpkg-reconfigur, dpkg-divert, apt, apt-get, aptitude,
            frontend, preinst, add-apt-reposit, apt-auto-remova, apt-key,
            apt-listchanges, unattended-upgr, apt-add-reposit, apt-cache, apt.systemd.dai
            ]
        - list: python_package_managers
          items: [pip, pip3, conda]

        # The truncated dpkg-preconfigu is intentional, process names are
        # truncated at the falcosecurity-libs level.
        - list: package_mgmt_binaries
          items: [rpm_binaries, deb_binaries, update-alternat, gem, npm, python_package_managers, sane-utils.post, alternatives, chef-client, apk, snapd]

        - macro: package_mgmt_procs
          condition: proc.name in (package_mgmt_binaries)

        - macro: package_mgmt_ancestor_procs
          condition: proc.pname in (package_mgmt_binaries) or
                     proc.aname[2] in (package_mgmt_binaries) or
                     proc.aname[3] in (package_mgmt_binaries) or
                     proc.aname[4] in (package_mgmt_binaries)

        - list: sensitive_file_names
          items: [/etc/shadow, /etc/sudoers, /etc/pam.conf, /etc/security/pwquality.conf]

        - macro: sensitive_files
          condition: >
            fd.name startswith /etc and
            (fd.name in (sensitive_file_names)
             or fd.directory in (/etc/sudoers.d, /etc/pam.d))

        # RFC1918 addresses were assigned for private network usage
        - list: rfc_1918_addresses
          items: ['"10.0.0.0/8"', '"172.16.0.0/12"', '"192.168.0.0/16"']

        - macro: outbound
          condition: >
            (((evt.type = connect and evt.dir=<) or
              (evt.type in (sendto,sendmsg) and evt.dir=< and
               fd.l4proto != tcp and fd.connected=false and fd.name_changed=true)) and
             (fd.typechar = 4 or fd.typechar = 6) and
             (fd.ip != "0.0.0.0" and fd.net != "127.0.0.0/8" and not fd.snet in (rfc_1918_addresses)) and
             (evt.rawres >= 0 or evt.res = EINPROGRESS))

        - macro: exe_running_docker_save
          condition: >
            proc.name = "exe"
            and (proc.cmdline contains "/var/lib/docker"
            or proc.cmdline contains "/var/run/docker")
            and proc.pname in (dockerd, docker, dockerd-current, docker-current)

        - macro: python_running_get_pip
          condition: (proc.cmdline startswith "python get-pip.py")

        - macro: python_running_ms_oms
          condition: (proc.cmdline startswith "python /var/lib/waagent/")

        # Users should overwrite this macro to specify conditions under which a
        # write under the binary dir is ignored. For example, it may be okay to
        # install a binary in the context of a ci/cd build.
        - macro: user_known_write_below_binary_dir_activities
          condition: (never_true)

        - rule: Write below binary dir
          desc: an attempt to write to any file below a set of binary directories
          condition: >
            bin_dir and evt.dir = < and open_write
            and not package_mgmt_procs
            and not exe_running_docker_save
            and not python_running_get_pip
            and not python_running_ms_oms
            and not user_known_write_below_binary_dir_activities
          output: File below a known binary directory opened for writing (file=%fd.name pcmdline=%proc.pcmdline gparent=%proc.aname[2] evt_type=%evt.type user=%user.name user_uid=%user.uid user_loginuid=%user.loginuid process=%proc.name proc_exepath=%proc.exepath parent=%proc.pname command=%proc.cmdline terminal=%proc.tty exe_flags=%evt.arg.flags %container.info)
          priority: ERROR
          tags: [maturity_sandbox, host, container, filesystem, mitre_persistence, T1543]
        """#

    static let testRules = """
        - rule: Read sensitive file by non-shell
          desc: written for this test from Falco's macros
          condition: open_read and sensitive_files and proc_name_exists and not shell_procs
          output: "sensitive %fd.name by %proc.name"
          priority: WARNING
        - rule: Outbound to the internet
          desc: written for this test from Falco's outbound macro
          condition: outbound and not package_mgmt_ancestor_procs
          output: "outbound %fd.name"
          priority: NOTICE
        - rule: Shell spawned
          desc: written for this test
          condition: spawned_process and shell_procs and proc.pname in (login_binaries)
          output: "shell %proc.cmdline"
          priority: NOTICE
        """

    let set: CompiledRuleSet

    init() throws {
        set = try CompiledRuleSet.load(sources: [RuleSource(name: "falco_rules.yaml", text: Self.falcoRules),
                                                 RuleSource(name: "test_rules.yaml", text: Self.testRules)])
    }

    func fires(_ rule: String, _ event: Event, processes: ProcessTable = TestEvents.table) -> Bool {
        guard let compiled = set.rules.first(where: { $0.name == rule }) else { return false }
        return compiled.matches(TestEvents.context(event, processes: processes))
    }

    @Test func loadsUnedited() {
        #expect(set.rules.count == 4)
        #expect(set.rules.filter { !$0.active }.isEmpty)
        let write = set.rules[0]
        #expect(write.eventTypes == ["open", "openat", "openat2"])
        let outbound = set.rules.first { $0.name == "Outbound to the internet" }
        #expect(outbound?.eventTypes == ["connect", "sendto", "sendmsg"])
        // fd.connected and fd.name_changed are filled, and sendto/sendmsg are event types the sensor produces.
        #expect(outbound?.unavailableFields == [])
        #expect(!set.warnings.contains { $0.message.contains("sendmsg") })
    }

    @Test func writeBelowBinaryDir() {
        #expect(fires("Write below binary dir", TestEvents.open("/usr/bin/x")))
        #expect(fires("Write below binary dir", TestEvents.open("/sbin/evil", flags: OpenFlags.readWrite)))
        #expect(!fires("Write below binary dir", TestEvents.open("/usr/bin/x", flags: OpenFlags.readOnly)))
        #expect(!fires("Write below binary dir", TestEvents.open("/usr/local/bin/x")))
        #expect(!fires("Write below binary dir", TestEvents.open("/usr/bin/x", ret: -13)))
        let dpkg = TestEvents.process(name: "dpkg", exe: "/usr/bin/dpkg", args: ["dpkg", "-i", "x.deb"])
        #expect(!fires("Write below binary dir", TestEvents.open("/usr/bin/x", process: dpkg)))
        let pip = TestEvents.process(name: "python", args: ["python", "get-pip.py"])
        #expect(!fires("Write below binary dir", TestEvents.open("/usr/bin/pip", process: pip)))
        let directory = TestEvents.open("/usr/bin", flags: OpenFlags.directory | OpenFlags.writeOnly)
        #expect(!fires("Write below binary dir", directory))
    }

    @Test func writeBelowBinaryDirOutput() throws {
        let engine = RuleEngine(rules: set, options: .init(hostname: "h"),
                                users: UserDatabase(passwdPath: "/nonexistent", groupPath: "/nonexistent"))
        let alerts = engine.evaluate(TestEvents.open("/usr/bin/x"), processes: TestEvents.table)
        let alert = try #require(alerts.first)
        #expect(alert.rule == "Write below binary dir")
        #expect(alert.priority == .error)
        #expect(alert.output == "File below a known binary directory opened for writing (file=/usr/bin/x "
                + "pcmdline=bash gparent=sshd evt_type=openat user=<NA> user_uid=0 user_loginuid=1000 process=touch "
                + "proc_exepath=/usr/bin/touch parent=bash command=touch /usr/bin/x terminal=34816 "
                + "exe_flags=O_WRONLY|O_CREAT container_id=host container_name=host)")
        #expect(alert.outputFields["proc.aname[2]"] == "sshd")
        #expect(alert.outputFields["container.id"] == "host")
        #expect(alert.tags.contains("mitre_persistence"))
    }

    @Test func sensitiveFiles() {
        #expect(fires("Read sensitive file by non-shell", TestEvents.open("/etc/shadow", flags: OpenFlags.readOnly)))
        #expect(fires("Read sensitive file by non-shell", TestEvents.open("/etc/pam.d/sshd", flags: OpenFlags.readOnly)))
        #expect(!fires("Read sensitive file by non-shell", TestEvents.open("/etc/hosts", flags: OpenFlags.readOnly)))
        let bash = TestEvents.process(name: "bash", args: ["bash"])
        #expect(!fires("Read sensitive file by non-shell", TestEvents.open("/etc/shadow", flags: 0, process: bash)))
    }

    @Test func outbound() {
        #expect(fires("Outbound to the internet", TestEvents.connect("93.184.216.34", port: 443)))
        #expect(fires("Outbound to the internet", TestEvents.connect("93.184.216.34", port: 443, ret: -115)))
        #expect(!fires("Outbound to the internet", TestEvents.connect("93.184.216.34", port: 443, ret: -111)))
        #expect(!fires("Outbound to the internet", TestEvents.connect("10.0.0.7", port: 443)))
        #expect(!fires("Outbound to the internet", TestEvents.connect("127.0.0.1", port: 443)))
        #expect(!fires("Outbound to the internet", TestEvents.connect("/run/x.sock", port: 0, family: .unix)))
        // apt-get (grandparent of curl) is a package manager ancestor.
        let table = ProcessTable(entries: [
            ProcessEntry(pid: 10, ppid: 1, name: "apt-get", exe: "/usr/bin/apt-get", args: ["apt-get", "update"]),
            ProcessEntry(pid: 20, ppid: 10, name: "sh", exe: "/bin/sh", args: ["sh", "-c", "x"]),
        ])
        let curl = TestEvents.process(pid: 30, ppid: 20, name: "curl", args: ["curl", "x"])
        #expect(!fires("Outbound to the internet", TestEvents.connect("93.184.216.34", port: 80, process: curl),
                       processes: table))
    }

    @Test func shellFromLogin() {
        let table = ProcessTable(entries: [ProcessEntry(pid: 5, ppid: 1, name: "(systemd)", args: ["(sd-pam)"])])
        let shell = TestEvents.exec(TestEvents.process(pid: 6, ppid: 5, name: "bash", args: ["-bash"]))
        #expect(fires("Shell spawned", shell, processes: table))
        #expect(!fires("Shell spawned", shell))
    }
}
