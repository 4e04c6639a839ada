import Foundation

/// Prints one benchmark result as a JSON object with sorted keys (numbers, strings, nested
/// objects and arrays).
func printJSON(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
