import Testing
@testable import CORSModel

@Suite struct HeaderListTests {
    @Test func parsesLinesAndKeepsRawValues() {
        let h = Header(line: "Access-Control-Allow-Origin:   *  ")!
        #expect(h.name == "Access-Control-Allow-Origin")
        #expect(h.value == "*")
        #expect(h.rawValue == "  *  ")
        #expect(Header(line: "no colon") == nil)
        #expect(Header(line: "Bad Name: x") == nil)
        #expect(Header(line: ": x") == nil)
    }

    @Test func getJoinsDuplicatesWithCommaSpace() {
        let list = headers("access-control-allow-origin: *", "ACCESS-CONTROL-ALLOW-ORIGIN: *", "X: 1")
        #expect(list.get("Access-Control-Allow-Origin") == "*, *")
        #expect(list.lineCount("access-control-allow-origin") == 2)
        #expect(list.get("missing") == nil)
    }

    @Test func verticalTabIsNotTrimmed() {
        #expect(Header(name: "X", value: "true\u{0B}").value == "true\u{0B}")
        #expect(Header(name: "X", value: "\ttrue ").value == "true")
    }

    @Test func extractsTokenLists() {
        #expect(HeaderListValues.extract("m", from: headers("m: ,,PUT,GET")) == .values(["PUT", "GET"]))
        #expect(HeaderListValues.extract("m", from: headers("m: PUT", "m: DELETE")) == .values(["PUT", "DELETE"]))
        #expect(HeaderListValues.extract("m", from: headers("x: 1")) == .absent)
        #expect(HeaderListValues.extract("m", from: headers("m: PUT DELETE")) == .failure(token: "PUT DELETE", value: "PUT DELETE"))
        #expect(HeaderListValues.extract("m", from: headers("m: GET, \"bad\"")) == .failure(token: "\"bad\"", value: "GET, \"bad\""))
    }
}
