import TuttiRuntime
import TuttiWorker

await TuttiProcess.main(label: "tutti-worker", build: buildWorkerServices)
