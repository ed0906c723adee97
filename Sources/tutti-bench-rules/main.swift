import Foundation

// tutti-bench-rules [EVALUATIONS] [PROFILES]: see EvaluatorBenchmark.
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
var benchmark = EvaluatorBenchmark()
if arguments.count > 0 { benchmark.evaluations = max(1, arguments[0]) }
if arguments.count > 1 { benchmark.profiles = max(1, arguments[1]) }
benchmark.run()
