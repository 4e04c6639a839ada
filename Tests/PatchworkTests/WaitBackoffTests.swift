import Testing
@testable import Patchwork

/// The wait backoff: limits are clamped, and a long idle wait naps rather than spins.
@Suite struct WaitBackoffTests {
    @Test func negativeLimitsCountAsZero() {
        let b = WaitBackoff(spins: -3, yields: -1, napMicroseconds: -20)
        #expect(b.spins == 0 && b.yields == 0 && b.napMicroseconds == 0)
    }

    @Test func idlePollsSpinThenYieldThenNap() {
        var b = WaitBackoff(spins: 3, yields: 2, napMicroseconds: 200)
        var actions: [WaitBackoff.Action] = []
        for _ in 0..<7 { actions.append(b.nextAction); b.idle() }
        #expect(actions == [.spin, .spin, .spin, .yield, .yield, .nap, .nap])
        // A nap really sleeps (a lower bound: sleeping never takes less).
        let clock = ContinuousClock()
        let naps = clock.measure { for _ in 0..<10 { b.idle() } }
        #expect(naps >= .microseconds(10 * 200))
        b.reset()
        #expect(b.nextAction == .spin)                              // spinning again after progress
        var noNaps = WaitBackoff(spins: 0, yields: 1, napMicroseconds: 0)
        for _ in 0..<3 { noNaps.idle() }
        #expect(noNaps.nextAction == .yield)                         // nap 0: keep yielding
    }
}
