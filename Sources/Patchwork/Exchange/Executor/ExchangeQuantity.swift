/// One quantity taking part in an exchange: a scalar array, or the two components of a vector
/// that travel together (and swap and change sign across a turned edge).
///
/// ```swift
/// let exchange = try HaloExchange(plan: plan, quantities: [.scalar(pressure), .vector(wind)])
/// ```
public struct ExchangeQuantity<Element: PatchElement & SignedNumeric, let N: Int>: Sendable {
    /// The component arrays: one for a scalar, x then y for a vector.
    public let components: [PatchArray<Element, N>]

    /// A scalar quantity.
    public static func scalar(_ array: PatchArray<Element, N>) -> ExchangeQuantity {
        ExchangeQuantity(components: [array])
    }

    /// A vector quantity: its x and y components swap and change sign across turned edges.
    public static func vector(_ vector: VectorPatchArray<Element, N>) -> ExchangeQuantity {
        ExchangeQuantity(components: [vector.x, vector.y])
    }
}
