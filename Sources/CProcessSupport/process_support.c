#define _GNU_SOURCE
#include "CProcessSupport.h"
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

int cps_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int cps_accept_cloexec_nonblock(int fd) { return accept4(fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK); }

int cps_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np(actions, path);
}

int cps_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

short cps_spawn_setsid_flag(void) { return POSIX_SPAWN_SETSID; }

int cps_pidfd_open(pid_t pid) {
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    return -1;
#endif
}

int cps_rename_exchange(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath, 2 /* RENAME_EXCHANGE */);
#else
    errno = ENOSYS;
    return -1;
#endif
}

int cps_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }

int cps_wifexited(int status) { return WIFEXITED(status); }
int cps_wexitstatus(int status) { return WEXITSTATUS(status); }
int cps_wifsignaled(int status) { return WIFSIGNALED(status); }
int cps_wtermsig(int status) { return WTERMSIG(status); }

static volatile int signal_pipe_fd = -1;

static void write_signal_to_pipe(int signal) {
    int saved = errno;
    unsigned char byte = (unsigned char)signal;
    if (signal_pipe_fd >= 0) { (void)!write(signal_pipe_fd, &byte, 1); }
    errno = saved;
}

int cps_signal_to_pipe(int signal, int fd) {
    signal_pipe_fd = fd;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = write_signal_to_pipe;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return sigaction(signal, &action, NULL);
}
