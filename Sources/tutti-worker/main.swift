import CAllocator
import TuttiRuntime
import TuttiWorker

// Keeps jemalloc's options (allocator.c) in the program: the linker drops what nothing names.
_ = tutti_allocator_options()

await TuttiProcess.main(label: "tutti-worker", build: buildWorkerServices)
