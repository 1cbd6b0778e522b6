import Dispatch
import Synchronization

/// Maps over items on up to `jobs` threads. Work here is blocking (child processes, file writes),
/// so plain threads suit it better than the cooperative pool of Swift concurrency.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, _ transform: @Sendable (T) -> R) -> [R] {
    let results = Mutex<[Int: R]>([:])
    let next = Mutex(0)
    DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, items.count))) { _ in
        while true {
            let index = next.withLock { value -> Int in
                defer { value += 1 }
                return value
            }
            guard index < items.count else { return }
            let result = transform(items[index])
            results.withLock { $0[index] = result }
        }
    }
    return results.withLock { map in items.indices.map { map[$0]! } }
}
