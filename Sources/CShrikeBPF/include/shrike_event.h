// The wire format between the BPF program (bpf/sensor.bpf.c) and user space (ShrikeSensor).
// Both sides compile this header, so a field added here is seen by both.
#ifndef SHRIKE_EVENT_H
#define SHRIKE_EVENT_H

#ifdef __BPF__
typedef unsigned char shrike_u8;
typedef unsigned short shrike_u16;
typedef unsigned int shrike_u32;
typedef int shrike_s32;
typedef unsigned long long shrike_u64;
typedef long long shrike_s64;
#else
#include <stdint.h>
typedef uint8_t shrike_u8;
typedef uint16_t shrike_u16;
typedef uint32_t shrike_u32;
typedef int32_t shrike_s32;
typedef uint64_t shrike_u64;
typedef int64_t shrike_s64;
#endif

/// What produced a record.
enum shrike_event_kind {
    SHRIKE_KIND_EXEC = 1,     ///< sched_process_exec: a struct shrike_exec_info right after the header, then
                              ///< str0 = filename, str1 = argv (NUL separated), str2 = the executed file's dentry
                              ///< name (`memfd:x` for a memfd); args[0] = the old pid
    SHRIKE_KIND_FORK = 2,     ///< sched_process_fork: args[0] = child tid, args[1] = child tgid, args[2] = 1 for a
                              ///< thread, args[3] = the child's pid in its own pid namespace
    SHRIKE_KIND_EXIT = 3,     ///< sched_process_exit of the last thread: args[0] = raw exit code
    SHRIKE_KIND_SYSCALL = 4,  ///< sys_exit of an interesting syscall: args = its arguments, strings per syscall
    SHRIKE_KIND_DNS = 5,      ///< a UDP datagram from port 53 received by a socket (cgroup_skb ingress): str0 = the
                              ///< first SHRIKE_DNS_MAX bytes of its payload, args[0] = IP version (4 or 6),
                              ///< args[1] = the payload's full length; no process (it runs in softirq context)
};

/// Drop counter slots (one per-CPU counter each).
enum shrike_drop_category {
    SHRIKE_DROP_PROCESS = 0,
    SHRIKE_DROP_FILE = 1,
    SHRIKE_DROP_NETWORK = 2,
    SHRIKE_DROP_OTHER = 3,
    SHRIKE_DROP_CATEGORIES = 4,
};

/// Flags in the per-syscall table that user space fills: which syscalls to report and how to read their strings.
enum shrike_syscall_flag {
    SHRIKE_SC_REPORT = 1,        ///< report this syscall at exit
    SHRIKE_SC_FILE = 2,          ///< counts as a file event for drop accounting
    SHRIKE_SC_NETWORK = 4,       ///< counts as a network event for drop accounting
    SHRIKE_SC_FAILURES_ONLY = 8, ///< report only calls that failed (execve: success is the exec tracepoint's)
    SHRIKE_SC_FCNTL_DUP = 16,    ///< fcntl: report only F_DUPFD and F_DUPFD_CLOEXEC (descriptor copies)
    SHRIKE_SC_SESSION = 32,      ///< setsid/setpgid: fill the header's sid and pgid after the call, and args[4]
                                 ///< with the process group as the caller's pid namespace numbers it
    SHRIKE_SC_CREDS = 64,        ///< capset/set*uid: args[3..5] = effective, permitted, inheritable capabilities
                                 ///< after the call (those calls take at most three arguments)
    SHRIKE_SC_ADDRESSED_ONLY = 128, ///< sendto/sendmsg: report only calls that name a destination (string slot 0),
                                    ///< the unconnected-socket sends rules look at; connected ones are the connect's
};

/// How the strings of a syscall are read; user space stores one layout per syscall number.
enum shrike_string_source {
    SHRIKE_STR_NONE = 0,
    SHRIKE_STR_USER_PATH = 1,     ///< args[i] is a user-space NUL-terminated string
    SHRIKE_STR_SOCKADDR = 2,      ///< args[i] is a sockaddr, args[i+1] its length
    SHRIKE_STR_SOCKADDR_PTR = 3,  ///< args[i] is a sockaddr filled by the kernel, args[i+1] points to its length
    SHRIKE_STR_MSGHDR_NAME = 4,   ///< args[i] is a struct user_msghdr: its msg_name, msg_namelen bytes
    SHRIKE_STR_BUFFER = 5,        ///< args[i] is a data buffer: its first min(ret, SHRIKE_BUFFER_MAX) bytes
    SHRIKE_STR_MSGHDR_BUFFER = 6, ///< args[i] is a struct user_msghdr: its first iovec's first bytes, as BUFFER
};

/// The most data bytes a SHRIKE_STR_BUFFER slot carries (`evt.buffer`); Falco's default snaplen is 80.
#define SHRIKE_BUFFER_MAX 256

/// Where an open-family syscall keeps its O_* flags, for the in-kernel read filter (`shrike_syscall_spec.open_flags`).
enum shrike_open_flags_source {
    SHRIKE_OPEN_NONE = 0,          ///< not an open, or always a write (creat): never filtered
    SHRIKE_OPEN_FLAGS_ARG = 0x10,  ///< flags are args[open_flags & 7]
    SHRIKE_OPEN_FLAGS_HOW = 0x20,  ///< flags are the first 8 bytes of string slot 1 (openat2's struct open_how)
};

/// Per-syscall reading instructions: up to three strings, each taken from one argument.
struct shrike_syscall_spec {
    shrike_u8 flags;
    shrike_u8 string_source[3];
    shrike_u8 string_arg[3];
    shrike_u8 open_flags;     ///< a shrike_open_flags_source, with the argument index in the low bits
};

/// One path prefix of the read filter: opens for reading are shipped only when their path starts with one of these
/// (or is relative, or has a `..` component, since only user space can resolve those).
struct shrike_path_prefix {
    shrike_u8 length;
    char bytes[63];
};

#define SHRIKE_MAX_READ_PREFIXES 32

/// Run-time settings, written by user space into the `config` map.
struct shrike_config {
    shrike_u32 self_tgid;         ///< never report this process (the sensor itself)
    shrike_u32 read_filter;       ///< 1: opens without write/create/truncate flags pass only through `read_prefixes`
    shrike_u64 wakeup_bytes;      ///< wake the reader only when this much is pending; 0 = wake per event
    shrike_u32 read_prefix_count; ///< entries used in `read_prefixes`
    shrike_u32 pad;
};

/// What an exec record carries between its header and its strings: the new program's credentials, executable and
/// pid-namespace view (`thread.cap_*`, `proc.exe_ino*`, `proc.vpid`, `proc.vpgid`).
struct shrike_exec_info {
    shrike_u64 cap_effective;
    shrike_u64 cap_permitted;
    shrike_u64 cap_inheritable;
    shrike_u64 exe_ino;       ///< the executable's inode number (0: unknown)
    shrike_u64 exe_ctime_ns;  ///< its inode change time, Unix epoch nanoseconds
    shrike_u64 exe_mtime_ns;  ///< its modification time, Unix epoch nanoseconds
    shrike_u32 vpid;          ///< the process's pid in its own pid namespace
    shrike_u32 vpgid;         ///< its process group there (0: the group lives in an outer namespace)
};

#define SHRIKE_MAX_STRINGS 3
#define SHRIKE_MAX_STRING 4096
#define SHRIKE_STRING_AREA 8192
#define SHRIKE_RECORD_MAX 16384
#define SHRIKE_SYSCALL_SLOTS 512
/// The most DNS payload bytes a SHRIKE_KIND_DNS record carries; longer answers are cut (their tail records are lost).
#define SHRIKE_DNS_MAX 512

/// The fixed part of every record; `string_len[i]` bytes of string i follow it, in order (lengths include the NUL of
/// strings read as C strings; sockaddrs are raw bytes).
struct shrike_event_header {
    shrike_u64 time_ns;       ///< CLOCK_BOOTTIME nanoseconds
    shrike_u64 cgroup_id;
    shrike_s64 ret;
    shrike_u64 args[6];
    shrike_u32 kind;
    shrike_u32 syscall;
    shrike_u32 pid;           ///< thread group id
    shrike_u32 tid;
    shrike_u32 ppid;
    shrike_u32 uid;
    shrike_u32 gid;
    shrike_u32 loginuid;
    shrike_u32 tty;           ///< encoded like /proc/PID/stat's tty_nr (exec only; 0 otherwise)
    shrike_u32 sid;           ///< session id in the root pid namespace (exec, setsid and setpgid only; 0 otherwise)
    shrike_u32 pgid;          ///< process group id in the root pid namespace (as `sid`)
    shrike_u16 string_len[SHRIKE_MAX_STRINGS];
    shrike_u16 pad;
    char comm[16];
};

#endif
