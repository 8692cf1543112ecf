import Foundation

public enum JSONReport {
    /// Pretty, key-sorted JSON with a trailing newline.
    public static func render(_ report: RunReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(report)
        data.append(0x0A)
        return data
    }
}
