import TuttiRuntime
import TuttiScheduler

await TuttiProcess.main(label: "tutti-scheduler", build: buildSchedulerServices)
