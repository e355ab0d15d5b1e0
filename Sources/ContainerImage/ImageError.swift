/// Why an image cannot be read: the image's path and, in the reason, the part of it (layer,
/// entry) and what is wrong. One line.
public struct ImageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) { self.path = path; self.reason = reason }
    public var description: String { "\(path): \(reason)" }
}

/// A reason inside the image, before the image's path is put in front.
struct Refusal: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
