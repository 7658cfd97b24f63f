// Process-control and file-system calls that Swift's Glibc module does not export (they
// need _GNU_SOURCE or are plain syscalls), wrapped as small C functions.
#ifndef COURSE_PROCESS_SUPPORT_H
#define COURSE_PROCESS_SUPPORT_H

#include <spawn.h>
#include <sys/types.h>

/// posix_spawn_file_actions_addchdir_np: the child starts in `path`.
int cps_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// posix_spawn_file_actions_addclosefrom_np: every descriptor from `lowest` up is closed in
/// the child (glibc 2.34+), whether or not it was opened close-on-exec.
int cps_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);

/// The POSIX_SPAWN_SETSID flag (the child starts a new session).
short cps_spawn_setsid_flag(void);

/// pidfd_open(2): a file descriptor that becomes readable when `pid` exits; -1 on error.
int cps_pidfd_open(pid_t pid);

/// prctl(PR_SET_CHILD_SUBREAPER, 1): orphaned descendants are re-parented to this process.
int cps_set_child_subreaper(void);

/// pipe2(fds, O_CLOEXEC).
int cps_pipe_cloexec(int fds[2]);

/// accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK): the accepted socket is
/// close-on-exec from its first moment, so no program spawned meanwhile inherits it.
int cps_accept_cloexec_nonblock(int fd);

/// Decoding a waitpid status.
int cps_wifexited(int status);
int cps_wexitstatus(int status);
int cps_wifsignaled(int status);
int cps_wtermsig(int status);

/// Installs a handler for `signal` that writes the signal's number, as one byte, to `fd`
/// (the write end of a pipe): the self-pipe trick, so a thread can poll for signals and
/// act on them in ordinary code. Returns 0, or -1 with errno.
int cps_signal_to_pipe(int signal, int fd);

/// renameat2(2) with RENAME_EXCHANGE: swaps two existing names atomically (files or folders).
/// -1 with errno EINVAL or ENOSYS where the file system or kernel cannot.
int cps_rename_exchange(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);

#endif
