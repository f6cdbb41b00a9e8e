// Shrike's response program: loaded only when a rule sets `response:`, so a watch without response rules runs none
// of this. It decides in the kernel, at the tracepoint, because user space learns of an event milliseconds after the
// process has already used its result:
//
// - `response: kill`: at sched_process_exec (before the new program's first instruction) and at the sys_exit of
//   open/openat/openat2/creat (the file may exist, but the SIGKILL pending on return to user space stops the process
//   before it writes a byte), evaluate the rule, compiled by user space into terms (see shrike_enforce.h), and send
//   SIGKILL with bpf_send_signal.
// - `response: deny-connect`: cgroup/connect4|6, attached by user space to the cgroups a policy covers, refuse (EPERM)
//   every destination that is not on the policy's allow-list.
//
// Every response (or, with dry_run, every response that would have happened) is written to the sensor's ring buffer
// (shared with sensor.bpf.c) as a SHRIKE_KIND_RESPONSE record. Shrike's own process, host PID 1 and kernel threads
// are never touched.

#include <linux/types.h>
#include <linux/bpf.h>

struct pt_regs {
    unsigned long di, si, dx, r10, r8, r9, orig_ax;
} __attribute__((preserve_access_index));

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>

#include "../include/shrike_enforce.h"

struct kernfs_node {
    const char *name;
    struct kernfs_node *__parent;
} __attribute__((preserve_access_index));

/// Kernels before 6.15 call the parent pointer `parent`.
struct kernfs_node___old {
    struct kernfs_node *parent;
} __attribute__((preserve_access_index));

struct cgroup {
    struct kernfs_node *kn;
} __attribute__((preserve_access_index));

struct css_set {
    struct cgroup *dfl_cgrp;
} __attribute__((preserve_access_index));

struct task_struct {
    int pid;
    int tgid;
    unsigned int flags;
    char comm[16];
    struct task_struct *real_parent;
    struct css_set *cgroups;
} __attribute__((preserve_access_index));

struct linux_binprm {
    const char *filename;
} __attribute__((preserve_access_index));

#define SHRIKE_PF_KTHREAD 0x00200000
#define SHRIKE_SIGKILL 9
#define SHRIKE_O_ACCMODE 03
#define SHRIKE_O_CREAT 0100

char LICENSE[] SEC("license") = "GPL";

/// The sensor's ring buffer: user space hands its fd over (bpf_map__reuse_fd) before loading.
struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 1 << 20);
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct shrike_enforce_config);
} enforce_config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, SHRIKE_MAX_TERMS);
    __type(key, __u32);
    __type(value, struct shrike_term);
} terms SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct shrike_name_key);
    __type(value, __u8);
} name_sets SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, struct shrike_path_key);
    __type(value, __u8);
} path_sets SEC(".maps");

/// cgroup id → policy index, for the cgroups user space attached the connect programs to.
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, __u64);
    __type(value, __u32);
} deny_cgroups SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, SHRIKE_MAX_POLICIES);
    __type(key, __u32);
    __type(value, struct shrike_connect_policy);
} policies SEC(".maps");

/// What one evaluation needs, per CPU: map keys are built here (the stack is too small for a path key).
struct enforce_scratch {
    struct shrike_path_key key;
    char path[SHRIKE_ENFORCE_PATH];
    struct shrike_name_key name;
    char cgroup_name[128];
    struct shrike_atom atom;
    __u32 path_len;      ///< bytes of `path` before its NUL
    __s32 decidable;     ///< 1 when `path` is absolute and normal, so it equals what user space calls fd.name
    __u32 class;
    __u32 uid;
    __u64 flags;
    __s64 ret;
    __s32 container;     ///< -1 until computed
    __u32 pad;
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct enforce_scratch);
} scratch SEC(".maps");

struct shrike_response_record {
    struct shrike_event_header h;
    __u8 payload[SHRIKE_ENFORCE_PATH];
};

static __always_inline struct shrike_enforce_config *config(void)
{
    __u32 zero = 0;
    return bpf_map_lookup_elem(&enforce_config, &zero);
}

static __always_inline struct enforce_scratch *get_scratch(void)
{
    __u32 zero = 0;
    return bpf_map_lookup_elem(&scratch, &zero);
}

/// Shrike itself, host PID 1 and kernel threads are never enforced on, whatever a rule says.
static __always_inline int exempt(struct shrike_enforce_config *cfg, struct task_struct *task)
{
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;
    if (tgid == cfg->self_tgid || tgid == 1 || tgid == 0)
        return 1;
    return (BPF_CORE_READ(task, flags) & SHRIKE_PF_KTHREAD) != 0;
}

/// True when the path in scratch is absolute, shorter than the key, and has no `//`, `.` or `..` component and no
/// trailing slash: then it is byte for byte the fd.name user space resolves. Anything else is left undecided.
__attribute__((noinline)) int shrike_path_decidable(struct enforce_scratch *s)
{
    if (!s)
        return 0;
    __u32 len = s->path_len;
    if (len == 0 || len >= SHRIKE_ENFORCE_PATH - 4 || s->path[0] != '/')
        return 0;
    for (__u32 i = 0; i < SHRIKE_ENFORCE_PATH - 4; i++) {
        if (i >= len)
            break;
        if (s->path[i] != '/')
            continue;
        char a = s->path[(i + 1) & (SHRIKE_ENFORCE_PATH - 1)];
        char b = s->path[(i + 2) & (SHRIKE_ENFORCE_PATH - 1)];
        char c = s->path[(i + 3) & (SHRIKE_ENFORCE_PATH - 1)];
        if (a == 0 && i > 0)
            return 0;
        if (a == '/')
            return 0;
        if (a == '.' && (b == '/' || b == 0))
            return 0;
        if (a == '.' && b == '.' && (c == '/' || c == 0))
            return 0;
    }
    return 1;
}

/// Whether the first `length` bytes of the path in scratch are in path set `set`: one hash lookup on a key whose
/// bytes after `length` are zero.
__attribute__((noinline)) int shrike_probe(struct enforce_scratch *s, __u32 set, __u32 length)
{
    if (!s || length == 0 || length >= SHRIKE_ENFORCE_PATH - 4)
        return 0;
    __builtin_memset(&s->key, 0, sizeof(s->key));
    s->key.set = set;
    // One copy of a masked length: the verifier bounds it, where a byte loop would cost it hundreds of states.
    // (clang drops a plain mask after the range check above; the verifier needs it in the register it passes.)
    __u64 n = length;
    asm volatile("%0 &= 255" : "+r"(n));
    bpf_probe_read_kernel(s->key.path, n, s->path);
    return bpf_map_lookup_elem(&path_sets, &s->key) != 0;
}

/// The length of the path's directory (fd.directory): up to its last slash, and 1 for `/x` (the directory is `/`).
__attribute__((noinline)) int shrike_directory_length(struct enforce_scratch *s)
{
    if (!s)
        return 0;
    __u32 len = s->path_len;
    __u32 last = 1;
    for (__u32 i = 1; i < SHRIKE_ENFORCE_PATH - 4; i++) {
        if (i >= len)
            break;
        if (s->path[i] == '/')
            last = i;
    }
    return (int)last;
}

/// The state of a walk over the path's prefixes (bpf_loop's context).
struct prefix_walk {
    struct enforce_scratch *s;
    __u32 set;
    __u32 every;
    int found;
};

/// One prefix length (index + 1): pmatch compares whole components, so its prefixes end at the path's end or before
/// a slash; startswith tries every length. bpf_loop keeps the verifier from walking 252 iterations of this.
static long shrike_prefix_step(__u32 index, void *context)
{
    struct prefix_walk *walk = context;
    struct enforce_scratch *s = walk->s;
    if (!s)
        return 1;
    __u32 length = index + 1;
    if (length >= SHRIKE_ENFORCE_PATH - 4)
        return 1;
    if (!walk->every && length != s->path_len && s->path[length & (SHRIKE_ENFORCE_PATH - 1)] != '/')
        return 0;
    if (shrike_probe(s, walk->set, length)) {
        walk->found = 1;
        return 1;
    }
    return 0;
}

/// Whether the path in scratch is in path set `set` the way `op` compares.
__attribute__((noinline)) int shrike_path_match(struct enforce_scratch *s, __u32 set, __u32 op)
{
    if (!s)
        return 0;
    __u32 len = s->path_len;
    if (len == 0 || len >= SHRIKE_ENFORCE_PATH - 4)
        return 0;
    if (op == SHRIKE_OP_EXACT)
        return shrike_probe(s, set, len);
    if (op == SHRIKE_OP_DIRECTORY)
        return shrike_probe(s, set, (__u32)shrike_directory_length(s));
    struct prefix_walk walk = { .s = s, .set = set, .every = op == SHRIKE_OP_STARTSWITH, .found = 0 };
    bpf_loop(len, shrike_prefix_step, &walk, 0);
    return walk.found;
}

/// 1 when the leaf-most cgroup component that carries a 64-hex container id is a container's (not conmon's), 0
/// otherwise: the same reading CgroupContainerID applies to the cgroup's path in user space.
static __always_inline int container_component(struct enforce_scratch *s, long n)
{
    __u32 len = n > 0 ? (__u32)n - 1 : 0;
    if (len >= 128)
        return -1;
    if (len >= 6 && s->cgroup_name[(len - 6) & 127] == '.' && s->cgroup_name[(len - 5) & 127] == 's'
        && s->cgroup_name[(len - 4) & 127] == 'c' && s->cgroup_name[(len - 3) & 127] == 'o'
        && s->cgroup_name[(len - 2) & 127] == 'p' && s->cgroup_name[(len - 1) & 127] == 'e')
        len -= 6;
    if (len < 64)
        return -1;
    for (__u32 i = 0; i < 64; i++) {
        char c = s->cgroup_name[(len - 64 + i) & 127];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return -1;
    }
    __u32 prefix = len - 64;
    for (__u32 i = 0; i + 6 <= 64; i++) {
        if (i + 6 > prefix)
            break;
        if (s->cgroup_name[i & 127] == 'c' && s->cgroup_name[(i + 1) & 127] == 'o'
            && s->cgroup_name[(i + 2) & 127] == 'n' && s->cgroup_name[(i + 3) & 127] == 'm'
            && s->cgroup_name[(i + 4) & 127] == 'o' && s->cgroup_name[(i + 5) & 127] == 'n')
            return 0;
    }
    return 1;
}

__attribute__((noinline)) int shrike_in_container(struct enforce_scratch *s)
{
    if (!s)
        return 0;
    struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
    struct kernfs_node *kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
    for (int depth = 0; depth < 12; depth++) {
        if (!kn)
            break;
        const char *name = BPF_CORE_READ(kn, name);
        long n = bpf_probe_read_kernel_str(s->cgroup_name, sizeof(s->cgroup_name), name);
        int verdict = container_component(s, n);
        if (verdict >= 0)
            return verdict;
        if (bpf_core_field_exists(kn->__parent)) {
            kn = BPF_CORE_READ(kn, __parent);
        } else {
            struct kernfs_node___old *old = (void *)kn;
            kn = BPF_CORE_READ(old, parent);
        }
    }
    return 0;
}

/// The atom in scratch: 1 true, 0 false, -1 undecided (a path atom on a path the kernel cannot compare exactly).
__attribute__((noinline)) int shrike_atom_holds(struct enforce_scratch *s)
{
    if (!s)
        return 0;
    __u32 is_exec = s->class == SHRIKE_CLASS_EXEC;
    switch (s->atom.field) {
    case SHRIKE_ATOM_PATH:
        if (!s->decidable)
            return -1;
        if (s->atom.op == SHRIKE_OP_PMATCH && s->atom.value == 1)
            return 1;
        if (s->atom.op == SHRIKE_OP_STARTSWITH && s->atom.value == 1)
            return 1;
        return shrike_path_match(s, s->atom.set, s->atom.op);
    case SHRIKE_ATOM_PROC_NAME:
        __builtin_memset(&s->name, 0, sizeof(s->name));
        s->name.set = s->atom.set;
        bpf_get_current_comm(s->name.name, sizeof(s->name.name));
        return bpf_map_lookup_elem(&name_sets, &s->name) != 0;
    case SHRIKE_ATOM_PROC_PNAME: {
        __builtin_memset(&s->name, 0, sizeof(s->name));
        s->name.set = s->atom.set;
        struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
        struct task_struct *parent = BPF_CORE_READ(task, real_parent);
        if (!parent)
            return 0;
        bpf_probe_read_kernel_str(s->name.name, sizeof(s->name.name), parent->comm);
        return bpf_map_lookup_elem(&name_sets, &s->name) != 0;
    }
    case SHRIKE_ATOM_CONTAINER:
        if (s->container < 0)
            s->container = shrike_in_container(s);
        return s->container == (__s32)s->atom.value;
    case SHRIKE_ATOM_UID: {
        __u64 uid = s->uid, value = s->atom.value;
        switch (s->atom.op) {
        case SHRIKE_OP_EQ: return uid == value;
        case SHRIKE_OP_LT: return uid < value;
        case SHRIKE_OP_LE: return uid <= value;
        case SHRIKE_OP_GT: return uid > value;
        case SHRIKE_OP_GE: return uid >= value;
        default: return 0;
        }
    }
    case SHRIKE_ATOM_OPEN_WRITE: {
        __u64 mode = s->flags & SHRIKE_O_ACCMODE;
        return !is_exec && (mode == 1 || mode == 2);
    }
    case SHRIKE_ATOM_OPEN_CREATE:
        return !is_exec && (s->flags & SHRIKE_O_CREAT) != 0;
    case SHRIKE_ATOM_FAILED:
        return !is_exec && s->ret < 0;
    default:
        return 0;
    }
}

/// The rule index + 1 when term `t` applies to the event in scratch and all its atoms hold; 0 otherwise. Global, so
/// the verifier checks its loop once rather than once per term.
__attribute__((noinline)) int shrike_term_holds(struct enforce_scratch *s, __u32 t)
{
    if (!s)
        return 0;
    __u32 key = t;
    struct shrike_term *term = bpf_map_lookup_elem(&terms, &key);
    if (!term || !(term->classes & s->class))
        return 0;
    for (__u32 a = 0; a < SHRIKE_TERM_ATOMS; a++) {
        if (a >= term->count)
            break;
        s->atom = term->atoms[a];
        int value = shrike_atom_holds(s);
        // Undecided fails the term either way round: the kernel acts only on what it knows.
        if (value < 0 || (s->atom.negate ? value : !value))
            return 0;
    }
    return (int)term->rule + 1;
}

/// The index + 1 of the first rule one of whose terms holds for the event in scratch; 0 when none does.
static __always_inline __u32 matching_rule(struct shrike_enforce_config *cfg, struct enforce_scratch *s)
{
    s->container = -1;
    __u32 count = cfg->term_count;
    for (__u32 t = 0; t < SHRIKE_MAX_TERMS; t++) {
        if (t >= count)
            break;
        int rule = shrike_term_holds(s, t);
        if (rule > 0)
            return (__u32)rule;
    }
    return 0;
}

static __always_inline void fill_header(struct shrike_event_header *h, __u32 action, __u32 rule, __s64 syscall)
{
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    __u64 uid_gid = bpf_get_current_uid_gid();
    __builtin_memset(h, 0, sizeof(*h));
    h->time_ns = bpf_ktime_get_boot_ns();
    h->cgroup_id = bpf_get_current_cgroup_id();
    h->kind = SHRIKE_KIND_RESPONSE;
    h->pid = pid_tgid >> 32;
    h->tid = (__u32)pid_tgid;
    h->uid = (__u32)uid_gid;
    h->gid = uid_gid >> 32;
    h->loginuid = (__u32)-1;
    h->args[0] = action;
    h->args[1] = rule;
    h->args[2] = (__u64)syscall;
}

static __always_inline __u64 wakeup_flags(struct shrike_enforce_config *cfg)
{
    // Responses are rare and someone may be waiting to read about them: wake the reader at once.
    return BPF_RB_FORCE_WAKEUP;
}

/// Kills the current process (unless dry-run) and reports it.
static __always_inline void respond_kill(struct shrike_enforce_config *cfg, struct enforce_scratch *s, __u32 rule,
                                         __s64 syscall)
{
    __u32 action = cfg->dry_run ? SHRIKE_ACTION_WOULD_KILL : SHRIKE_ACTION_KILLED;
    if (!cfg->dry_run)
        bpf_send_signal(SHRIKE_SIGKILL);
    struct shrike_response_record *rec = bpf_ringbuf_reserve(&events, sizeof(*rec), 0);
    if (!rec)
        return;
    fill_header(&rec->h, action, rule, syscall);
    struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
    rec->h.ppid = BPF_CORE_READ(task, real_parent, tgid);
    bpf_get_current_comm(rec->h.comm, sizeof(rec->h.comm));
    __builtin_memcpy(rec->payload, s->path, SHRIKE_ENFORCE_PATH);
    __u32 len = s->path_len + 1;
    rec->h.string_len[0] = (__u16)(len > SHRIKE_ENFORCE_PATH ? SHRIKE_ENFORCE_PATH : len);
    bpf_ringbuf_submit(rec, wakeup_flags(cfg));
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(shrike_enforce_exec, struct task_struct *p, int old_pid, struct linux_binprm *bprm)
{
    struct shrike_enforce_config *cfg = config();
    if (!cfg || !(cfg->classes & SHRIKE_CLASS_EXEC))
        return 0;
    struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
    if (exempt(cfg, task))
        return 0;
    struct enforce_scratch *s = get_scratch();
    if (!s)
        return 0;
    __builtin_memset(s->path, 0, sizeof(s->path));
    long n = bpf_probe_read_kernel_str(s->path, sizeof(s->path), BPF_CORE_READ(bprm, filename));
    s->path_len = n > 0 ? (__u32)n - 1 : 0;
    s->decidable = shrike_path_decidable(s);
    s->class = SHRIKE_CLASS_EXEC;
    s->uid = (__u32)bpf_get_current_uid_gid();
    s->flags = 0;
    s->ret = 0;
    __u32 rule = matching_rule(cfg, s);
    if (rule)
        respond_kill(cfg, s, rule - 1, -1);
    return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(shrike_enforce_sys_exit, struct pt_regs *regs, long ret)
{
    struct shrike_enforce_config *cfg = config();
    if (!cfg)
        return 0;
    long id = regs->orig_ax;
    __u32 class = 0;
    // The syscall's arguments are still in the saved user registers: open-family calls do not change them.
    const char *path = 0;
    __u64 flags = 0;
    if (id == cfg->nr_openat) {
        class = SHRIKE_CLASS_OPENAT;
        path = (const char *)regs->si;
        flags = regs->dx;
    } else if (id == cfg->nr_open) {
        class = SHRIKE_CLASS_OPEN;
        path = (const char *)regs->di;
        flags = regs->si;
    } else if (id == cfg->nr_openat2) {
        class = SHRIKE_CLASS_OPENAT2;
        path = (const char *)regs->si;
        // struct open_how starts with the u64 flags.
        if (bpf_probe_read_user(&flags, sizeof(flags), (const void *)regs->dx) != 0)
            flags = 0;
    } else if (id == cfg->nr_creat) {
        class = SHRIKE_CLASS_CREAT;
        path = (const char *)regs->di;
        flags = 01 | SHRIKE_O_CREAT | 01000;  // O_WRONLY|O_CREAT|O_TRUNC
    } else {
        return 0;
    }
    if (!(cfg->classes & class))
        return 0;
    struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
    if (exempt(cfg, task))
        return 0;
    struct enforce_scratch *s = get_scratch();
    if (!s)
        return 0;
    __builtin_memset(s->path, 0, sizeof(s->path));
    long n = bpf_probe_read_user_str(s->path, sizeof(s->path), path);
    s->path_len = n > 0 ? (__u32)n - 1 : 0;
    s->decidable = shrike_path_decidable(s);
    s->class = class;
    s->uid = (__u32)bpf_get_current_uid_gid();
    s->flags = flags;
    s->ret = ret;
    __u32 rule = matching_rule(cfg, s);
    if (rule)
        respond_kill(cfg, s, rule - 1, id);
    return 0;
}

/// The policy of the current task's cgroup or its nearest ancestor that has one; -1 when none.
static __always_inline int current_policy(void)
{
    __u64 id = bpf_get_current_cgroup_id();
    __u32 *policy = bpf_map_lookup_elem(&deny_cgroups, &id);
    if (policy)
        return (int)*policy;
    for (int level = 15; level >= 1; level--) {
        __u64 ancestor = bpf_get_current_ancestor_cgroup_id(level);
        if (ancestor == 0 || ancestor == id)
            continue;
        policy = bpf_map_lookup_elem(&deny_cgroups, &ancestor);
        if (policy)
            return (int)*policy;
    }
    return -1;
}

static __always_inline int allowed(struct shrike_connect_policy *policy, __u32 family, const __u8 *addr, __u32 port)
{
    for (__u32 i = 0; i < SHRIKE_MAX_ALLOW; i++) {
        if (i >= policy->count)
            break;
        struct shrike_allow_entry *entry = &policy->allow[i];
        if (entry->family != family)
            continue;
        if (entry->port != 0 && entry->port != port)
            continue;
        __u32 bits = entry->prefix_len;
        int same = 1;
        for (__u32 b = 0; b < 16; b++) {
            if (b * 8 >= bits)
                break;
            __u8 mask = bits >= b * 8 + 8 ? 0xff : (__u8)(0xff << (8 - (bits - b * 8)));
            if ((addr[b] & mask) != (entry->addr[b] & mask)) {
                same = 0;
                break;
            }
        }
        if (same)
            return 1;
    }
    return 0;
}

/// 1 lets the connect proceed, 0 makes it fail with EPERM.
static __always_inline int connect_verdict(struct bpf_sock_addr *ctx, __u32 family)
{
    struct shrike_enforce_config *cfg = config();
    if (!cfg)
        return 1;
    __u32 tgid = bpf_get_current_pid_tgid() >> 32;
    if (tgid == cfg->self_tgid || tgid == 1 || tgid == 0)
        return 1;
    int index = current_policy();
    if (index < 0)
        return 1;
    __u32 key = (__u32)index;
    struct shrike_connect_policy *policy = bpf_map_lookup_elem(&policies, &key);
    if (!policy)
        return 1;
    __u8 addr[16] = {};
    if (family == 2) {
        __u32 ip4 = ctx->user_ip4;
        __builtin_memcpy(addr, &ip4, 4);
    } else {
        for (int i = 0; i < 4; i++) {
            __u32 word = ctx->user_ip6[i];
            __builtin_memcpy(&addr[i * 4], &word, 4);
        }
    }
    __u32 port = bpf_ntohs((__u16)ctx->user_port);
    if (allowed(policy, family, addr, port))
        return 1;
    __u32 action = cfg->dry_run ? SHRIKE_ACTION_WOULD_DENY : SHRIKE_ACTION_DENIED;
    struct shrike_response_record *rec = bpf_ringbuf_reserve(&events, sizeof(*rec), 0);
    if (rec) {
        fill_header(&rec->h, action, policy->rule, 0);
        rec->h.args[3] = family;
        // A struct sockaddr_in / sockaddr_in6 as connect's own would look, so user space decodes it the same way.
        __builtin_memset(rec->payload, 0, 32);
        __u16 fam = (__u16)family;
        __u16 nport = (__u16)ctx->user_port;
        __builtin_memcpy(&rec->payload[0], &fam, 2);
        __builtin_memcpy(&rec->payload[2], &nport, 2);
        if (family == 2) {
            __builtin_memcpy(&rec->payload[4], addr, 4);
            rec->h.string_len[0] = 16;
        } else {
            __builtin_memcpy(&rec->payload[8], addr, 16);
            rec->h.string_len[0] = 28;
        }
        bpf_ringbuf_submit(rec, wakeup_flags(cfg));
    }
    return cfg->dry_run ? 1 : 0;
}

SEC("cgroup/connect4")
int shrike_enforce_connect4(struct bpf_sock_addr *ctx)
{
    return connect_verdict(ctx, 2);
}

SEC("cgroup/connect6")
int shrike_enforce_connect6(struct bpf_sock_addr *ctx)
{
    return connect_verdict(ctx, 10);
}
