// Linked into every snippet program by notes (see SandboxObject.swift). Not part of the notes binary.
//
// A snippet's main.swift must stay exactly what its reader would type, so the sandbox cannot be a call
// in it: it is a constructor, which runs before main, and so before any snippet code. posix_spawn can
// set neither resource limits, nor a user, nor Landlock rules in the child, so the child confines itself.
// The settings come from notes in environment variables, which are removed here so the program never
// sees them. Their names come from SandboxVariable (SandboxLimits.swift), as the ENV_* macros.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#if !defined(ENV_PARENT_PID) || !defined(ENV_FILE_BYTES) || !defined(ENV_CPU_SECONDS) || \
    !defined(ENV_MEMORY_BYTES) || !defined(ENV_PROCESSES) || !defined(ENV_SANDBOX_UID)
#error "notes passes the names of its environment variables as ENV_* macros"
#endif

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

// The Landlock ABI, spelled out so that building does not depend on the kernel headers' age.
#define LANDLOCK_CREATE_RULESET_VERSION (1U << 0)
#define LANDLOCK_RULE_PATH_BENEATH 1
#define ACCESS_WRITE_FILE (1ULL << 1)
#define ACCESS_REMOVE_AND_MAKE (0x1FFULL << 4) /* REMOVE_DIR … MAKE_SYM */
#define ACCESS_REFER (1ULL << 13)
#define ACCESS_TRUNCATE (1ULL << 14)

struct ruleset_attr { uint64_t handled_access_fs; };
struct path_beneath_attr { uint64_t allowed_access; int32_t parent_fd; } __attribute__((packed));

// Reads a number from the environment and removes it, so a snippet that prints its environment sees none.
static int take(const char *name, unsigned long long *value) {
    const char *text = getenv(name);
    if (!text) return 0;
    char *end;
    *value = strtoull(text, &end, 10);
    int ok = *text && !*end;
    unsetenv(name);
    return ok;
}

static void fail(const char *what) {
    fprintf(stderr, "notes: %s: %s\n", what, strerror(errno));
    _exit(125);
}

static void limit(int resource, unsigned long long value) {
    struct rlimit limit = { value, value };
    setrlimit(resource, &limit);
}

static void allow(int ruleset, const char *path, uint64_t access) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return;
    struct path_beneath_attr rule = { access, fd };
    syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
    close(fd);
}

// Writes only beneath the working folder (and to existing files under /dev). A kernel without
// Landlock leaves file writes unconfined, with the user's own rights.
static void restrict_writes(void) {
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1) return;
    uint64_t writes = ACCESS_REMOVE_AND_MAKE | ACCESS_WRITE_FILE;
    if (abi >= 2) writes |= ACCESS_REFER;
    if (abi >= 3) writes |= ACCESS_TRUNCATE;
    struct ruleset_attr attr = { writes };
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (ruleset < 0) fail("cannot create a Landlock ruleset");
    allow(ruleset, ".", writes);
    allow(ruleset, "/dev", ACCESS_WRITE_FILE | (abi >= 3 ? ACCESS_TRUNCATE : 0));
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) fail("cannot restrict file writes");
    close(ruleset);
}

__attribute__((constructor)) static void notes_enter_sandbox(int argc, char **argv) {
    // Only a run started by notes is confined: the program built for a snippet stays a plain program.
    unsigned long long parent = 0, value = 0;
    if (!take(ENV_PARENT_PID, &parent)) return;

    // Line-buffered like a terminal, so output written before a crash is not lost in a buffer.
    setvbuf(stdout, NULL, _IOLBF, 0);

    limit(RLIMIT_CORE, 0);
    if (take(ENV_FILE_BYTES, &value)) limit(RLIMIT_FSIZE, value);
    if (take(ENV_CPU_SECONDS, &value)) limit(RLIMIT_CPU, value);
    if (take(ENV_MEMORY_BYTES, &value)) limit(RLIMIT_AS, value);
    if (take(ENV_PROCESSES, &value)) limit(RLIMIT_NPROC, value);

    // Root ignores RLIMIT_NPROC and may write anywhere: run as a user of our own instead,
    // whose processes can all be found and killed afterwards.
    if (take(ENV_SANDBOX_UID, &value)) {
        if (setgroups(0, NULL) != 0 || setgid((gid_t)value) != 0 || setuid((uid_t)value) != 0) fail("cannot switch user");
        if (argc > 1 && strcmp(argv[1], "@kill-all") == 0) {
            // One kill(-1) reaches every process of this user: forks racing with it fail. Twice for good measure.
            for (int i = 0; i < 2; i++) kill(-1, SIGKILL);
            _exit(0);
        }
    }

    // Killed with notes itself, even by SIGKILL; a parent already gone means nobody waits for us.
    // Set after the switch of user, which clears it.
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if ((unsigned long long)getppid() != parent) _exit(125);
    // notes may take a hung program's thread stacks with gdb, its child, which Yama's ptrace_scope=1
    // would otherwise refuse to a process that is not the program's ancestor.
    prctl(PR_SET_PTRACER, (unsigned long)parent, 0, 0, 0);
    // No setuid program may give privileges back; required for Landlock without root.
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    restrict_writes();
}

#ifdef NOTES_TSAN
// Only in programs built with ThreadSanitizer (`expect=race`, `--tsan`). On Linux, Swift's Mutex takes
// and releases its lock with atomics inlined into the program, which TSan sees, unless the lock is
// contended: then libswiftSynchronization spins or asks the kernel, in code built without TSan, and
// TSan, missing that hand-over, reports the accesses the lock guards as a race that cannot happen.
// These definitions stand in for the library's three slow paths (the program's own symbols win at
// link time), call the library's, and tell TSan what they did. Nothing else changes: a toolchain
// whose names differ simply never calls them.
#include <dlfcn.h>
#include <stdbool.h>

void __tsan_acquire(void *address);
void __tsan_release(void *address);

#define LOCK_SLOW "$s15Synchronization12_MutexHandleV9_lockSlowyys6UInt32VF"
#define TRY_LOCK_SLOW "$s15Synchronization12_MutexHandleV12_tryLockSlowSbyF"
#define UNLOCK_SLOW "$s15Synchronization12_MutexHandleV11_unlockSlowyyF"
#define SWIFT __attribute__((swiftcall))
#define SELF __attribute__((swift_context))

// The library's function, looked up once; threads racing to look it up store the same pointer.
static void *library(void **cache, const char *name) {
    void *function = __atomic_load_n(cache, __ATOMIC_ACQUIRE);
    if (function) return function;
    function = dlsym(RTLD_NEXT, name);
    if (!function) { fprintf(stderr, "notes: %s is missing from libswiftSynchronization\n", name); abort(); }
    __atomic_store_n(cache, function, __ATOMIC_RELEASE);
    return function;
}

SWIFT void notes_lock_slow(uint32_t thread, SELF void *mutex) __asm__(LOCK_SLOW);
SWIFT void notes_lock_slow(uint32_t thread, SELF void *mutex) {
    static void *cache;
    SWIFT void (*original)(uint32_t, SELF void *) = library(&cache, LOCK_SLOW);
    original(thread, mutex);
    __tsan_acquire(mutex);
}

SWIFT bool notes_try_lock_slow(SELF void *mutex) __asm__(TRY_LOCK_SLOW);
SWIFT bool notes_try_lock_slow(SELF void *mutex) {
    static void *cache;
    SWIFT bool (*original)(SELF void *) = library(&cache, TRY_LOCK_SLOW);
    bool locked = original(mutex);
    if (locked) __tsan_acquire(mutex);
    return locked;
}

SWIFT void notes_unlock_slow(SELF void *mutex) __asm__(UNLOCK_SLOW);
SWIFT void notes_unlock_slow(SELF void *mutex) {
    static void *cache;
    SWIFT void (*original)(SELF void *) = library(&cache, UNLOCK_SLOW);
    __tsan_release(mutex);
    original(mutex);
}
#endif
