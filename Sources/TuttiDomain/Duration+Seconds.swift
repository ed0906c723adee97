extension Duration {
    /// The duration in seconds, fractions included: for SQL intervals (`make_interval(secs =>)`).
    public var secondsValue: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
