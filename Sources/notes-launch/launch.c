// notes-launch: confines a process, then executes a snippet's program in it.
//
//   notes-launch [SETTING=VALUE ...] -- PROGRAM [ARGUMENT ...]
//   notes-launch kill-all=UID
//   notes-launch probe=kernel          prints what the kernel gives: `landlock=ABI netns=0|1`
//
// It is built with notes and installed beside it, so nothing a snippet writes can change it, and all
// of its work is done before the snippet's program exists in the process: a symbol, a constructor or an
// `.init_array` entry of the program cannot undo what execve keeps (session, closed descriptors,
// rlimits, user, no_new_privs, Landlock, seccomp). Settings come on the command line, never from the
// environment, which passes to the program unchanged. The names are SandboxSetting's (Swift side); a
// test (SandboxFeaturesTests) keeps the two lists, and the exit status below, equal.
// Any failure to confine exits with status 125 before the program runs.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)

#define LAUNCH_FAILED 125
#define MAX_PATHS 32

static void fail(const char *what, const char *detail) {
    fprintf(stderr, "notes-launch: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    _exit(LAUNCH_FAILED);
}

static void fail_errno(const char *what) { fail(what, strerror(errno)); }

struct settings {
    unsigned long long cpu, memory, file_bytes, processes, files, parent, uid;
    int has_cpu, has_memory, has_file_bytes, has_processes, has_files, has_parent, has_uid;
    const char *cgroups[MAX_PATHS];   // cgroup.procs files to join (root only)
    int cgroup_count;
    const char *reads[MAX_PATHS];     // folders the program may read and execute beneath
    int read_count;
    const char *append_only;          // a folder it may add files to, but not remove, rename or truncate them
};

static unsigned long long number(const char *text, const char *name) {
    char *end;
    errno = 0;
    unsigned long long value = strtoull(text, &end, 10);
    if (!*text || *end || errno) fail("not a number", name);
    return value;
}

static int parse(int argc, char **argv, struct settings *s) {
    int i = 1;
    for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) fail("a setting is NAME=VALUE", argv[i]);
        *eq = 0;
        const char *name = argv[i], *value = eq + 1;
        if (!strcmp(name, "cpu-seconds")) { s->cpu = number(value, name); s->has_cpu = 1; }
        else if (!strcmp(name, "memory-bytes")) { s->memory = number(value, name); s->has_memory = 1; }
        else if (!strcmp(name, "file-bytes")) { s->file_bytes = number(value, name); s->has_file_bytes = 1; }
        else if (!strcmp(name, "processes")) { s->processes = number(value, name); s->has_processes = 1; }
        else if (!strcmp(name, "open-files")) { s->files = number(value, name); s->has_files = 1; }
        else if (!strcmp(name, "parent")) { s->parent = number(value, name); s->has_parent = 1; }
        else if (!strcmp(name, "uid")) { s->uid = number(value, name); s->has_uid = 1; }
        else if (!strcmp(name, "cgroup")) {
            if (s->cgroup_count == MAX_PATHS) fail("too many cgroups", NULL);
            s->cgroups[s->cgroup_count++] = value;
        } else if (!strcmp(name, "read")) {
            if (s->read_count == MAX_PATHS) fail("too many readable folders", NULL);
            s->reads[s->read_count++] = value;
        } else if (!strcmp(name, "append-only")) {
            s->append_only = value;
        } else if (!strcmp(name, "probe")) {
            // What this kernel gives: the Landlock ABI version (0: none), and whether a network
            // namespace can be made (only root asks; the probe's own namespace goes with it).
            long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
            printf("landlock=%ld netns=%d\n", abi < 0 ? 0L : abi, unshare(CLONE_NEWNET) == 0);
            exit(0);
        } else if (!strcmp(name, "kill-all")) {
            s->uid = number(value, name);
            s->has_uid = 1;
            return -1;
        } else fail("unknown setting", name);
    }
    if (i >= argc - 1) fail("no program after --", NULL);
    return i + 1;
}

static void limit(int resource, unsigned long long value) {
    struct rlimit rl = { value, value };
    if (setrlimit(resource, &rl) != 0) fail_errno("cannot set a resource limit");
}

static void become(unsigned long long uid) {
    if (setgroups(0, NULL) != 0 || setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) != 0 ||
        setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) != 0)
        fail_errno("cannot switch user");
}

// One kill(-1) as the run's user reaches every process of that user, even those that left the
// session; forks racing with it fail, and a second round catches what the first missed.
static void kill_all(unsigned long long uid) {
    become(uid);
    for (int round = 0; round < 2; round++) kill(-1, SIGKILL);
    _exit(0);
}

static void join_cgroups(const struct settings *s) {
    for (int i = 0; i < s->cgroup_count; i++) {
        int fd = open(s->cgroups[i], O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write(fd, "0", 1) != 1) fail_errno("cannot join the run's cgroup");
        close(fd);
    }
}

// As root: a network namespace of the run's own, holding only a loopback interface, brought up so that
// programs can talk to themselves (Foundation's run loop does, over UDP). Nothing outside it, the host's
// loopback services included, can be reached, over TCP or UDP.
// Where the kernel refuses one (a container without CAP_SYS_ADMIN), the run shares the machine's
// network, as without root; notes says so once (`probe=netns`).
static void own_network(void) {
    if (unshare(CLONE_NEWNET) != 0) return;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq loopback = { 0 };
    strncpy(loopback.ifr_name, "lo", IFNAMSIZ - 1);
    if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &loopback) != 0) fail_errno("cannot find the loopback interface");
    loopback.ifr_flags |= IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &loopback) != 0) fail_errno("cannot bring the loopback interface up");
    close(fd);
}

static void close_descriptors(void) {
    if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
    struct rlimit rl;
    long top = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 1 << 20 ? (long)rl.rlim_cur : 1 << 16;
    for (long fd = 3; fd < top; fd++) close((int)fd);
}

// --- Landlock --------------------------------------------------------------------------------------

// The Landlock ABI up to version 6, spelled out: Debian 12's kernel headers stop at version 2.
#define LANDLOCK_RULE_PATH_BENEATH 1
#define LANDLOCK_ACCESS_FS_EXECUTE (1ULL << 0)
#define LANDLOCK_ACCESS_FS_WRITE_FILE (1ULL << 1)
#define LANDLOCK_ACCESS_FS_READ_FILE (1ULL << 2)
#define LANDLOCK_ACCESS_FS_READ_DIR (1ULL << 3)
#define LANDLOCK_ACCESS_FS_REMOVE_DIR (1ULL << 4)
#define LANDLOCK_ACCESS_FS_REMOVE_FILE (1ULL << 5)
#define LANDLOCK_ACCESS_FS_MAKE_CHAR (1ULL << 6)
#define LANDLOCK_ACCESS_FS_MAKE_DIR (1ULL << 7)
#define LANDLOCK_ACCESS_FS_MAKE_REG (1ULL << 8)
#define LANDLOCK_ACCESS_FS_MAKE_SOCK (1ULL << 9)
#define LANDLOCK_ACCESS_FS_MAKE_FIFO (1ULL << 10)
#define LANDLOCK_ACCESS_FS_MAKE_BLOCK (1ULL << 11)
#define LANDLOCK_ACCESS_FS_MAKE_SYM (1ULL << 12)
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)       /* ABI 2 */
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)    /* ABI 3 */
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)   /* ABI 5 */
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)    /* ABI 4 */
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) /* ABI 6 */
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)

struct ruleset_v6 { uint64_t handled_access_fs, handled_access_net, scoped; };
struct path_beneath { uint64_t allowed_access; int32_t parent_fd; } __attribute__((packed));

#define FS_READ (LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR)
#define FS_MAKE (LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR | \
                 LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK | \
                 LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM)

static void allow(int ruleset, const char *path, uint64_t access, uint64_t handled) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return;  // a folder this machine lacks
    struct path_beneath rule = { access & handled, fd };
    // A file (not a folder) takes only file rights.
    struct stat st;
    if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
        rule.allowed_access &= LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                               LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_TRUNCATE | LANDLOCK_ACCESS_FS_IOCTL_DEV;
    if (syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) != 0)
        fail_errno("cannot add a Landlock rule");
    close(fd);
}

// Reads, executes and writes only where allowed: writes beneath the working folder (the run's own) and
// to /dev/null-like devices; reads beneath the system's folders and those notes names (the toolchain's,
// the program's). Signals and abstract sockets reach only processes of the run, TCP nothing.
static void landlock(const struct settings *s) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1) return;  // no Landlock: notes has said which protections are missing
    uint64_t write = FS_MAKE | LANDLOCK_ACCESS_FS_WRITE_FILE;
    if (abi >= 2) write |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) write |= LANDLOCK_ACCESS_FS_TRUNCATE;
    if (abi >= 5) write |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
    struct ruleset_v6 attr = { write | FS_READ, 0, 0 };
    if (abi >= 4) attr.handled_access_net = LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP;
    if (abi >= 6) attr.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL;
    size_t size = abi >= 6 ? sizeof attr : abi >= 4 ? 2 * sizeof(uint64_t) : sizeof(uint64_t);
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (ruleset < 0) fail_errno("cannot create a Landlock ruleset");
    uint64_t handled = attr.handled_access_fs;
    static const char *system[] = { "/usr", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/etc", "/proc", "/sys" };
    for (size_t i = 0; i < sizeof system / sizeof *system; i++) allow(ruleset, system[i], FS_READ, handled);
    for (int i = 0; i < s->read_count; i++) allow(ruleset, s->reads[i], FS_READ, handled);
    allow(ruleset, ".", FS_READ | write, handled);
    // ThreadSanitizer's reports and the timeline: a program may forge lines there, but not hide what
    // the runtime wrote (on ABI 1 and 2, without the truncate right, it could still truncate a file).
    if (s->append_only)
        allow(ruleset, s->append_only, LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR |
                                       LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_MAKE_REG, handled);
    static const char *devices[] = { "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom" };
    for (size_t i = 0; i < sizeof devices / sizeof *devices; i++)
        allow(ruleset, devices[i], LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE, handled);
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) fail_errno("cannot apply Landlock");
    close(ruleset);
}

// --- seccomp ---------------------------------------------------------------------------------------

// Everything is allowed but what no lesson needs and an attacker wants: pushing keystrokes into a
// terminal, tracing, reading or tuning other processes, the kernel's keyring, mounts and namespaces,
// BPF and perf, io_uring (whose operations bypass this filter), sockets, IPC objects that outlive the
// run, the metadata of files by path, and loading kernels or modules.
static void deny(scmp_filter_ctx filter, int error, const char *name, unsigned count, const struct scmp_arg_cmp *args) {
    int call = seccomp_syscall_resolve_name(name);
    if (call == __NR_SCMP_ERROR) return;  // not on this architecture
    if (seccomp_rule_add_array(filter, SCMP_ACT_ERRNO(error), call, count, args) != 0) fail("cannot add a seccomp rule", name);
}

static void seccomp(void) {
    scmp_filter_ctx filter = seccomp_init(SCMP_ACT_ALLOW);
    if (!filter) fail("cannot create a seccomp filter", NULL);
    static const char *denied[] = {
        "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",
        "mount", "umount2", "pivot_root", "chroot", "unshare", "setns", "fsopen", "fsmount", "fspick",
        "open_tree", "move_mount", "mount_setattr",
        "bpf", "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",
        "keyctl", "add_key", "request_key",
        "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot",
        "swapon", "swapoff", "acct", "quotactl", "syslog", "vhangup", "settimeofday", "clock_settime", "adjtimex",
        // Objects that outlive the process: System V IPC and POSIX message queues.
        "shmget", "semget", "msgget", "mq_open", "mq_unlink",
        // Metadata of files by path, which Landlock does not cover: the modes, owners, times and
        // attributes of the user's files (fd-based calls need a descriptor, which Landlock governs).
        "chmod", "fchmodat", "fchmodat2", "chown", "lchown", "fchownat", "utime", "utimes", "futimesat",
        "utimensat", "setxattr", "lsetxattr", "removexattr", "lremovexattr",
    };
    for (size_t i = 0; i < sizeof denied / sizeof *denied; i++) deny(filter, EPERM, denied[i], 0, NULL);
    // Sockets of the Internet families only: Foundation's run loop wakes itself with a pair of UDP
    // sockets on 127.0.0.1 (CFSocket), and socketpair stays; no Unix socket by path (Landlock does not
    // govern connecting to one), netlink, packet or other families. One comparison per rule: below
    // AF_INET (2), between it and AF_INET6 (10), above AF_INET6.
    struct scmp_arg_cmp below = SCMP_A0(SCMP_CMP_LT, 2), above = SCMP_A0(SCMP_CMP_GT, 10);
    deny(filter, EAFNOSUPPORT, "socket", 1, &below);
    deny(filter, EAFNOSUPPORT, "socket", 1, &above);
    for (unsigned long family = 3; family < 10; family++) {
        struct scmp_arg_cmp between = SCMP_A0(SCMP_CMP_EQ, family);
        deny(filter, EAFNOSUPPORT, "socket", 1, &between);
    }
    // New namespaces (a user namespace above all) through clone; clone3 passes its flags in memory,
    // where seccomp cannot look, so it answers "not implemented" and the C library falls back to clone.
    deny(filter, ENOSYS, "clone3", 0, NULL);
    static const unsigned long namespaces[] = { 0x10000000 /* NEWUSER */, 0x00020000 /* NEWNS */, 0x40000000 /* NEWNET */,
                                                0x20000000 /* NEWPID */, 0x08000000 /* NEWIPC */, 0x04000000 /* NEWUTS */,
                                                0x02000000 /* NEWCGROUP */ };
    for (size_t i = 0; i < sizeof namespaces / sizeof *namespaces; i++) {
        struct scmp_arg_cmp flag = SCMP_A0(SCMP_CMP_MASKED_EQ, namespaces[i], namespaces[i]);
        deny(filter, EPERM, "clone", 1, &flag);
    }
    // Another process's limits, priority, I/O priority, scheduling and CPUs: only its own (pid 0).
    static const struct { const char *name; unsigned arg; } own[] = {
        { "prlimit64", 0 }, { "setpriority", 1 }, { "ioprio_set", 1 }, { "sched_setaffinity", 0 },
        { "sched_setscheduler", 0 }, { "sched_setparam", 0 }, { "sched_setattr", 0 }, { "migrate_pages", 0 },
        { "move_pages", 0 },
    };
    for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
        struct scmp_arg_cmp other = { own[i].arg, SCMP_CMP_NE, 0, 0 };
        deny(filter, EPERM, own[i].name, 1, &other);
    }
    // Only the low 32 bits of an ioctl's request are compared: the kernel ignores the rest.
    static const unsigned long requests[] = { TIOCSTI, TIOCLINUX, TIOCCONS, TIOCSETD };
    for (size_t i = 0; i < sizeof requests / sizeof *requests; i++)
        if (seccomp_rule_add(filter, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                             SCMP_A1(SCMP_CMP_MASKED_EQ, 0xFFFFFFFFu, requests[i])) != 0)
            fail("cannot add a seccomp rule", "ioctl");
    if (seccomp_load(filter) != 0) fail("cannot load the seccomp filter", NULL);
    seccomp_release(filter);
}

int main(int argc, char **argv) {
    struct settings s = { 0 };
    int program = parse(argc, argv, &s);
    if (program < 0) kill_all(s.uid);

    // A session of its own: no controlling terminal to read, write or push keystrokes into.
    if (setsid() < 0 && getsid(0) != getpid()) fail_errno("cannot start a session");
    close_descriptors();
    join_cgroups(&s);

    limit(RLIMIT_CORE, 0);
    if (s.has_file_bytes) limit(RLIMIT_FSIZE, s.file_bytes);
    if (s.has_cpu) limit(RLIMIT_CPU, s.cpu);
    if (s.has_memory) limit(RLIMIT_AS, s.memory);
    if (s.has_processes) limit(RLIMIT_NPROC, s.processes);
    if (s.has_files) limit(RLIMIT_NOFILE, s.files);

    // Root ignores RLIMIT_NPROC and may write anywhere: run as a user of our own instead, whose
    // processes can all be found and killed afterwards, in a network of its own.
    if (s.has_uid) {
        own_network();
        become(s.uid);
    }

    // Killed with notes itself, even by SIGKILL (set after the switch of user, which clears it); a
    // parent already gone means nobody waits for us.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail_errno("cannot set the parent-death signal");
    if (s.has_parent) {
        if ((unsigned long long)getppid() != s.parent) _exit(LAUNCH_FAILED);
        // notes may take a hung program's stacks with gdb, its own child, which Yama's ptrace_scope=1
        // would otherwise refuse to a process that is not the program's ancestor.
        prctl(PR_SET_PTRACER, (unsigned long)s.parent, 0, 0, 0);
    }
    // No setuid program may give privileges back; Landlock and seccomp need it without root.
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail_errno("cannot set no_new_privs");
    landlock(&s);
    seccomp();

    extern char **environ;
    execve(argv[program], argv + program, environ);
    fail_errno("cannot start the program");
}
