/// IDNA ToASCII for hosts, enough for origins: each non-ASCII label is lower-cased and
/// Punycode-encoded (RFC 3492) with the `xn--` prefix, as the URL Standard's host parser does
/// (url.spec.whatwg.org#concept-domain-to-ascii). Not modelled: UTS #46 mapping beyond lower-casing,
/// NFC normalisation, and the validity checks that reject some labels.
public enum IDNA {
    public static func toASCII(_ host: String) -> String {
        if host.utf8.allSatisfy({ $0 < 0x80 }) { return host.lowercased() }
        // Full stops that IDNA treats as label separators.
        let dots: Set<Character> = [".", "\u{3002}", "\u{FF0E}", "\u{FF61}"]
        return host.split(omittingEmptySubsequences: false, whereSeparator: { dots.contains($0) }).map { label -> String in
            let lower = label.lowercased()
            if lower.utf8.allSatisfy({ $0 < 0x80 }) { return lower }
            return "xn--" + Punycode.encode(lower)
        }.joined(separator: ".")
    }
}

/// RFC 3492 Punycode encoding.
public enum Punycode {
    static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700, initialBias = 72, initialN = 128

    static func adapt(_ delta: Int, _ numPoints: Int, _ first: Bool) -> Int {
        var d = first ? delta / damp : delta / 2
        d += d / numPoints
        var k = 0
        while d > ((base - tMin) * tMax) / 2 { d /= base - tMin; k += base }
        return k + (base - tMin + 1) * d / (d + skew)
    }

    static func digit(_ d: Int) -> Character {
        Character(Unicode.Scalar(UInt8(d < 26 ? 97 + d : 22 + d)))
    }

    public static func encode(_ input: String) -> String {
        let scalars = input.unicodeScalars.map { Int($0.value) }
        var output = String(input.unicodeScalars.filter { $0.value < 0x80 }.map(Character.init))
        let basicCount = output.count
        var h = basicCount
        if basicCount > 0 { output.append("-") }
        var n = initialN, delta = 0, bias = initialBias
        while h < scalars.count {
            let m = scalars.filter { $0 >= n }.min()!
            delta += (m - n) * (h + 1)
            n = m
            for c in scalars {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, h + 1, h == basicCount)
                    delta = 0
                    h += 1
                }
            }
            delta += 1
            n += 1
        }
        return output
    }
}
