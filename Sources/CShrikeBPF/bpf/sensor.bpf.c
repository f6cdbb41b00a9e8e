// Shrike's kernel sensor: process lifecycle from the scheduler tracepoints and the syscalls user space asked for
// from sys_enter/sys_exit. CO-RE: the few kernel structs read here are declared with preserve_access_index, so the
// object relocates against any kernel's BTF; no vmlinux.h is generated or committed.
//
// Strings and sockaddrs are read at sys_exit, not sys_enter: in freshly forked children the user pages are often not
// mapped yet at entry, and accept4's peer address only exists after the call.

#include <linux/types.h>
#include <linux/bpf.h>

struct pt_regs {
    unsigned long di, si, dx, r10, r8, r9, orig_ax;
} __attribute__((preserve_access_index));

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "../include/shrike_event.h"

typedef struct { int counter; } atomic_t_;
typedef struct { unsigned int val; } kuid_t_;

struct tty_driver {
    int major;
    int minor_start;
} __attribute__((preserve_access_index));

struct tty_struct {
    struct tty_driver *driver;
    int index;
} __attribute__((preserve_access_index));

struct upid {
    int nr;
    void *ns;
} __attribute__((preserve_access_index));

struct pid {
    unsigned int level;
    struct upid numbers[1];
} __attribute__((preserve_access_index));

struct signal_struct {
    atomic_t_ live;
    struct tty_struct *tty;
    struct pid *pids[4];
} __attribute__((preserve_access_index));

// enum pid_type: pids[] is indexed by it.
#define SHRIKE_PIDTYPE_PGID 2
#define SHRIKE_PIDTYPE_SID 3

struct mm_struct {
    unsigned long arg_start;
    unsigned long arg_end;
} __attribute__((preserve_access_index));

// kernel_cap_t is a u64 since 6.3 and two u32s before: eight bytes either way, read whole.
typedef struct { __u64 val; } kernel_cap_t_;
struct cred {
    kernel_cap_t_ cap_inheritable;
    kernel_cap_t_ cap_permitted;
    kernel_cap_t_ cap_effective;
} __attribute__((preserve_access_index));

struct task_struct {
    int pid;
    int tgid;
    int exit_code;
    struct task_struct *real_parent;
    struct signal_struct *signal;
    struct mm_struct *mm;
    kuid_t_ loginuid;
    const struct cred *cred;
    struct pid *thread_pid;
} __attribute__((preserve_access_index));

struct qstr {
    const unsigned char *name;
} __attribute__((preserve_access_index));

struct dentry {
    struct qstr d_name;
} __attribute__((preserve_access_index));

struct path {
    struct dentry *dentry;
} __attribute__((preserve_access_index));

// Inode times moved three times: i_ctime/i_mtime timespec64s (until 6.5), __i_ctime/__i_mtime (6.6–6.10; 6.6 has
// __i_ctime with i_mtime), separate seconds and nanoseconds fields (6.11 on). CO-RE flavours cover each layout.
struct timespec64_ {
    __s64 tv_sec;
    long tv_nsec;
};

struct inode {
    unsigned long i_ino;
    __s64 i_ctime_sec;
    __u32 i_ctime_nsec;
    __s64 i_mtime_sec;
    __u32 i_mtime_nsec;
} __attribute__((preserve_access_index));

struct inode___v66 {
    struct timespec64_ __i_ctime;
    struct timespec64_ __i_mtime;
    struct timespec64_ i_mtime;
} __attribute__((preserve_access_index));

struct inode___v50 {
    struct timespec64_ i_ctime;
    struct timespec64_ i_mtime;
} __attribute__((preserve_access_index));

struct file {
    struct path f_path;
    struct inode *f_inode;
} __attribute__((preserve_access_index));

/// The head of the user-space struct msghdr (sendmsg/recvmsg).
struct shrike_user_msghdr {
    void *msg_name;
    int msg_namelen;
    void *msg_iov;
    unsigned long msg_iovlen;
};

struct shrike_iovec {
    void *iov_base;
    unsigned long iov_len;
};

struct linux_binprm {
    struct file *file;
    const char *filename;
} __attribute__((preserve_access_index));

char LICENSE[] SEC("license") = "GPL";

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 16 * 1024 * 1024);
} events SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, SHRIKE_SYSCALL_SLOTS);
    __type(key, __u32);
    __type(value, struct shrike_syscall_spec);
} syscall_specs SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct shrike_config);
} config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, SHRIKE_MAX_READ_PREFIXES);
    __type(key, __u32);
    __type(value, struct shrike_path_prefix);
} read_prefixes SEC(".maps");

/// Opens the read filter kept out of the ring buffer (per CPU), so statistics can say how much the filter saved.
struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} filtered SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, SHRIKE_DROP_CATEGORIES);
    __type(key, __u32);
    __type(value, __u64);
} drops SEC(".maps");

struct record_buffer {
    __u8 data[SHRIKE_RECORD_MAX];
};

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, struct record_buffer);
} scratch SEC(".maps");

static __always_inline struct shrike_config *current_config(void)
{
    __u32 zero = 0;
    return bpf_map_lookup_elem(&config, &zero);
}

static __always_inline int is_self(struct shrike_config *cfg, __u32 tgid)
{
    return cfg && cfg->self_tgid == tgid;
}

static __always_inline void count_drop(__u32 category)
{
    __u64 *counter = bpf_map_lookup_elem(&drops, &category);
    if (counter)
        *counter += 1;
}

static __always_inline struct record_buffer *record_buffer(void)
{
    __u32 zero = 0;
    return bpf_map_lookup_elem(&scratch, &zero);
}

/// Fills the fields every record carries, from the current task.
static __always_inline void fill_header(struct shrike_event_header *h, __u32 kind)
{
    struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
    __u64 pid_tgid = bpf_get_current_pid_tgid();
    __u64 uid_gid = bpf_get_current_uid_gid();

    h->time_ns = bpf_ktime_get_boot_ns();
    h->cgroup_id = bpf_get_current_cgroup_id();
    h->ret = 0;
    h->kind = kind;
    h->syscall = 0;
    h->pid = pid_tgid >> 32;
    h->tid = (__u32)pid_tgid;
    h->ppid = BPF_CORE_READ(task, real_parent, tgid);
    h->uid = (__u32)uid_gid;
    h->gid = uid_gid >> 32;
    h->loginuid = bpf_core_field_exists(task->loginuid) ? BPF_CORE_READ(task, loginuid.val) : (__u32)-1;
    h->tty = 0;
    h->sid = 0;
    h->pgid = 0;
    h->string_len[0] = 0;
    h->string_len[1] = 0;
    h->string_len[2] = 0;
    h->pad = 0;
    for (int i = 0; i < 6; i++)
        h->args[i] = 0;
    bpf_get_current_comm(h->comm, sizeof(h->comm));
}

/// The session and process group of `task` as the root pid namespace numbers them (numbers[0]); read only where
/// they can change (exec, setsid, setpgid), since four loads per event would cost more than they are worth.
static __always_inline void fill_session(struct shrike_event_header *h, struct task_struct *task)
{
    struct pid *sid = BPF_CORE_READ(task, signal, pids[SHRIKE_PIDTYPE_SID]);
    struct pid *pgid = BPF_CORE_READ(task, signal, pids[SHRIKE_PIDTYPE_PGID]);
    if (sid)
        h->sid = (__u32)BPF_CORE_READ(sid, numbers[0].nr);
    if (pgid)
        h->pgid = (__u32)BPF_CORE_READ(pgid, numbers[0].nr);
}

/// The number `pid` has in the pid namespace at `level` (0 when it has none there). `numbers[]` is indexed by level;
/// its stride is the kernel's sizeof(struct upid), taken from BTF.
static __always_inline __u32 pid_nr_at(struct pid *pid, __u32 level)
{
    if (!pid || level > 31)
        return 0;
    __u32 own = BPF_CORE_READ(pid, level);
    if (level > own)
        return 0;
    int nr = 0;
    __u64 at = (__u64)pid + bpf_core_field_offset(struct pid, numbers) + (__u64)level * bpf_core_type_size(struct upid)
        + bpf_core_field_offset(struct upid, nr);
    bpf_probe_read_kernel(&nr, sizeof(nr), (const void *)at);
    return (__u32)nr;
}

/// The level of the pid namespace `task` lives in (0: the root one).
static __always_inline __u32 pid_level(struct task_struct *task)
{
    struct pid *own = BPF_CORE_READ(task, thread_pid);
    return own ? BPF_CORE_READ(own, level) : 0;
}

/// The effective, permitted and inheritable capability sets of `task`'s credentials.
static __always_inline void read_caps(struct task_struct *task, __u64 *effective, __u64 *permitted, __u64 *inheritable)
{
    *effective = 0;
    *permitted = 0;
    *inheritable = 0;
    const struct cred *cred = BPF_CORE_READ(task, cred);
    if (!cred)
        return;
    bpf_core_read(effective, sizeof(*effective), &cred->cap_effective);
    bpf_core_read(permitted, sizeof(*permitted), &cred->cap_permitted);
    bpf_core_read(inheritable, sizeof(*inheritable), &cred->cap_inheritable);
}

/// Epoch nanoseconds from a seconds/nanoseconds pair (0 for times before 1970, which mean "unset"). Since 6.13 the
/// top bit of i_ctime_nsec is a flag (I_CTIME_QUERIED, multigrain timestamps): nanoseconds need only 30 bits.
static __always_inline __u64 epoch_ns(__s64 sec, __u64 nsec)
{
    return sec > 0 ? (__u64)sec * 1000000000ULL + (nsec & 0x3fffffff) : 0;
}

/// The executable's inode number and change/modification times, for whichever inode layout this kernel has.
static __always_inline void read_exe_inode(struct linux_binprm *bprm, struct shrike_exec_info *info)
{
    struct inode *inode = BPF_CORE_READ(bprm, file, f_inode);
    if (!inode)
        return;
    info->exe_ino = BPF_CORE_READ(inode, i_ino);
    if (bpf_core_field_exists(inode->i_ctime_sec)) {
        info->exe_ctime_ns = epoch_ns(BPF_CORE_READ(inode, i_ctime_sec), BPF_CORE_READ(inode, i_ctime_nsec));
        info->exe_mtime_ns = epoch_ns(BPF_CORE_READ(inode, i_mtime_sec), BPF_CORE_READ(inode, i_mtime_nsec));
        return;
    }
    struct timespec64_ ctime = {}, mtime = {};
    struct inode___v66 *v66 = (void *)inode;
    struct inode___v50 *v50 = (void *)inode;
    if (bpf_core_field_exists(v66->__i_ctime)) {
        bpf_core_read(&ctime, sizeof(ctime), &v66->__i_ctime);
        if (bpf_core_field_exists(v66->__i_mtime))
            bpf_core_read(&mtime, sizeof(mtime), &v66->__i_mtime);
        else if (bpf_core_field_exists(v66->i_mtime))
            bpf_core_read(&mtime, sizeof(mtime), &v66->i_mtime);
    } else if (bpf_core_field_exists(v50->i_ctime)) {
        bpf_core_read(&ctime, sizeof(ctime), &v50->i_ctime);
        bpf_core_read(&mtime, sizeof(mtime), &v50->i_mtime);
    }
    info->exe_ctime_ns = epoch_ns(ctime.tv_sec, (__u64)ctime.tv_nsec);
    info->exe_mtime_ns = epoch_ns(mtime.tv_sec, (__u64)mtime.tv_nsec);
}

/// Ships a record, waking the reader only once `wakeup_bytes` are pending (batched wake-ups cost far less than one
/// wake-up per event); counts a drop when the ring is full.
static __always_inline void submit(struct shrike_config *cfg, struct record_buffer *buf, __u32 size, __u32 category)
{
    __u64 flags = 0;
    if (cfg && cfg->wakeup_bytes > 0) {
        // Wake only when this record crosses the threshold: above it the reader was already woken and is draining,
        // and waking it again per record would cost what batching saves. The reader's poll timeout bounds latency.
        __u64 pendingBytes = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
        flags = pendingBytes < cfg->wakeup_bytes && pendingBytes + size >= cfg->wakeup_bytes
            ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
    }
    size &= (SHRIKE_RECORD_MAX - 1);
    if (size < sizeof(struct shrike_event_header))
        return;
    if (bpf_ringbuf_output(&events, buf->data, size, flags) != 0)
        count_drop(category);
}

/// The start of a scheduler-tracepoint record: nil for the sensor's own process or when no buffer is available.
static __always_inline struct shrike_event_header *begin_record(struct shrike_config *cfg, struct record_buffer **buf,
                                                                __u32 kind)
{
    if (is_self(cfg, bpf_get_current_pid_tgid() >> 32))
        return 0;
    *buf = record_buffer();
    if (!*buf)
        return 0;
    struct shrike_event_header *h = (struct shrike_event_header *)(*buf)->data;
    fill_header(h, kind);
    return h;
}

/// Appends a user-space C string at `offset`; returns the new end. Offsets stay inside the string area so the
/// verifier can bound every write.
static __always_inline __u32 append_user_string(struct record_buffer *buf, struct shrike_event_header *h, int slot,
                                                __u32 offset, const void *ptr)
{
    if (offset >= sizeof(struct shrike_event_header) + SHRIKE_STRING_AREA || ptr == 0)
        return offset;
    __u32 at = offset & (SHRIKE_STRING_AREA * 2 - 1);
    if (at > SHRIKE_STRING_AREA + sizeof(struct shrike_event_header))
        return offset;
    long n = bpf_probe_read_user_str(&buf->data[at], SHRIKE_MAX_STRING, ptr);
    if (n <= 0)
        return offset;
    h->string_len[slot & 3] = (__u16)n;
    return offset + (__u32)n;
}

/// Appends raw user-space bytes, at most `limit` (a power of two, at most SHRIKE_BUFFER_MAX): a sockaddr (128) or
/// the first bytes of a data buffer (SHRIKE_BUFFER_MAX, for `evt.buffer`).
static __always_inline __u32 append_user_bytes(struct record_buffer *buf, struct shrike_event_header *h, int slot,
                                               __u32 offset, const void *ptr, __u64 length, __u32 limit)
{
    if (offset >= sizeof(struct shrike_event_header) + SHRIKE_STRING_AREA || ptr == 0 || length == 0)
        return offset;
    __u32 at = offset & (SHRIKE_STRING_AREA * 2 - 1);
    if (at > SHRIKE_STRING_AREA + sizeof(struct shrike_event_header))
        return offset;
    __u32 n = length > limit ? limit : (__u32)length;
    n &= (SHRIKE_BUFFER_MAX * 2 - 1);
    if (n == 0 || n > SHRIKE_BUFFER_MAX)
        return offset;
    if (bpf_probe_read_user(&buf->data[at], n, ptr) != 0)
        return offset;
    h->string_len[slot & 3] = (__u16)n;
    return offset + n;
}

#define SHRIKE_O_WRITE_MASK (01 | 02 | 0100 | 01000 | 020000000)  // O_WRONLY O_RDWR O_CREAT O_TRUNC, O_TMPFILE's bit

/// True when a read-only open's path (string slot 0, `length` bytes with its NUL, already in the record) is one user
/// space wants: relative paths and paths with `/..` always (the kernel cannot resolve them cheaply), absolute ones when
/// they start with one of the first `count` prefixes. A global function, so the verifier checks its loops once instead
/// of once per path through sys_exit (inlined, they exceeded its budget).
__attribute__((noinline)) int shrike_wanted_read(struct record_buffer *buf, __u32 length, __u32 count)
{
    const __u32 base = sizeof(struct shrike_event_header);
    if (!buf || length < 2)
        return 1;
    if (buf->data[base] != '/')
        return 1;
    for (__u32 i = 0; i < 254; i++) {
        if (i + 3 > length)
            break;
        if (buf->data[base + i] == '/' && buf->data[base + i + 1] == '.' && buf->data[base + i + 2] == '.')
            return 1;
    }
    for (__u32 p = 0; p < SHRIKE_MAX_READ_PREFIXES; p++) {
        if (p >= count)
            break;
        __u32 key = p;
        struct shrike_path_prefix *prefix = bpf_map_lookup_elem(&read_prefixes, &key);
        if (!prefix)
            break;
        __u32 plen = prefix->length;
        if (plen == 0 || plen > 63 || plen + 1 > length)
            continue;
        int same = 1;
        for (__u32 j = 0; j < 63; j++) {
            if (j >= plen)
                break;
            if (buf->data[base + j] != prefix->bytes[j]) {
                same = 0;
                break;
            }
        }
        if (same)
            return 1;
    }
    return 0;
}

/// True when an open must not be shipped: the read filter is on, the open has no write-like flag, and its path is
/// not wanted.
static __always_inline int filtered_open(struct shrike_syscall_spec *spec, const __u64 *args,
                                         struct record_buffer *buf, struct shrike_event_header *h)
{
    __u8 source = spec->open_flags;
    if (source == SHRIKE_OPEN_NONE)
        return 0;
    struct shrike_config *cfg = current_config();
    if (!cfg || !cfg->read_filter)
        return 0;
    __u64 flags = 0;
    if (source & SHRIKE_OPEN_FLAGS_HOW) {
        // openat2: struct open_how follows the path in slot 1; its first field is the u64 flags.
        __u32 at = sizeof(struct shrike_event_header) + h->string_len[0];
        if (h->string_len[1] < 8)
            return 0;
        at &= (SHRIKE_STRING_AREA * 2 - 1);
        if (at > SHRIKE_STRING_AREA + sizeof(struct shrike_event_header))
            return 0;
        __builtin_memcpy(&flags, &buf->data[at], 8);
    } else {
        __u32 index = source & 7;
        if (index > 5)
            return 0;
        flags = args[index];
    }
    if (flags & SHRIKE_O_WRITE_MASK)
        return 0;
    return !shrike_wanted_read(buf, h->string_len[0], cfg->read_prefix_count);
}

/// Only sys_exit is traced: on x86_64 a syscall's arguments are
/// still in the user registers when it returns (the result goes to ax; di, si, dx, r10, r8 and r9 are not written
/// by the calls traced here), so no sys_enter program and no per-thread hash of saved arguments is needed. That is
/// one BPF run per syscall of the machine instead of two, and no hash update, lookup and delete per wanted call.
static __always_inline int handle_sys_exit(struct pt_regs *regs, long ret);

SEC("tp_btf/sys_exit")
int BPF_PROG(shrike_sys_exit, struct pt_regs *regs, long ret)
{
    return handle_sys_exit(regs, ret);
}

/// The format of the `syscalls:sys_exit_*` tracepoints (common header, syscall number, return value).
struct shrike_syscall_exit_tp {
    __u64 common;
    __s32 nr;
    __u32 pad;
    __s64 ret;
};

/// The same work attached to the per-syscall `syscalls:sys_exit_NAME` tracepoints of just the syscalls user space
/// wants (when tracefs is there). Then a syscall nobody asked for runs no BPF program at all: the kernel's own test
/// of its enabled-syscall bitmap turns it away, which is cheaper than entering even an empty program on
/// `raw_syscalls:sys_exit` for every syscall of the machine. The arguments come from the task's user registers.
SEC("tracepoint/syscalls/sys_exit_shrike")
int shrike_sys_exit_tp(struct shrike_syscall_exit_tp *ctx)
{
    struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
    if (!regs)
        return 0;
    return handle_sys_exit(regs, ctx->ret);
}

/// The syscalls user space asked for, at their exit (see the two programs above).
static __always_inline int handle_sys_exit(struct pt_regs *regs, long ret)
{
    // Most syscalls are not wanted: decide that from the syscall number (an array lookup) before anything else.
    long id = regs->orig_ax;
    if (id < 0 || id >= SHRIKE_SYSCALL_SLOTS)
        return 0;
    __u32 nr = (__u32)id;
    struct shrike_syscall_spec *spec = bpf_map_lookup_elem(&syscall_specs, &nr);
    if (!spec || !(spec->flags & SHRIKE_SC_REPORT))
        return 0;
    if ((spec->flags & SHRIKE_SC_FAILURES_ONLY) && ret >= 0)
        return 0;
    // tp_btf hands over a BTF-typed pointer: direct loads are allowed and far cheaper than probe reads.
    __u64 args[6] = { regs->di, regs->si, regs->dx, regs->r10, regs->r8, regs->r9 };
    // fcntl is frequent; only its descriptor copies matter (the process table follows them, as it follows dup).
    if ((spec->flags & SHRIKE_SC_FCNTL_DUP) && args[1] != 0 && args[1] != 1030)
        return 0;
    // A send that names no destination (a connected socket's) is not wanted.
    if ((spec->flags & SHRIKE_SC_ADDRESSED_ONLY) && spec->string_source[0] == SHRIKE_STR_SOCKADDR) {
        __u32 index = spec->string_arg[0] & 7;
        if (index < 6 && args[index] == 0)
            return 0;
    }
    struct shrike_config *cfg = current_config();
    if (is_self(cfg, bpf_get_current_pid_tgid() >> 32))
        return 0;
    struct record_buffer *buf = record_buffer();
    if (!buf)
        return 0;
    // A read-only open whose path the read filter rejects is dropped before the record is built.
    __u8 open_source = spec->open_flags;
    if (cfg && cfg->read_filter && (open_source & SHRIKE_OPEN_FLAGS_ARG)) {
        __u64 flags = (open_source & 7) == 1 ? args[1] : args[2];
        const void *path = (const void *)((open_source & 7) == 1 ? args[0] : args[1]);
        if (!(flags & SHRIKE_O_WRITE_MASK)) {
            long n = bpf_probe_read_user_str(&buf->data[sizeof(struct shrike_event_header)], SHRIKE_MAX_STRING, path);
            if (n > 0 && !shrike_wanted_read(buf, (__u32)n, cfg->read_prefix_count)) {
                __u32 zero = 0;
                __u64 *counter = bpf_map_lookup_elem(&filtered, &zero);
                if (counter)
                    *counter += 1;
                return 0;
            }
        }
    }
    struct shrike_event_header *h = (struct shrike_event_header *)buf->data;
    fill_header(h, SHRIKE_KIND_SYSCALL);
    h->syscall = nr;
    h->ret = ret;
    for (int i = 0; i < 6; i++)
        h->args[i] = args[i];
    if (spec->flags & (SHRIKE_SC_SESSION | SHRIKE_SC_CREDS)) {
        struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
        if (spec->flags & SHRIKE_SC_SESSION) {
            fill_session(h, task);
            h->args[4] = pid_nr_at(BPF_CORE_READ(task, signal, pids[SHRIKE_PIDTYPE_PGID]), pid_level(task));
        }
        if (spec->flags & SHRIKE_SC_CREDS)
            read_caps(task, &h->args[3], &h->args[4], &h->args[5]);
    }

    __u32 offset = sizeof(struct shrike_event_header);
    for (int slot = 0; slot < SHRIKE_MAX_STRINGS; slot++) {
        __u8 source = spec->string_source[slot];
        __u8 arg = spec->string_arg[slot];
        if (source == SHRIKE_STR_NONE)
            continue;
        __u32 index = arg & 7;
        if (index > 4)
            continue;
        __u64 ptr = args[index];
        __u64 next = args[index + 1];
        if (source == SHRIKE_STR_USER_PATH) {
            offset = append_user_string(buf, h, slot, offset, (const void *)ptr);
        } else if (source == SHRIKE_STR_SOCKADDR) {
            offset = append_user_bytes(buf, h, slot, offset, (const void *)ptr, next, 128);
        } else if (source == SHRIKE_STR_SOCKADDR_PTR && ret >= 0 && next != 0) {
            int length = 0;
            if (bpf_probe_read_user(&length, sizeof(length), (const void *)next) == 0 && length > 0)
                offset = append_user_bytes(buf, h, slot, offset, (const void *)ptr, (__u64)length, 128);
        } else if (source == SHRIKE_STR_BUFFER && ret > 0) {
            // The bytes sent or received: the return value says how many are real.
            offset = append_user_bytes(buf, h, slot, offset, (const void *)ptr, (__u64)ret, SHRIKE_BUFFER_MAX);
        } else if ((source == SHRIKE_STR_MSGHDR_NAME || source == SHRIKE_STR_MSGHDR_BUFFER) && ptr != 0) {
            // recvmsg's kernel has written msg_namelen back by now; sendmsg's is the caller's.
            struct shrike_user_msghdr msg = {};
            if (bpf_probe_read_user(&msg, sizeof(msg), (const void *)ptr) != 0)
                continue;
            if (source == SHRIKE_STR_MSGHDR_NAME) {
                if (msg.msg_name && msg.msg_namelen > 0)
                    offset = append_user_bytes(buf, h, slot, offset, msg.msg_name, (__u64)msg.msg_namelen, 128);
            } else if (ret > 0 && msg.msg_iov && msg.msg_iovlen > 0) {
                struct shrike_iovec iov = {};
                if (bpf_probe_read_user(&iov, sizeof(iov), msg.msg_iov) == 0) {
                    __u64 length = iov.iov_len < (__u64)ret ? iov.iov_len : (__u64)ret;
                    offset = append_user_bytes(buf, h, slot, offset, iov.iov_base, length, SHRIKE_BUFFER_MAX);
                }
            }
        }
    }
    if ((spec->flags & SHRIKE_SC_ADDRESSED_ONLY) && h->string_len[0] == 0)
        return 0;
    if (filtered_open(spec, args, buf, h)) {
        __u32 zero = 0;
        __u64 *counter = bpf_map_lookup_elem(&filtered, &zero);
        if (counter)
            *counter += 1;
        return 0;
    }
    __u32 category = SHRIKE_DROP_OTHER;
    if (spec->flags & SHRIKE_SC_FILE)
        category = SHRIKE_DROP_FILE;
    else if (spec->flags & SHRIKE_SC_NETWORK)
        category = SHRIKE_DROP_NETWORK;
    submit(current_config(), buf, offset, category);
    return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(shrike_exec, struct task_struct *p, int old_pid, struct linux_binprm *bprm)
{
    struct shrike_config *cfg = current_config();
    struct record_buffer *buf;
    struct shrike_event_header *h = begin_record(cfg, &buf, SHRIKE_KIND_EXEC);
    if (!h)
        return 0;
    h->args[0] = (__u64)old_pid;
    fill_session(h, p);

    struct shrike_exec_info *info = (struct shrike_exec_info *)&buf->data[sizeof(struct shrike_event_header)];
    __builtin_memset(info, 0, sizeof(*info));
    read_caps(p, &info->cap_effective, &info->cap_permitted, &info->cap_inheritable);
    read_exe_inode(bprm, info);
    __u32 level = pid_level(p);
    info->vpid = pid_nr_at(BPF_CORE_READ(p, thread_pid), level);
    info->vpgid = pid_nr_at(BPF_CORE_READ(p, signal, pids[SHRIKE_PIDTYPE_PGID]), level);

    struct tty_struct *tty = BPF_CORE_READ(p, signal, tty);
    if (tty) {
        int index = BPF_CORE_READ(tty, index);
        int major = BPF_CORE_READ(tty, driver, major);
        int minor = BPF_CORE_READ(tty, driver, minor_start) + index;
        h->tty = (__u32)((minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12));
    }

    __u32 offset = sizeof(struct shrike_event_header) + sizeof(struct shrike_exec_info);
    const char *filename = BPF_CORE_READ(bprm, filename);
    long n = bpf_probe_read_kernel_str(&buf->data[sizeof(struct shrike_event_header) + sizeof(struct shrike_exec_info)],
                                       SHRIKE_MAX_STRING, filename);
    if (n > 0) {
        h->string_len[0] = (__u16)n;
        offset += (__u32)n;
    }

    unsigned long arg_start = BPF_CORE_READ(p, mm, arg_start);
    unsigned long arg_end = BPF_CORE_READ(p, mm, arg_end);
    if (arg_end > arg_start) {
        __u64 length = arg_end - arg_start;
        if (length > SHRIKE_MAX_STRING)
            length = SHRIKE_MAX_STRING;
        __u32 at = offset & (SHRIKE_STRING_AREA * 2 - 1);
        if (at <= SHRIKE_STRING_AREA + sizeof(struct shrike_event_header)) {
            __u32 size = (__u32)length & (SHRIKE_MAX_STRING * 2 - 1);
            if (size > SHRIKE_MAX_STRING)
                size = SHRIKE_MAX_STRING;
            if (size > 0 && bpf_probe_read_user(&buf->data[at], size, (const void *)arg_start) == 0) {
                h->string_len[1] = (__u16)size;
                offset += size;
            }
        }
    }

    // The executed file's own name: `memfd:NAME` for fileless execution, whatever path or fd the caller used.
    const unsigned char *name = BPF_CORE_READ(bprm, file, f_path.dentry, d_name.name);
    __u32 at = offset & (SHRIKE_STRING_AREA * 2 - 1);
    if (name && at <= SHRIKE_STRING_AREA + sizeof(struct shrike_event_header)) {
        long copied = bpf_probe_read_kernel_str(&buf->data[at], 256, name);
        if (copied > 0) {
            h->string_len[2] = (__u16)copied;
            offset += (__u32)copied;
        }
    }
    submit(cfg, buf, offset, SHRIKE_DROP_PROCESS);
    return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(shrike_fork, struct task_struct *parent, struct task_struct *child)
{
    struct shrike_config *cfg = current_config();
    struct record_buffer *buf;
    struct shrike_event_header *h = begin_record(cfg, &buf, SHRIKE_KIND_FORK);
    if (!h)
        return 0;
    int child_pid = BPF_CORE_READ(child, pid);
    int child_tgid = BPF_CORE_READ(child, tgid);
    h->args[0] = (__u64)child_pid;
    h->args[1] = (__u64)child_tgid;
    h->args[2] = child_pid != child_tgid ? 1 : 0;
    h->args[3] = pid_nr_at(BPF_CORE_READ(child, thread_pid), pid_level(child));
    submit(cfg, buf, sizeof(struct shrike_event_header), SHRIKE_DROP_PROCESS);
    return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(shrike_exit, struct task_struct *p)
{
    // Only the last thread's exit ends the process; the live count has already been decremented here.
    if (BPF_CORE_READ(p, signal, live.counter) != 0)
        return 0;
    struct shrike_config *cfg = current_config();
    struct record_buffer *buf;
    struct shrike_event_header *h = begin_record(cfg, &buf, SHRIKE_KIND_EXIT);
    if (!h)
        return 0;
    h->args[0] = (__u64)(unsigned int)BPF_CORE_READ(p, exit_code);
    submit(cfg, buf, sizeof(struct shrike_event_header), SHRIKE_DROP_PROCESS);
    return 0;
}

/// A DNS answer record as it sits in the ring: the common header and a fixed-size payload area (ring reservations
/// need a constant size; `string_len[0]` says how much of it is used).
struct shrike_dns_record {
    struct shrike_event_header h;
    __u8 payload[SHRIKE_DNS_MAX];
};

/// DNS answers for the incident timeline's host names: every UDP datagram from port 53 that a socket anywhere in the
/// cgroup2 hierarchy receives is copied (its first SHRIKE_DNS_MAX payload bytes) to the ring; user space parses it.
/// Runs for every received packet, so anything else leaves after two small loads. Always returns 1: it only
/// watches, it never drops traffic. Loaded and attached (to the cgroup2 root, through a bpf_link) only when user
/// space asks for host names.
SEC("cgroup_skb/ingress")
int shrike_dns_ingress(struct __sk_buff *skb)
{
    // The program sees the packet from its network header on. Ten bytes hold the version and protocol of both IPv4
    // (protocol at 9) and IPv6 (next header at 6), and every IP header is longer: one load decides most packets.
    __u8 ip[10];
    if (bpf_skb_load_bytes(skb, 0, ip, sizeof(ip)) != 0)
        return 1;
    __u32 version = ip[0] >> 4;
    __u32 udp = 0;
    if (version == 4) {
        // Not UDP, or a later fragment (the socket layer sees reassembled datagrams, but be sure).
        if (ip[9] != 17 || ((ip[6] & 0x1f) | ip[7]) != 0)
            return 1;
        udp = (__u32)(ip[0] & 0x0f) * 4;
        if (udp < 20)
            return 1;
    } else if (version == 6) {
        // Extension headers before UDP are rare for DNS answers and are not followed.
        if (ip[6] != 17)
            return 1;
        udp = 40;
    } else {
        return 1;
    }
    __u8 ports[2];
    if (bpf_skb_load_bytes(skb, udp, ports, sizeof(ports)) != 0 || ports[0] != 0 || ports[1] != 53)
        return 1;
    __u32 offset = udp + 8;
    if (skb->len <= offset)
        return 1;
    __u32 length = skb->len - offset;
    __u32 full = length;
    if (length < 12)  // shorter than a DNS header
        return 1;
    if (length > SHRIKE_DNS_MAX)
        length = SHRIKE_DNS_MAX;

    struct shrike_config *cfg = current_config();
    __u64 flags = 0;
    if (cfg && cfg->wakeup_bytes > 0) {
        __u64 pendingBytes = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
        flags = pendingBytes < cfg->wakeup_bytes && pendingBytes + sizeof(struct shrike_dns_record) >= cfg->wakeup_bytes
            ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
    }
    struct shrike_dns_record *record = bpf_ringbuf_reserve(&events, sizeof(struct shrike_dns_record), 0);
    if (!record) {
        count_drop(SHRIKE_DROP_NETWORK);
        return 1;
    }
    // Only responses (QR) without error that carry answer records can name an address: anything else (queries,
    // NXDOMAIN, a flood of junk from port 53) costs no ring space.
    if (bpf_skb_load_bytes(skb, offset, record->payload, length) != 0 || !(record->payload[2] & 0x80)
        || (record->payload[3] & 0x0f) != 0 || (record->payload[6] | record->payload[7]) == 0) {
        bpf_ringbuf_discard(record, BPF_RB_NO_WAKEUP);
        return 1;
    }
    struct shrike_event_header *h = &record->h;
    h->time_ns = bpf_ktime_get_boot_ns();
    h->cgroup_id = 0;
    h->ret = 0;
    h->kind = SHRIKE_KIND_DNS;
    h->syscall = 0;
    h->pid = 0;
    h->tid = 0;
    h->ppid = 0;
    h->uid = 0;
    h->gid = 0;
    h->loginuid = (__u32)-1;
    h->tty = 0;
    h->string_len[0] = (__u16)length;
    h->string_len[1] = 0;
    h->string_len[2] = 0;
    h->pad = 0;
    h->args[0] = version;
    h->args[1] = full;
    for (int i = 2; i < 6; i++)
        h->args[i] = 0;
    for (int i = 0; i < 16; i++)
        h->comm[i] = 0;
    bpf_ringbuf_submit(record, flags);
    return 1;
}
