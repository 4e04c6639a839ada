import Foundation

/// A Fourier mode of the heat equation `∂u/∂t = ∇²u` on the unit cube `[0, 1]^N` sampled on an
/// `n^N` grid: its initial values, its decay under the explicit `(2N+1)`-point scheme and in the
/// continuous equation, and the error bound that a correct run must meet.
///
/// ```swift
/// let mode = FourierMode(dimensions: 2, size: 256, wavenumber: 2, boundary: .periodic, alpha: 0.2)
/// u.fill { p in mode.value(at: p.array) }          // step 0
/// // … 500 steps of u ← (1 − 4α)·u + α·Σ neighbours …
/// let expected = mode.continuousAmplitude(after: 500)  // the analytic solution's amplitude
/// let bound = mode.errorBound(after: 500)              // max |u − exact| allowed
/// ```
///
/// Geometry: with periodic boundaries cell `i` sits at `x = i/n` and the mode is
/// `Π sin(2π m x_a)`; with fixed (Dirichlet 0) boundaries cell `i` sits at `x = (i+1)/(n+1)`, the
/// ghost cells at `x = 0` and `x = 1` hold 0, and the mode is `Π sin(π m x_a)`. Either way the
/// grid angle per cell is `θ = 2πm/n` or `πm/(n+1)`, the spacing `h = 1/n` or `1/(n+1)`, and the
/// time step `Δt = α h²` (`α` the diffusion number).
///
/// The scheme multiplies the mode by exactly `g = 1 − 4α Σ_a sin²(θ/2)` per step; the continuous
/// equation by `exp(−α Σ_a θ²)`. A correct run therefore differs from the analytic solution by
/// `|g^s − e^{−α N θ² s}|` (times `max |mode| ≤ 1`) plus rounding: ``errorBound(after:)`` is twice
/// that difference plus `4 (s + 1)(2N + 2) ε`, the rounding of `s` steps of `2N + 1` products and
/// sums each (the scheme is stable, so earlier rounding errors do not grow). A wrong exchange, a
/// wrong stencil or a wrong restart shows up as an error of the order of the amplitude, far above.
///
/// - Complexity: O(1) per value (a product of N table lookups); the tables take `N · n` doubles.
public struct FourierMode: Sendable, Equatable {
    /// How the domain ends.
    public enum Boundary: String, Sendable, CaseIterable {
        /// Every axis wraps around.
        case periodic
        /// Dirichlet 0 just outside the domain on every axis.
        case fixed
    }

    /// The number of dimensions N.
    public let dimensions: Int
    /// Cells per axis.
    public let size: Int
    /// Half-waves (fixed) or waves (periodic) per axis.
    public let wavenumber: Int
    /// The boundary condition.
    public let boundary: Boundary
    /// The diffusion number `Δt / h²`.
    public let alpha: Double
    /// Grid angle per cell, `θ`.
    public let theta: Double
    /// The mode's values on one axis: `sin(θ · (i + offset))` for `i` in `0 ..< size`.
    let table: [Double]

    /// The mode `m = wavenumber` on an `size^dimensions` grid.
    public init(dimensions: Int, size: Int, wavenumber: Int, boundary: Boundary, alpha: Double) {
        self.dimensions = dimensions
        self.size = size
        self.wavenumber = wavenumber
        self.boundary = boundary
        self.alpha = alpha
        let offset: Double
        switch boundary {
        case .periodic: theta = 2 * Double.pi * Double(wavenumber) / Double(size); offset = 0
        case .fixed: theta = Double.pi * Double(wavenumber) / Double(size + 1); offset = 1
        }
        let theta = theta
        table = (0..<size).map { sin(theta * (Double($0) + offset)) }
    }

    /// The grid spacing `h`.
    public var spacing: Double { boundary == .periodic ? 1 / Double(size) : 1 / Double(size + 1) }

    /// The time step `Δt = α h²`.
    public var timeStep: Double { alpha * spacing * spacing }

    /// The value of the initial mode at cell `p` (one index per axis, each in `0 ..< size`).
    @inlinable
    public func value(at p: [Int]) -> Double {
        var v = 1.0
        for a in p.indices { v *= tableValue(p[a]) }
        return v
    }

    @usableFromInline
    func tableValue(_ i: Int) -> Double { table[i] }

    /// The factor `g` by which one step of the explicit scheme multiplies the mode.
    public var discreteFactor: Double {
        let s = sin(theta / 2)
        return 1 - 4 * alpha * Double(dimensions) * s * s
    }

    /// The mode's amplitude after `steps` steps of the scheme, `g^steps`.
    public func discreteAmplitude(after steps: Int) -> Double { pow(discreteFactor, Double(steps)) }

    /// The analytic solution's amplitude at time `steps · Δt`, `exp(−α N θ² steps)`.
    public func continuousAmplitude(after steps: Int) -> Double {
        exp(-alpha * Double(dimensions) * theta * theta * Double(steps))
    }

    /// The largest `max |u − exact|` a correct run may show after `steps` steps; see the type's
    /// documentation for the derivation.
    public func errorBound(after steps: Int) -> Double {
        let discretisation = abs(discreteAmplitude(after: steps) - continuousAmplitude(after: steps))
        let rounding = 4 * Double(steps + 1) * Double(2 * dimensions + 2) * Double.ulpOfOne
        return 2 * discretisation + rounding
    }

    /// The slice index along axis 0 through a crest of the mode (where `|sin|` is largest).
    public var crestIndex: Int {
        let offset = boundary == .periodic ? 0 : 1
        let i = Int((Double.pi / 2 / theta).rounded()) - offset
        return Swift.min(Swift.max(i, 0), size - 1)
    }
}
