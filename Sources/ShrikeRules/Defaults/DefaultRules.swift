import Foundation
import ShrikeCore

/// The ruleset `shrike watch` loads when no `--rules` is given: Shrike's own rules for the behaviours Falco's stable
/// set watches, in Falco's rule language (`shrike rules list -o yaml` prints it).
///
/// Every macro whose name starts with `user_` is meant to be overridden in a rule file of your own (loaded after this
/// one with `--rules`), e.g. to allow an image its outbound connections:
///
/// ```yaml
/// - list: outbound_allowed_images
///   items: [docker.io/library/nginx]
///   override:
///     items: append
/// ```
public enum DefaultRules {
    /// How the default rules are named in messages (`<default rules>:12: …`).
    public static let sourceName = "<default rules>"
    /// The name that stands for the default rules among rule files (`--rules default --rules mine.yaml`).
    public static let keyword = "default"

    public static let yaml: String = #"""
# Shrike default rules. Our own words and conditions; the behaviours follow Falco's stable ruleset.
- required_engine_version: 0.26.0

# ---- building blocks ----------------------------------------------------------------------------------------------

- macro: spawned_process
  condition: (evt.type = execve and evt.failed = false)

- macro: open_write
  condition: (evt.type in (open, openat, openat2, creat) and evt.is_open_write = true and evt.failed = false)

- macro: open_read
  condition: (evt.type in (open, openat, openat2) and evt.is_open_read = true and evt.failed = false)

- macro: container
  condition: (container.id != host)

- macro: never_true
  condition: (evt.num = 0 and evt.num = 1)

- list: shell_binaries
  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash, fish, busybox]

- list: scripting_interpreters
  items: [python, python2, python3, perl, ruby, php, node, lua, awk, gawk, mawk]

- list: package_mgmt_binaries
  items: [dpkg, dpkg-preconfigu, dpkg-reconfigur, dpkg-divert, dpkg-trigger, apt, apt-get, aptitude, unattended-upgr,
          rpm, rpmkey, yum, dnf, dnf-automatic, microdnf, zypper, apk, snap, snapd, flatpak, pacman, emerge, nix,
          nix-daemon, ucf, update-alternat, debconf, needrestart]

- macro: package_mgmt
  condition: (proc.name in (package_mgmt_binaries) or proc.aname in (package_mgmt_binaries))

- list: bin_dirs
  items: [/bin, /sbin, /usr/bin, /usr/sbin, /usr/local/bin, /usr/local/sbin]

- list: lib_dirs
  items: [/lib, /lib32, /lib64, /usr/lib, /usr/lib32, /usr/lib64, /usr/libexec, /usr/local/lib]

# The syscalls that change a directory entry or its metadata; for rename and link the new name is fs.path.target.
- macro: path_changed
  condition: >
    (evt.failed = false and evt.type in (unlink, unlinkat, rmdir, mkdir, mkdirat, rename, renameat, renameat2,
     chmod, fchmod, fchmodat, chown, lchown, fchown, fchownat, link, linkat, symlink, symlinkat))

- macro: user_known_binary_dir_writers
  condition: (never_true)

- macro: user_known_library_dir_writers
  condition: (never_true)

# ---- the two rules from the start: binaries must not change, containers must not call out ----------------------

- rule: Binary directory changed
  desc: >
    A file under a binary directory was created, written, renamed, deleted, linked or had its permissions or owner
    changed by something other than a package manager. Binaries do not change between package upgrades; when they do,
    someone is planting or replacing a program.
  condition: >
    ((open_write and fd.directory in (bin_dirs))
     or (path_changed and (fs.path.name pmatch (bin_dirs) or fs.path.target pmatch (bin_dirs))))
    and not package_mgmt
    and not user_known_binary_dir_writers
  output: >
    File below a binary directory changed (evt.type=%evt.type file=%fs.path.name target=%fs.path.target
    fd=%fd.name proc=%proc.name cmdline=%proc.cmdline user=%user.name parent=%proc.pname container=%container.id
    image=%container.image.repository)
  priority: ERROR
  tags: [filesystem, host, container, mitre_persistence, T1543]

- rule: Library directory changed
  desc: >
    A file under a system library directory was created, written, renamed or deleted outside a package manager
    (shared objects planted for LD_PRELOAD-style persistence or replaced libraries). Python byte-code caches are
    ignored.
  condition: >
    ((open_write and fd.name pmatch (lib_dirs)) or (path_changed and fs.path.name pmatch (lib_dirs)))
    and not package_mgmt
    and not fd.name contains "/__pycache__/"
    and not fs.path.name contains "/__pycache__/"
    and not proc.name in (ldconfig, ldconfig.real, depmod, update-initramfs, mandb)
    and not user_known_library_dir_writers
  output: >
    File below a library directory changed (evt.type=%evt.type file=%fs.path.name fd=%fd.name proc=%proc.name
    cmdline=%proc.cmdline user=%user.name parent=%proc.pname container=%container.id)
  priority: ERROR
  tags: [filesystem, host, container, mitre_persistence, T1574.006]

# Images (container.image.repository) allowed any outbound connection, and destinations allowed to every container.
- list: outbound_allowed_images
  items: []

- list: outbound_allowed_destinations
  items: []

# Per-container or per-image allowances that need more than a list, e.g.
#   (container.image.repository = docker.io/library/nginx and fd.sport in (80, 443))
- macro: user_allowed_outbound
  condition: (never_true)

- macro: outbound_connection
  condition: >
    (evt.type = connect and (evt.rawres >= 0 or evt.res = EINPROGRESS)
     and fd.sockfamily = ip and not fd.snet in ("127.0.0.0/8", "::1/128") and fd.sip != "0.0.0.0")

- rule: Unexpected outbound connection from a container
  desc: >
    A process in a container opened a network connection to a destination not on the allow-lists. The lists are
    empty by default, so every outbound connection from a container is reported until you describe what your
    containers may reach (outbound_allowed_images, outbound_allowed_destinations, user_allowed_outbound).
  condition: >
    outbound_connection and container
    and not container.image.repository in (outbound_allowed_images)
    and not fd.sip in (outbound_allowed_destinations)
    and not user_allowed_outbound
  output: >
    Outbound connection from a container (connection=%fd.name destination=%fd.sip port=%fd.sport proto=%fd.l4proto
    proc=%proc.name cmdline=%proc.cmdline container=%container.id name=%container.name
    image=%container.image.repository)
  priority: WARNING
  tags: [network, container, mitre_command_and_control, T1071]

# ---- credentials and sensitive files ------------------------------------------------------------------------------

- list: sensitive_file_names
  items: [/etc/shadow, /etc/shadow-, /etc/gshadow, /etc/gshadow-, /etc/sudoers, /etc/security/opasswd,
          /etc/master.passwd]

- list: sensitive_directories
  items: [/etc/sudoers.d, /root/.ssh, /etc/ssh/keys]

# The prefix tests come first: they are byte comparisons, where set lookups hash the whole path.
- macro: sensitive_files
  condition: >
    (((fd.name startswith /etc/ or fd.name startswith /root/)
      and (fd.name in (sensitive_file_names) or fd.directory in (sensitive_directories)
           or (fd.directory = /etc/ssh and fd.name glob "/etc/ssh/ssh_host_*_key")))
     or (fd.name startswith /home/ and fd.name glob "/home/*/.ssh/id_*"))

- list: trusted_sensitive_readers
  items: [sshd, sshd-session, sudo, su, login, passwd, chpasswd, chage, useradd, usermod, userdel, groupadd,
          groupmod, groupdel, newgrp, gpasswd, unix_chkpwd, pam_tally2, faillock, systemd, systemd-logind,
          systemd-userdbd, cron, crond, atd, shadowconfig, pwck, grpck, vipw, vigr, nscd, sssd, polkitd,
          accounts-daemon, cockpit-session, ssh-keygen, ssh-keyscan, ssh-agent, ssh-add, ssh, scp, sftp, visudo]

- macro: user_known_sensitive_readers
  condition: (never_true)

- rule: Sensitive file read by an untrusted program
  desc: >
    A password database, sudo configuration or SSH private key was opened for reading by a program that has no
    business reading it. Attackers read these to crack passwords or move laterally.
  condition: >
    open_read and sensitive_files
    and not proc.name in (trusted_sensitive_readers)
    and not package_mgmt
    and not user_known_sensitive_readers
  output: >
    Sensitive file opened for reading by an untrusted program (file=%fd.name proc=%proc.name cmdline=%proc.cmdline
    user=%user.name parent=%proc.pname ancestors=%proc.aname[2] %proc.aname[3] container=%container.id)
  priority: WARNING
  tags: [filesystem, host, container, mitre_credential_access, T1555]

- rule: Directory traversal to a sensitive file
  desc: >
    A file under /etc or an SSH key was opened through a path that climbs with `..` — how path-traversal bugs in web
    applications leak credentials.
  condition: >
    open_read and fd.nameraw contains "../"
    and (sensitive_files or fd.name startswith /etc/)
    and not proc.pname in (shell_binaries)
  output: >
    Sensitive file read through directory traversal (file=%fd.name path_as_given=%fd.nameraw proc=%proc.name
    cmdline=%proc.cmdline user=%user.name container=%container.id)
  priority: WARNING
  tags: [filesystem, host, container, mitre_credential_access, T1555]

- rule: Symlink or hard link over a sensitive file
  desc: >
    A link to a password database, sudo configuration or SSH key was created: a way to read or replace it through a
    path nobody watches.
  condition: >
    evt.type in (symlink, symlinkat, link, linkat) and evt.failed = false
    and (fs.path.source in (sensitive_file_names) or fs.path.target in (sensitive_file_names)
         or fs.path.source pmatch (sensitive_directories))
  output: >
    Link to a sensitive file created (evt.type=%evt.type link=%fs.path.name source=%fs.path.source
    target=%fs.path.target proc=%proc.name cmdline=%proc.cmdline user=%user.name container=%container.id)
  priority: WARNING
  tags: [filesystem, host, container, mitre_credential_access, T1555]

- list: key_search_terms
  items: ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".pem", ".key", "authorized_keys", "BEGIN RSA PRIVATE",
          "BEGIN OPENSSH PRIVATE", "BEGIN PRIVATE KEY", "BEGIN EC PRIVATE", "aws_secret_access_key", ".aws/credentials",
          "password=", "passwd"]

- rule: Search for private keys or passwords
  desc: >
    find, grep and friends were run looking for private keys, cloud credentials or passwords.
  condition: >
    spawned_process
    and proc.name in (find, grep, egrep, fgrep, rg, ag, locate, mlocate, plocate)
    and proc.args icontains oneof (key_search_terms)
  output: >
    Search for private keys or passwords (proc=%proc.name cmdline=%proc.cmdline user=%user.name
    parent=%proc.pname container=%container.id)
  priority: WARNING
  tags: [process, host, container, mitre_credential_access, T1552.001]

# ---- shells, sessions and remote code execution -------------------------------------------------------------------

- rule: Terminal shell in a container
  desc: >
    A shell with a terminal attached started in a container (`docker exec -it … sh`): someone is working inside a
    container by hand.
  condition: >
    spawned_process and container and proc.name in (shell_binaries) and proc.tty != 0
  output: >
    Shell with a terminal in a container (proc=%proc.name cmdline=%proc.cmdline user=%user.name
    parent=%proc.pname container=%container.id name=%container.name image=%container.image.repository)
  priority: NOTICE
  tags: [process, container, shell, mitre_execution, T1059]

- list: system_users
  items: [bin, daemon, games, lp, mail, news, uucp, proxy, www-data, backup, list, irc, gnats, nobody, sync,
          _apt, systemd-network, systemd-resolve, messagebus, sshd, postgres, mysql, redis, nginx, apache]

- macro: user_known_system_user_sessions
  condition: (never_true)

- rule: Interactive session of a system user
  desc: >
    A program with a terminal ran as a system account (www-data, nobody, a database user …). Those accounts run
    services, not people; a terminal means someone broke into the service or switched to its user.
  condition: >
    spawned_process and proc.tty != 0
    and (user.name in (system_users) or (user.uid > 0 and user.uid < 1000))
    and not user_known_system_user_sessions
  output: >
    Interactive session of a system user (user=%user.name uid=%user.uid proc=%proc.name cmdline=%proc.cmdline
    parent=%proc.pname tty=%proc.tty container=%container.id)
  priority: WARNING
  tags: [process, host, container, users, mitre_persistence, T1078]

- rule: Netcat or socat remote code execution
  desc: >
    netcat or socat was started with an option that binds a program to the network connection (`nc -e /bin/sh`,
    `socat exec:…`): a remote shell.
  condition: >
    spawned_process
    and ((proc.name in (nc, ncat, netcat, nc.traditional, nc.openbsd)
          and (proc.args contains "-e" or proc.args contains "-c" or proc.args contains "--exec"
               or proc.args contains "--sh-exec" or proc.args contains "--lua-exec"))
         or (proc.name = socat and proc.args icontains oneof ("exec:", "system:")))
  output: >
    Netcat or socat runs a program on a network connection (proc=%proc.name cmdline=%proc.cmdline user=%user.name
    parent=%proc.pname container=%container.id)
  priority: WARNING
  tags: [network, process, host, container, mitre_execution, T1059]

- rule: Standard input or output redirected to a network connection
  desc: >
    A shell or interpreter put a network socket on its standard input, output or error — the reverse-shell pattern
    (`bash -i >& /dev/tcp/host/port 0>&1`).
  condition: >
    evt.type in (dup, dup2, dup3) and evt.failed = false
    and fd.num in (0, 1, 2) and fd.type in (ipv4, ipv6)
    and proc.name in (shell_binaries, scripting_interpreters)
  output: >
    Standard stream redirected to a network connection (fd=%fd.num connection=%fd.name proc=%proc.name
    cmdline=%proc.cmdline user=%user.name parent=%proc.pname container=%container.id)
  priority: WARNING
  tags: [network, process, host, container, mitre_execution, T1059]

- list: ssh_clients
  items: [ssh, scp, sftp, autossh]

- list: ssh_allowed_ports
  items: [22]

- rule: SSH connection to a non-standard port
  desc: >
    An SSH client connected to a port other than 22: tunnels to attacker infrastructure often hide on ports like
    443 or 8080.
  condition: >
    outbound_connection and proc.name in (ssh_clients) and fd.l4proto = tcp and not fd.sport in (ssh_allowed_ports)
  output: >
    SSH connection to a non-standard port (connection=%fd.name port=%fd.sport proc=%proc.name
    cmdline=%proc.cmdline user=%user.name container=%container.id)
  priority: NOTICE
  tags: [network, host, container, mitre_command_and_control, T1571]

# ---- anti-forensics -----------------------------------------------------------------------------------------------

- list: log_rotators
  items: [logrotate, savelog, journald, systemd-journal, rsyslogd, syslog-ng, newsyslog]

- rule: Log file cleared
  desc: >
    A file under /var/log was truncated by something other than a log rotator: someone is erasing their tracks.
  condition: >
    open_write and evt.arg.flags contains O_TRUNC and fd.name startswith /var/log/
    and not proc.name in (log_rotators) and not package_mgmt
  output: >
    Log file truncated (file=%fd.name flags=%evt.arg.flags proc=%proc.name cmdline=%proc.cmdline user=%user.name
    container=%container.id)
  priority: WARNING
  tags: [filesystem, host, container, mitre_defense_evasion, T1070]

- rule: Bulk data removal
  desc: >
    A tool that destroys data beyond recovery ran (shred, wipe, srm, scrub): anti-forensics or sabotage.
  condition: >
    spawned_process and proc.name in (shred, wipe, srm, scrub, sfill, sswap, sdmem)
  output: >
    Data destruction tool started (proc=%proc.name cmdline=%proc.cmdline user=%user.name parent=%proc.pname
    container=%container.id)
  priority: WARNING
  tags: [process, host, container, mitre_impact, T1485]

# ---- kernel, namespaces and escapes -------------------------------------------------------------------------------

- list: module_loaders
  items: [modprobe, insmod, kmod, systemd-udevd, systemd-modules, systemd-modules-load]

- rule: Kernel module load attempt
  desc: >
    A kernel module was loaded (or loading was attempted) by something other than the system's module loaders.
    Rootkits arrive as modules; from a container this is an escape attempt.
  condition: >
    evt.type in (init_module, finit_module)
    and (container or not (proc.name in (module_loaders) and proc.pname in (module_loaders, systemd, init)))
  output: >
    Kernel module load (evt.type=%evt.type result=%evt.res proc=%proc.name cmdline=%proc.cmdline user=%user.name
    parent=%proc.pname container=%container.id)
  priority: WARNING
  tags: [process, host, container, mitre_persistence, T1547.006]

- rule: Cgroup release_agent written
  desc: >
    A cgroup v1 release_agent file was opened for writing: the classic container escape, which makes the host run a
    program of the attacker's choosing when the cgroup empties.
  condition: >
    open_write and fd.filename = release_agent
  output: >
    release_agent opened for writing (file=%fd.name proc=%proc.name cmdline=%proc.cmdline user=%user.name
    container=%container.id image=%container.image.repository)
  priority: CRITICAL
  tags: [filesystem, container, mitre_privilege_escalation, T1611]

- rule: Packet socket created in a container
  desc: >
    A raw packet socket (AF_PACKET) was opened, or tried to be, inside a container: sniffing or spoofing traffic on
    the host's network. Attempts count, since a container without CAP_NET_RAW fails but shows the intent.
  condition: >
    evt.type = socket and evt.arg.domain = AF_PACKET and container
  output: >
    Packet socket in a container (result=%evt.res proc=%proc.name cmdline=%proc.cmdline user=%user.name container=%container.id
    image=%container.image.repository)
  priority: NOTICE
  tags: [network, container, mitre_discovery, T1040]

- list: known_tracers
  items: []

- rule: Process attached with ptrace
  desc: >
    A process attached to another with ptrace (or wrote into its memory or registers): code injection and
    credential theft from memory work this way.
  condition: >
    evt.type = ptrace and evt.failed = false
    and evt.arg.request in (PTRACE_ATTACH, PTRACE_SEIZE, PTRACE_POKETEXT, PTRACE_POKEDATA, PTRACE_SETREGS)
    and not proc.name in (known_tracers)
  output: >
    ptrace attach (request=%evt.arg.request target_pid=%evt.arg.target_pid proc=%proc.name cmdline=%proc.cmdline
    user=%user.name container=%container.id)
  priority: WARNING
  tags: [process, host, container, mitre_privilege_escalation, T1055.008]

- rule: Anti-debugging with PTRACE_TRACEME
  desc: >
    A process asked to be traced by its parent, the trick malware uses to keep debuggers (and analysts) away.
  condition: >
    evt.type = ptrace and evt.arg.request = PTRACE_TRACEME and not proc.pname in (known_tracers, gdb, strace, ltrace)
  output: >
    PTRACE_TRACEME anti-debugging (proc=%proc.name cmdline=%proc.cmdline parent=%proc.pname user=%user.name
    container=%container.id)
  priority: NOTICE
  tags: [process, host, container, mitre_defense_evasion, T1622]

# ---- unusual execution --------------------------------------------------------------------------------------------

- rule: Execution from /dev/shm
  desc: >
    A program ran from /dev/shm, a memory-backed directory every user can write to and no package installs into.
  condition: >
    spawned_process and (proc.exe startswith /dev/shm/ or (proc.cwd startswith /dev/shm and proc.exe startswith ./))
  output: >
    Program executed from /dev/shm (exe=%proc.exe proc=%proc.name cmdline=%proc.cmdline user=%user.name
    parent=%proc.pname container=%container.id)
  priority: WARNING
  tags: [process, host, container, mitre_execution, T1059]

- rule: New executable dropped and run in a container
  desc: >
    A container ran a program that is not part of its image: the file lives in the container's writable layer, so
    it was downloaded or written after the container started.
  condition: >
    spawned_process and container and proc.is_exe_upper_layer = true and not package_mgmt
  output: >
    Executable from the container's writable layer ran (exe=%proc.exe proc=%proc.name cmdline=%proc.cmdline
    user=%user.name parent=%proc.pname container=%container.id image=%container.image.repository)
  priority: CRITICAL
  tags: [process, container, mitre_persistence, T1105]

- rule: Fileless execution via memfd_create
  desc: >
    A program ran from an anonymous memory file (memfd_create + fexecve): malware that never touches the disk.
  condition: >
    spawned_process and proc.is_exe_from_memfd = true
  output: >
    Fileless execution from a memfd (exe=%proc.exe proc=%proc.name cmdline=%proc.cmdline user=%user.name
    parent=%proc.pname container=%container.id)
  priority: CRITICAL
  tags: [process, host, container, mitre_defense_evasion, T1620]
"""#
}

extension CompiledRuleSet {
    /// What `shrike watch` runs: the given rule files in order (`default` naming the built-in rules among them), or
    /// the default rules when there are none.
    public static func forWatch(paths: [String]) throws -> CompiledRuleSet {
        try CompiledRuleSet(catalog: RuleCatalog(sources: try DefaultRules.sources(paths)))
    }
}

extension DefaultRules {
    /// The rule texts for `paths` as `forWatch` reads them; errors name the file.
    public static func sources(_ paths: [String]) throws -> [RuleSource] {
        try (paths.isEmpty ? [keyword] : paths).map { path in
            if path == keyword { return RuleSource(name: sourceName, text: yaml) }
            let exists = FileManager.default.fileExists(atPath: path)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ShrikeError(exists ? .io : .notFound,
                                  exists ? "cannot read the rule file"
                                      : "the rule file does not exist (use 'default' for the built-in rules)",
                                  input: path)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ShrikeError(.malformed, "the rule file is not UTF-8 text", input: path)
            }
            return RuleSource(name: path, text: text)
        }
    }
}
