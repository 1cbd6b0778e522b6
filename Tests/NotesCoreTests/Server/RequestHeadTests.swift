import Testing
@testable import NotesServer

/// The preview server's reading of request heads: what a browser sends, and what it refuses.
@Suite("Serve: request heads")
struct RequestHeadTests {
    func parse(_ text: String) throws(RequestHead.Problem) -> RequestHead {
        try RequestHead.parse(ArraySlice(Array(text.utf8)))
    }

    @Test func readsWhatABrowserSends() throws {
        let head = try parse("GET /lessons/01%20intro.html?since=3&x HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
                             + "Accept: text/html\r\nIf-None-Match:  \"a\" \r\nAccept: */*\r\n\r\n")
        #expect(head.method == "GET")
        #expect(head.path == "/lessons/01%20intro.html")
        #expect(head.query("since") == "3")
        #expect(head.query("x") == "")
        #expect(head.query("y") == nil)
        #expect(head.headers["if-none-match"] == "\"a\"")
        #expect(head.headers["accept"] == "text/html, */*")
        #expect(head.keepsAlive)
        #expect(!head.announcesBody)
    }

    @Test func connectionsAndBodies() throws {
        #expect(try !parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keepsAlive)
        #expect(try !parse("GET / HTTP/1.0\r\n\r\n").keepsAlive)
        #expect(try parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepsAlive)
        #expect(try parse("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n").announcesBody)
        #expect(try parse("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").announcesBody)
    }

    @Test(arguments: [
        "THIS IS NOT HTTP\r\n\r\n", "GET / HTTP/2.0\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n", "get / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nNo colon\r\n\r\n", "GET / HTTP/1.1\r\n: empty name\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", "GET / HTTP/1.1\r\nA: b\nInjected: c\r\n\r\n",
        "GET /\0 HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n", "\r\n\r\n",
        // Found by the differential test: Python reads these otherwise (splitting at U+0085, or ending
        // the headers at a name that is not a token).
        "GET /\u{C5} HTTP/1.1\r\n\r\n", "GET /\u{7F} HTTP/1.1\r\n\r\n", "P\u{D3}ST / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nUser-\u{C9}gent: x\r\n\r\n", "GET / HTTP/1.1\r\nA(b: x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost:\u{0B}x\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\u{7F}\r\n\r\n",
    ])
    func refusesMalformedHeads(_ text: String) {
        #expect(throws: RequestHead.Problem.malformed) { try parse(text) }
    }

    @Test func refusesInvalidUTF8AndLargeHeads() {
        #expect(throws: RequestHead.Problem.malformed) { try RequestHead.parse([71, 69, 84, 32, 255, 13, 10, 13, 10]) }
        let large = "GET / HTTP/1.1\r\nX: \(String(repeating: "b", count: RequestHead.maximumBytes))\r\n\r\n"
        #expect(throws: RequestHead.Problem.tooLarge) { try parse(large) }
    }
}
