import Foundation
import Testing
import TuttiDomain

/// A small deterministic generator (SplitMix64), so that simulated populations are the same
/// on every run.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededGenerator {
    mutating func uniform() -> Double { Double.random(in: Double.ulpOfOne..<1, using: &self) }

    mutating func normal() -> Double {
        sqrt(-2 * log(uniform())) * cos(2 * .pi * uniform())
    }

    /// Marsaglia and Tsang's method, with the boost for shape < 1.
    mutating func gamma(shape: Double, rate: Double) -> Double {
        if shape < 1 { return gamma(shape: shape + 1, rate: rate) * pow(uniform(), 1 / shape) }
        let d = shape - 1.0 / 3, c = 1 / sqrt(9 * d)
        while true {
            let x = normal(), v = pow(1 + c * x, 3)
            if v > 0, log(uniform()) < 0.5 * x * x + d - d * v + d * log(v) { return d * v / rate }
        }
    }

    mutating func beta(_ a: Double, _ b: Double) -> Double {
        let x = gamma(shape: a, rate: 1)
        return x / (x + gamma(shape: b, rate: 1))
    }
}

/// Customers who made a first purchase somewhere in the first `weeks` weeks and then bought
/// as the BG/NBD and Gamma-Gamma models say, observed until week `weeks`.
private func simulatedPopulation(_ truth: BGNBDModel, spend: GammaGammaModel, customers: Int, weeks: Double, seed: UInt64) -> [PurchaseSummary] {
    var random = SeededGenerator(state: seed)
    return (0..<customers).map { _ in
        let lambda = random.gamma(shape: truth.r, rate: truth.alpha)
        let dropout = random.beta(truth.a, truth.b)
        let nu = random.gamma(shape: spend.q, rate: spend.gamma)
        let firstPurchase = random.uniform() * weeks * 0.5
        let observed = weeks - firstPurchase
        var time = 0.0, last = 0.0, repeats = 0
        var total = random.gamma(shape: spend.p, rate: nu)
        // BG/NBD: customers may drop out after each repeat purchase, not after the first one.
        while true {
            time += -log(random.uniform()) / lambda
            if time > observed { break }
            repeats += 1
            last = time
            total += random.gamma(shape: spend.p, rate: nu)
            if random.uniform() < dropout { break }
        }
        return PurchaseSummary(repeatPurchases: repeats, lastPurchaseAge: last, observedWeeks: observed, averageValue: total / Double(repeats + 1))
    }
}

@Suite("Customer value model")
struct CustomerValueModelTests {
    @Test("the hypergeometric series matches closed forms")
    func hypergeometricMatchesClosedForms() {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z, and ₂F₁(a, b; b; z) = (1 − z)^−a.
        for z in [0.1, 0.5, 0.9, 0.99] {
            #expect(abs(Hypergeometric.f21(1, 1, 2, z) - (-log(1 - z) / z)) < 1e-9)
            #expect(abs(Hypergeometric.f21(2.5, 3, 3, z) - pow(1 - z, -2.5)) < 1e-6 * pow(1 - z, -2.5))
        }
    }

    @Test("Nelder-Mead finds the minimum of the Rosenbrock valley")
    func nelderMeadFindsRosenbrockMinimum() {
        let result = NelderMead.minimize(start: [-1.2, 1], tolerance: 1e-14, maxEvaluations: 10_000) { p in
            100 * pow(p[1] - p[0] * p[0], 2) + pow(1 - p[0], 2)
        }
        #expect(abs(result.point[0] - 1) < 1e-3 && abs(result.point[1] - 1) < 1e-3)
    }

    @Test("fitting a simulated population recovers its parameters and its future purchases")
    func fitRecoversSimulatedParameters() throws {
        let truth = BGNBDModel(r: 0.8, alpha: 6, a: 1.5, b: 4)
        let spend = GammaGammaModel(p: 6, q: 4, gamma: 15)
        let population = simulatedPopulation(truth, spend: spend, customers: 8_000, weeks: 78, seed: 42)
        let model = try #require(CustomerValueModel.fit(population))
        // r and α are weakly identified one by one; the mean buying rate r/α and the mean
        // dropout probability a/(a + b) are what a population of this size pins down.
        #expect(abs(model.purchases.r / model.purchases.alpha - truth.r / truth.alpha) / (truth.r / truth.alpha) < 0.15)
        let fittedDropout = model.purchases.a / (model.purchases.a + model.purchases.b)
        #expect(abs(fittedDropout - truth.a / (truth.a + truth.b)) / (truth.a / (truth.a + truth.b)) < 0.25)
        let fittedSpend = try #require(model.spend)
        // Mean spend per purchase p·γ/(q − 1) is what matters, and the best identified.
        let trueMean = spend.p * spend.gamma / (spend.q - 1)
        #expect(abs(fittedSpend.p * fittedSpend.gamma / (fittedSpend.q - 1) - trueMean) / trueMean < 0.15)

        // The fitted model's expectation for the whole population matches the true model's.
        let predicted = population.reduce(0) { $0 + model.purchases.expectedPurchases(in: 52, for: $1) }
        let expected = population.reduce(0) { $0 + truth.expectedPurchases(in: 52, for: $1) }
        #expect(abs(predicted - expected) / expected < 0.1)
    }

    @Test("a frequent recent buyer is predicted to be worth more than a lapsed one")
    func frequentRecentBuyersAreWorthMore() throws {
        let population = simulatedPopulation(
            BGNBDModel(r: 0.8, alpha: 6, a: 1.5, b: 4), spend: GammaGammaModel(p: 6, q: 4, gamma: 15), customers: 3_000, weeks: 78, seed: 7)
        let model = try #require(CustomerValueModel.fit(population))
        let loyal = PurchaseSummary(repeatPurchases: 10, lastPurchaseAge: 50, observedWeeks: 52, averageValue: 40)
        let lapsed = PurchaseSummary(repeatPurchases: 10, lastPurchaseAge: 10, observedWeeks: 52, averageValue: 40)
        let oneOff = PurchaseSummary(repeatPurchases: 0, lastPurchaseAge: 0, observedWeeks: 52, averageValue: 40)
        #expect(model.predictedValue(for: loyal) > model.predictedValue(for: lapsed))
        #expect(model.predictedValue(for: loyal) > model.predictedValue(for: oneOff))
        #expect(model.predictedValue(for: oneOff) >= 0)
    }

    @Test("too little data fits no model")
    func tooLittleDataFitsNothing() {
        let oneOffs = (0..<50).map { _ in PurchaseSummary(repeatPurchases: 0, lastPurchaseAge: 0, observedWeeks: 10, averageValue: 5) }
        #expect(CustomerValueModel.fit(oneOffs) == nil)
        #expect(CustomerValueModel.fit([]) == nil)
    }
}
