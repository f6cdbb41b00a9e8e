// The tables between user space (ShrikeSensor's EnforcementProgram) and the response program (bpf/enforce.bpf.c).
// A rule with `response: kill` is compiled (ShrikeRules' ResponseCompiler) into terms: a term is a conjunction of
// atoms, a rule holds when one of its terms does (disjunctive normal form). `deny-connect` rules become policies:
// a cgroup id maps to a policy, a policy to its allow-list.
#ifndef SHRIKE_ENFORCE_H
#define SHRIKE_ENFORCE_H

#include "shrike_event.h"

/// A SHRIKE_KIND_RESPONSE record: args[0] = action, args[1] = rule index, args[2] = the syscall number (exec: -1,
/// connect: the connect syscall's number is not known in the hook, so 0), args[3] = the family for connects;
/// str0 = the path (kill) or the struct sockaddr (deny).
#define SHRIKE_KIND_RESPONSE 6

enum shrike_response_action {
    SHRIKE_ACTION_KILLED = 1,
    SHRIKE_ACTION_WOULD_KILL = 2,
    SHRIKE_ACTION_DENIED = 3,
    SHRIKE_ACTION_WOULD_DENY = 4,
};

/// Event classes a kill term applies to (bits of `shrike_term.classes`).
enum shrike_event_class {
    SHRIKE_CLASS_EXEC = 1,     ///< sched_process_exec (the `execve` event)
    SHRIKE_CLASS_OPEN = 2,     ///< sys_exit of open
    SHRIKE_CLASS_OPENAT = 4,   ///< sys_exit of openat
    SHRIKE_CLASS_OPENAT2 = 8,  ///< sys_exit of openat2
    SHRIKE_CLASS_CREAT = 16,   ///< sys_exit of creat
};

/// What an atom tests.
enum shrike_atom_field {
    SHRIKE_ATOM_PATH = 1,        ///< the event's path (fd.name: the opened or executed file), `op` says how
    SHRIKE_ATOM_PROC_NAME = 2,   ///< comm is in name set `set`
    SHRIKE_ATOM_PROC_PNAME = 3,  ///< the parent's comm is in name set `set`
    SHRIKE_ATOM_CONTAINER = 4,   ///< the task's cgroup names a container (as CgroupContainerID reads cgroup paths)
    SHRIKE_ATOM_UID = 5,         ///< the uid compared with `value` by `op`
    SHRIKE_ATOM_OPEN_WRITE = 6,  ///< evt.is_open_write: O_WRONLY or O_RDWR (false for exec)
    SHRIKE_ATOM_OPEN_CREATE = 7, ///< evt.is_open_create: O_CREAT (false for exec)
    SHRIKE_ATOM_FAILED = 8,      ///< evt.failed: the call returned an error (false for exec)
};

/// How a path atom compares (`field == SHRIKE_ATOM_PATH`) or a uid atom (`SHRIKE_ATOM_UID`).
enum shrike_atom_op {
    SHRIKE_OP_EXACT = 1,       ///< path in set
    SHRIKE_OP_DIRECTORY = 2,   ///< the path's directory (fd.directory) in set
    SHRIKE_OP_PMATCH = 3,      ///< the path is, or lies below, a set member (whole components); value 1: "/" listed
    SHRIKE_OP_STARTSWITH = 4,  ///< some byte prefix of the path is in set
    SHRIKE_OP_EQ = 5,
    SHRIKE_OP_LT = 6,
    SHRIKE_OP_LE = 7,
    SHRIKE_OP_GT = 8,
    SHRIKE_OP_GE = 9,
};

#define SHRIKE_TERM_ATOMS 8
#define SHRIKE_MAX_TERMS 64
#define SHRIKE_ENFORCE_PATH 256
#define SHRIKE_MAX_ALLOW 32
#define SHRIKE_MAX_POLICIES 16

struct shrike_atom {
    shrike_u8 field;
    shrike_u8 negate;
    shrike_u8 op;
    shrike_u8 pad;
    shrike_u32 set;
    shrike_u64 value;
};

struct shrike_term {
    shrike_u32 rule;
    shrike_u32 classes;
    shrike_u32 count;
    shrike_u32 pad;
    struct shrike_atom atoms[SHRIKE_TERM_ATOMS];
};

/// Key of the name sets: a set number and a comm, NUL padded.
struct shrike_name_key {
    shrike_u32 set;
    char name[16];
};

/// Key of the path sets: a set number and a path, NUL padded.
struct shrike_path_key {
    shrike_u32 set;
    char path[SHRIKE_ENFORCE_PATH];
};

/// One allow-list entry of a connect policy: an address prefix and a port (0: any port).
struct shrike_allow_entry {
    shrike_u32 family;     ///< 2 (AF_INET) or 10 (AF_INET6)
    shrike_u32 prefix_len; ///< bits of `addr` that must match
    shrike_u32 port;       ///< host byte order; 0 matches every port
    shrike_u32 pad;
    shrike_u8 addr[16];    ///< network byte order; IPv4 in the first 4 bytes
};

/// A connect policy: the rule that made it and its allow-list.
struct shrike_connect_policy {
    shrike_u32 rule;
    shrike_u32 count;
    struct shrike_allow_entry allow[SHRIKE_MAX_ALLOW];
};

struct shrike_enforce_config {
    shrike_u32 self_tgid;   ///< never enforce on this process (Shrike itself)
    shrike_u32 dry_run;     ///< 1: report would-kill / would-deny, do nothing
    shrike_u32 term_count;  ///< entries used in `terms`
    shrike_u32 classes;     ///< union of the terms' classes: a sys_exit of another syscall leaves at once
    shrike_u64 wakeup_bytes;
    shrike_s32 nr_open;     ///< syscall numbers of this architecture; -1 where it has no such call
    shrike_s32 nr_openat;
    shrike_s32 nr_openat2;
    shrike_s32 nr_creat;
};

#endif
