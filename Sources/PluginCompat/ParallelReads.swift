#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads many files on all cores: `map(count) { i in ... }` runs the body for every index on
/// up to one thread per online CPU and returns the results in index order, so an audit's
/// report keeps the folder's load order (and `go version -m`'s output its walk's) whatever
/// order the reads finish in. The bodies must be independent (each reads its own file); the
/// simulation that follows runs in order.
package enum ParallelReads {
    /// Threads to use: the online CPUs (at least 1).
    package static var threads: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// `started(i)` is called as index `i` is taken, in index order, one call at a time.
    package static func map<T: Sendable>(_ count: Int, threads: Int = ParallelReads.threads, started: (@Sendable (Int) -> Void)? = nil,
                                 _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let workers = min(threads, count)
        guard workers > 1 else { return (0..<count).map { started?($0); return body($0) } }
        let job = Job(count: count, started: started, body: body)
        run(job, workers: workers)
        return job.results()
    }

    /// Something each thread calls until it returns.
    private class Work: @unchecked Sendable {
        func work() {}
    }

    /// Runs `job.work()` on `workers` threads, this one included, and waits for them.
    private static func run(_ job: Work, workers: Int) {
        var ids: [pthread_t] = []
        for _ in 1..<workers {
            var id = pthread_t()
            let context = Unmanaged.passRetained(job).toOpaque()
            let started = pthread_create(&id, nil, { context in
                let job = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
                job.work()
                return nil
            }, context)
            if started == 0 { ids.append(id) } else { Unmanaged<Work>.fromOpaque(context).release() }
        }
        job.work()  // this thread takes part too; with no thread started it does everything
        for id in ids { pthread_join(id, nil) }
    }

    /// The shared state: the next index to take (under a mutex) and one result slot per
    /// index, each written by the one thread that took the index.
    private final class Job<T: Sendable>: Work, @unchecked Sendable {
        let count: Int
        let started: (@Sendable (Int) -> Void)?
        let body: @Sendable (Int) -> T
        let slots: UnsafeMutableBufferPointer<T?>
        var next = 0
        var lock = pthread_mutex_t()

        init(count: Int, started: (@Sendable (Int) -> Void)?, body: @escaping @Sendable (Int) -> T) {
            self.count = count
            self.started = started
            self.body = body
            slots = .allocate(capacity: count)
            slots.initialize(repeating: nil)
            super.init()
            pthread_mutex_init(&lock, nil)
        }

        deinit {
            slots.deinitialize()
            slots.deallocate()
            pthread_mutex_destroy(&lock)
        }

        func take() -> Int? {
            pthread_mutex_lock(&lock)
            defer { pthread_mutex_unlock(&lock) }
            guard next < count else { return nil }
            started?(next)
            next += 1
            return next - 1
        }

        override func work() {
            while let i = take() { slots[i] = body(i) }
        }

        func results() -> [T] { slots.map { $0! } }
    }
}
