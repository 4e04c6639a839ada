#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Transport {
    /// Whether `request` has completed; throws the message's error if it failed.
    ///
    /// - Complexity: O(1), one poll of the transport.
    public func test(_ request: TransportRequest) throws(TransportError) -> Bool {
        var completions: [TransportCompletion] = []
        try testSome([request], completions: &completions)
        guard let completion = completions.first else { return false }
        if let error = completion.error { throw error }
        return true
    }

    /// Blocks until `request` completes; throws its error if it failed.
    public func wait(_ request: TransportRequest) throws(TransportError) {
        try waitAll([request])
    }

    /// Blocks until every request has completed, polling the transport; throws the first failure
    /// as soon as it is seen (the requests not yet completed then stay outstanding).
    ///
    /// - Complexity: O(requests) per poll; between idle polls it backs off as ``WaitBackoff``
    ///   (spin, yield, nap).
    public func waitAll(_ requests: [TransportRequest]) throws(TransportError) {
        var pending = requests
        var completions: [TransportCompletion] = []
        completions.reserveCapacity(pending.count)
        var backoff = WaitBackoff()
        while !pending.isEmpty {
            completions.removeAll(keepingCapacity: true)
            try testSome(pending, completions: &completions)
            if completions.isEmpty {
                // Spin first (a message between ranks on one node takes about a microsecond),
                // then let other threads and processes run (ranks may outnumber cores).
                backoff.idle()
                continue
            }
            backoff.reset()
            for completion in completions {
                if let error = completion.error { throw error }
            }
            // Remove the completed entries (indices ascend in the order reported; sort to be sure).
            var done = completions.map(\.index)
            done.sort(by: >)
            for index in done { pending.remove(at: index) }
        }
    }
}
