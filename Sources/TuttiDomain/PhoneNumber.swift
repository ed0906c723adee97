import Foundation

/// Phone numbers as identities, normalized to E.164 (`+` and 8 to 15 digits).
///
/// International forms (`+44 20 …`, `0044 20 …`, `011 44 …` from North America) keep their
/// country code. National forms (`020 7946 0018`, `(415) 555-0100`) take the tenant's default
/// country: its calling code replaces the trunk prefix `0` (or `1` in the North American plan).
/// Italy, San Marino and the Vatican keep their leading zero, as their numbering plan requires.
/// This is normalization, not validation against each country's plan.
public enum PhoneNumber {
    /// ISO 3166 alpha-2 → international calling code.
    public static let callingCodes: [String: String] = [
        "US": "1", "CA": "1", "PR": "1", "GB": "44", "IE": "353", "FR": "33", "DE": "49", "ES": "34", "IT": "39",
        "PT": "351", "NL": "31", "BE": "32", "LU": "352", "CH": "41", "AT": "43", "DK": "45", "SE": "46", "NO": "47",
        "FI": "358", "IS": "354", "PL": "48", "CZ": "420", "SK": "421", "HU": "36", "RO": "40", "BG": "359",
        "GR": "30", "TR": "90", "RU": "7", "UA": "380", "EE": "372", "LV": "371", "LT": "370", "SI": "386",
        "HR": "385", "RS": "381", "SM": "378", "VA": "39", "MT": "356", "CY": "357", "IL": "972", "AE": "971",
        "SA": "966", "EG": "20", "ZA": "27", "NG": "234", "KE": "254", "MA": "212", "IN": "91", "PK": "92",
        "CN": "86", "HK": "852", "TW": "886", "JP": "81", "KR": "82", "SG": "65", "MY": "60", "TH": "66",
        "VN": "84", "PH": "63", "ID": "62", "AU": "61", "NZ": "64", "MX": "52", "BR": "55", "AR": "54",
        "CL": "56", "CO": "57", "PE": "51",
    ]
    private static let keepsTrunkZero: Set<String> = ["IT", "SM", "VA"]

    public static func normalize(_ raw: String, defaultCountry: String?, field: String = "phone") throws(ValidationError) -> String {
        let trimmed = raw.trimmedOfWhitespace
        let allowedPunctuation = " -().\u{00A0}/"
        guard trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || allowedPunctuation.contains($0)) || $0 == "+" }),
            trimmed.filter({ $0 == "+" }).count <= 1, !trimmed.dropFirst().contains("+")
        else { throw ValidationError(field: field, message: "is not a phone number") }
        var digits = trimmed.filter(\.isNumber)
        let country = defaultCountry?.uppercased()

        if trimmed.hasPrefix("+") {
            // Already international.
        } else if digits.hasPrefix("00") {
            digits.removeFirst(2)
        } else if digits.hasPrefix("011"), let country, callingCodes[country] == "1" {
            digits.removeFirst(3)
        } else {
            guard let country, let code = callingCodes[country] else {
                throw ValidationError(field: field, message: "is a national number; write it with +country code or set the tenant's default country")
            }
            if code == "1" {
                if digits.count == 11, digits.hasPrefix("1") { digits.removeFirst() }
                guard digits.count == 10 else { throw ValidationError(field: field, message: "is not a North American number (10 digits)") }
            } else if digits.hasPrefix("0"), !keepsTrunkZero.contains(country) {
                digits.removeFirst()
            }
            digits = code + digits
        }
        guard (8...15).contains(digits.count), digits.first != "0" else {
            throw ValidationError(field: field, message: "is not a phone number (E.164 has 8 to 15 digits)")
        }
        return "+" + digits
    }
}
