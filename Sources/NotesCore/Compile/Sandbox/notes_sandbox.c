// Linked into every snippet program by notes (see SandboxObject.swift). Not part of the notes binary.
//
// It confines nothing: `notes-launch` does that before the program exists, so nothing here is needed
// for safety, and a program that defines its own `getenv` or `setvbuf` only loses what this adds.
// What it adds: stdout line-buffered like a terminal's, so output written before a crash is not lost in
// a buffer; and under ThreadSanitizer, Mutex's slow paths made visible to TSan (below).
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef ENV_LINE_BUFFERED
#error "notes passes the name of its environment variable as ENV_LINE_BUFFERED"
#endif

__attribute__((constructor)) static void notes_line_buffered(void) {
    // Only in a run started by notes: the program built for a snippet stays a plain program.
    if (!getenv(ENV_LINE_BUFFERED)) return;
    unsetenv(ENV_LINE_BUFFERED);
    setvbuf(stdout, NULL, _IOLBF, 0);
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
