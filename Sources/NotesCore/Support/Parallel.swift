import Foundation
import Synchronization

/// Maps over items on `jobs` threads of its own. Work here is blocking (child processes, file writes),
/// so plain threads suit it better than the cooperative pool of Swift concurrency; and unlike
/// `concurrentPerform`, which never runs more threads than there are cores, `--jobs 8` means eight.
/// POSIX threads, joined before returning, so `transform` never outlives the call.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable (T) -> R) -> [R] {
    let workers = max(1, min(jobs, items.count))
    guard workers > 1 else { return items.map(transform) }
    let state = ParallelState<R>()
    withoutActuallyEscaping(transform) { transform in
        let work: @Sendable () -> Void = {
            while let index = state.take(below: items.count) { state.store(transform(items[index]), at: index) }
        }
        let threads = (0..<workers).compactMap { _ in startThread(work) }
        // Out of threads (the system said no): this one works too, so the items are done either way.
        if threads.count < workers { work() }
        for thread in threads { pthread_join(thread, nil) }
    }
    return state.results(count: items.count)
}

private final class ThreadBody {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

private func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
    var thread = pthread_t()
    let context = Unmanaged.passRetained(ThreadBody(body))
    let status = pthread_create(&thread, nil, { context in
        Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().run()
        return nil
    }, context.toOpaque())
    guard status == 0 else {
        context.release()
        return nil
    }
    return thread
}

/// The next item to take and the results so far, shared by the workers of one `parallelMap`.
private final class ParallelState<R: Sendable>: Sendable {
    private let next = Mutex(0)
    private let done = Mutex<[Int: R]>([:])

    func take(below count: Int) -> Int? {
        next.withLock { value in
            guard value < count else { return nil }
            defer { value += 1 }
            return value
        }
    }

    func store(_ result: R, at index: Int) { done.withLock { $0[index] = result } }

    func results(count: Int) -> [R] { done.withLock { map in (0..<count).map { map[$0]! } } }
}
