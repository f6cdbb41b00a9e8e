// Opening a file inside another root directory (a container's, seen through /proc/PID/root) without leaving it.
// Swift cannot call the variadic syscall(2), and glibc 2.36 has no openat2 wrapper.
#ifndef SHRIKE_ROOT_OPEN_H
#define SHRIKE_ROOT_OPEN_H

#ifndef __BPF__
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/openat2.h>

/// Opens `path` for reading relative to the directory `root_fd`, resolving every `..` and symlink (absolute ones
/// too) as if `root_fd` were `/`, and refusing /proc magic links: a container's `/etc/passwd -> /host/...` symlink
/// cannot reach the host's files. Non-blocking, so a FIFO planted at the path cannot stall the caller.
/// Returns the fd, or -1 with errno set (ENOSYS before Linux 5.6).
static inline int shrike_open_in_root(int root_fd, const char *path)
{
    struct open_how how = {0};
    how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, root_fd, path, &how, sizeof(how));
}
#endif

#endif
