extension CollectiveTransport {
    /// Collectively agrees that no rank failed: throws this rank's own error, or
    /// ``DistributedError/failedOnOtherRanks(firstRank:failingRanks:)`` where only others failed.
    func agree(_ local: ExchangeError?) throws(DistributedError) {
        try agree(local.map { DistributedError.exchange($0) })
    }

    /// As ``agree(_:)-(ExchangeError?)``, for any distributed error.
    func agree(_ local: DistributedError?) throws(DistributedError) {
        do { try agreeOnSuccess(local == nil) } catch {
            if let local { throw local }
            if case .failedOnRanks(let first, let count) = error { throw .failedOnOtherRanks(firstRank: first, failingRanks: count) }
            throw .transport(error)
        }
    }
}
