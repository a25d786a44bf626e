import Foundation
import Testing
@testable import KubeTypes

@Suite struct QuantityTests {
    /// Input → apimachinery's canonical serialisation (from its documented behaviour and test tables).
    static let canonical: [(String, String)] = [
        ("0", "0"), ("0m", "0"), ("0Ki", "0"), ("-0", "0"),
        ("1", "1"), ("0.5", "500m"), ("0.1", "100m"), ("100m", "100m"), ("1000m", "1"), ("1500m", "1500m"),
        ("1.5", "1500m"), ("1.08", "1080m"), ("0.001", "1m"), (".001", "1m"), ("1.", "1"), ("1.G", "1G"),
        ("1k", "1k"), ("1000", "1k"), ("50k", "50k"), ("1000k", "1M"), ("1G", "1G"), ("1000M", "1G"),
        ("0.001T", "1G"), ("12E", "12E"), ("100.035k", "100035"), ("10.035M", "10035k"),
        ("128974848", "128974848"), ("129M", "129M"), ("123Mi", "123Mi"), ("1Ki", "1Ki"), ("1024Mi", "1Gi"),
        ("1000Mi", "1000Mi"), ("307200Ki", "300Mi"), ("1025024Mi", "1001Gi"), ("1024Gi", "1Ti"), ("6Ki", "6Ki"),
        ("0.5Mi", "512Ki"), ("0.5Ki", "512"), ("1025", "1025"), ("5000m", "5"),
        ("1e3", "1e3"), ("1E6", "1e6"), ("129e6", "129e6"), ("1e-3", "1e-3"), ("0.001e0", "1e-3"),
        (".001e12", "1e9"), ("1000e-12", "1e-9"), ("1.2e3", "1200"), ("1.3E+6", "1300e3"),
        ("3.001n", "4n"), ("0.0000000001", "1n"), ("0.00000012345", "124n"), ("1u", "1u"), ("1080n", "1080n"),
        ("-1", "-1"), ("-0.5", "-500m"), ("-1Gi", "-1Gi"), ("+2", "2"),
        ("100.035Ki", "102435840m"), ("9Ei", "9223372036854775807"), ("0.000000000001Ki", "2n"),
    ]

    @Test(arguments: canonical)
    func canonicalForm(input: String, expected: String) throws {
        let q = try Quantity(parsing: input)
        #expect(q.description == expected, "\(input)")
        // The canonical form parses back to the same value and prints the same.
        let again = try Quantity(parsing: q.description)
        #expect(again == q)
        #expect(again.description == expected)
    }

    @Test func rejectsWhatApimachineryRejects() throws {
        for bad in ["", "abc", "1.5.5", "1Mb", "1K", "1 Mi", "1e", "1e1.5", "--1", "1ii", "1Mi2"] {
            #expect(throws: QuantityError.self, "\(bad)") { try Quantity(parsing: bad) }
        }
        #expect(throws: QuantityError.suffix) { try Quantity(parsing: "1Mi2") }
        #expect(throws: QuantityError.suffix) { try Quantity(parsing: "1K") }
        #expect(throws: QuantityError.formatWrong) { try Quantity(parsing: "1Mb") }
        // apimachinery reads a bare suffix as zero.
        #expect(try Quantity(parsing: "Mi").isZero)
        #expect(throws: QuantityError.formatWrong) { try Quantity(parsing: "1.5.5") }
        #expect(QuantityError.formatWrong.description.hasPrefix("quantities must match the regular expression"))
    }

    @Test func valuesRoundUpAwayFromZero() throws {
        #expect(try Quantity(parsing: "1500m").value == 2)
        #expect(try Quantity(parsing: "1").value == 1)
        #expect(try Quantity(parsing: "1Gi").value == 1_073_741_824)
        #expect(try Quantity(parsing: "1n").milliValue == 1)
        #expect(try Quantity(parsing: "0.5").milliValue == 500)
        #expect(try Quantity(parsing: "2").milliValue == 2000)
        #expect(try Quantity(parsing: "-1500m").value == -2)
        #expect(try Quantity(parsing: "1E").value == 1_000_000_000_000_000_000)
        #expect(try Quantity(parsing: "100E").value == Int64.max)
        #expect(try Quantity(parsing: "9Ei").value == Int64.max)
    }

    @Test func exactComparisonAndArithmetic() throws {
        let a = try Quantity(parsing: "1Gi")
        let b = try Quantity(parsing: "1024Mi")
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(try Quantity(parsing: "0.1") + Quantity(parsing: "0.2") == Quantity(parsing: "300m"))
        #expect(try Quantity(parsing: "999m") < Quantity(parsing: "1"))
        #expect(try Quantity(parsing: "1G") < Quantity(parsing: "1Gi"))
        #expect(try Quantity(parsing: "1e30") > Quantity(parsing: "999E"))
        #expect(try Quantity(parsing: "-1") < Quantity(parsing: "1n"))
        let sum = try Quantity(parsing: "1Gi") + Quantity(parsing: "512Mi")
        #expect(sum.description == "1536Mi")
        #expect(try (Quantity(parsing: "1") - Quantity(parsing: "250m")).description == "750m")
        #expect(try (Quantity.zero + Quantity(parsing: "1Ki")).description == "1Ki")
    }

    @Test func codableAsStringAcceptingNumbers() throws {
        let decoded = try JSONDecoder().decode([Quantity].self, from: Data(#"["100m", 2, 0.5, "1e3"]"#.utf8))
        #expect(decoded.map(\.description) == ["100m", "2", "500m", "1e3"])
        let encoded = try JSONEncoder().encode([Quantity(milli: 250)])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["250m"]"#)
        #expect(throws: (any Error).self) { try JSONDecoder().decode([Quantity].self, from: Data(#"["lots"]"#.utf8)) }
        let viaKube = try KubeJSON.decode(ResourceList.self, from: Array(#"{"cpu": 1.5, "memory": "128Mi"}"#.utf8))
        #expect(viaKube["cpu"]?.description == "1500m")
        #expect(viaKube["memory"]?.description == "128Mi")
    }
}
