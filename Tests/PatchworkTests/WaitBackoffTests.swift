import Testing
import Patchwork

/// The wait backoff: limits are clamped, and a long idle wait naps rather than spins.
@Suite struct WaitBackoffTests {
    @Test func negativeLimitsCountAsZero() {
        let b = WaitBackoff(spins: -3, yields: -1, napMicroseconds: -20)
        #expect(b.spins == 0 && b.yields == 0 && b.napMicroseconds == 0)
    }

    @Test func idlePollsSpinThenYieldThenNap() {
        var b = WaitBackoff(spins: 5, yields: 5, napMicroseconds: 200)
        let clock = ContinuousClock()
        // Spins and yields cost microseconds; the following 20 naps at least 200 µs each.
        let quick = clock.measure { for _ in 0..<10 { b.idle() } }
        let naps = clock.measure { for _ in 0..<20 { b.idle() } }
        #expect(naps >= .microseconds(20 * 200))
        #expect(quick < naps)
        b.reset()
        let again = clock.measure { for _ in 0..<5 { b.idle() } }  // spinning again after progress
        #expect(again < .microseconds(20 * 200))
    }
}
