extension AsyncSequence {
    /// The first row, after reading every row to the end.
    ///
    /// PostgresNIO reports an error that PostgreSQL raises after sending rows (a foreign key
    /// checked at the end of an `INSERT … RETURNING`, a deferred constraint) only to a reader
    /// of the rows; a read that returned at its first row would take the row and lose the
    /// error, though the statement failed (the store's `TenantSession.execute`).
    public func firstRow() async throws -> Element? {
        var first: Element?
        for try await element in self where first == nil { first = element }
        return first
    }
}
