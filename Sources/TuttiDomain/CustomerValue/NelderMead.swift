/// Derivative-free minimisation (Nelder and Mead's downhill simplex), used to fit the customer
/// value models by maximum likelihood over log-parameters. Small, dependable, and needs no
/// gradients of log-gamma sums.
public enum NelderMead {
    /// The point that minimises `objective` near `start`, with its value. Non-finite values
    /// count as +∞, so the simplex walks away from impossible parameters.
    public static func minimize(
        start: [Double], step: Double = 0.5, tolerance: Double = 1e-9, maxEvaluations: Int = 4000,
        _ objective: ([Double]) -> Double
    ) -> (point: [Double], value: Double) {
        let n = start.count
        func f(_ x: [Double]) -> Double {
            let value = objective(x)
            return value.isFinite ? value : .infinity
        }
        var simplex: [[Double]] = [start]
        for i in 0..<n {
            var vertex = start
            vertex[i] += step
            simplex.append(vertex)
        }
        var values = simplex.map(f)
        var evaluations = n + 1
        while evaluations < maxEvaluations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if abs(values[n] - values[0]) <= tolerance * (abs(values[0]) + tolerance) { break }
            var centroid = [Double](repeating: 0, count: n)
            for vertex in simplex.dropLast() {
                for i in 0..<n { centroid[i] += vertex[i] / Double(n) }
            }
            func along(_ t: Double) -> [Double] {
                (0..<n).map { centroid[$0] + t * (simplex[n][$0] - centroid[$0]) }
            }
            let reflected = along(-1)
            let reflectedValue = f(reflected)
            evaluations += 1
            if reflectedValue < values[0] {
                let expanded = along(-2)
                let expandedValue = f(expanded)
                evaluations += 1
                if expandedValue < reflectedValue {
                    simplex[n] = expanded
                    values[n] = expandedValue
                } else {
                    simplex[n] = reflected
                    values[n] = reflectedValue
                }
            } else if reflectedValue < values[n - 1] {
                simplex[n] = reflected
                values[n] = reflectedValue
            } else {
                let outside = reflectedValue < values[n]
                let contracted = along(outside ? -0.5 : 0.5)
                let contractedValue = f(contracted)
                evaluations += 1
                if contractedValue < (outside ? reflectedValue : values[n]) {
                    simplex[n] = contracted
                    values[n] = contractedValue
                } else {
                    // Shrink towards the best vertex.
                    for j in 1...n {
                        simplex[j] = (0..<n).map { simplex[0][$0] + 0.5 * (simplex[j][$0] - simplex[0][$0]) }
                        values[j] = f(simplex[j])
                    }
                    evaluations += n
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] } ?? 0
        return (simplex[best], values[best])
    }
}
