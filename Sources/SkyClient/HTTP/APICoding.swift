public import Foundation

/// The JSON conventions of the API: camelCase keys as declared, RFC 3339 UTC times with or without fractions.
enum APICoding {
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let whole = Date.ISO8601FormatStyle()

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = (try? fractional.parse(text)) ?? (try? whole.parse(text)) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 time: \(text)")
        }
        return decoder
    }

    static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(fractional))
        }
        return encoder
    }
}

/// JSON in the API's conventions, for printing what the API returned (`skyctl … --json`).
public enum APIJSON {
    /// `value` as indented JSON with sorted keys and RFC 3339 times.
    public static func pretty(_ value: some Encodable) throws -> String {
        String(decoding: try APICoding.encoder(pretty: true).encode(value), as: UTF8.self)
    }

    /// `value` as one line of JSON with sorted keys and RFC 3339 times.
    public static func compact(_ value: some Encodable) throws -> String {
        String(decoding: try APICoding.encoder().encode(value), as: UTF8.self)
    }

    /// Decodes `data` as the API encodes it (RFC 3339 times).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try APICoding.decoder().decode(type, from: data)
    }
}
