import CMalloc
import TuttiRuntime
import TuttiWorker

// glibc gives threads that allocate at once arenas of their own, up to eight per core. The
// worker's transfer threads and Swift's pool each grew one, and their spare pages pushed its
// resident memory past the 64 MB budget (ops/bench-deliveries 300000: 64.9 MB with glibc's
// default, 62.4 MB with two arenas, at the same throughput).
mallopt(M_ARENA_MAX, 2)

await TuttiProcess.main(label: "tutti-worker", build: buildWorkerServices)
