import Foundation
import Gateway
import GatewayModel
import Testing

/// contentHandling and binaryMediaTypes on non-proxy integrations (mapping.md §3.6 rules 37–38).
@Suite struct ContentHandlingTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static var model: String {
        #"""
        backends:
          img.internal: { status: 200, headers: { Content-Type: text/plain }, body: '\#(Data(png).base64EncodedString())' }
          bad.internal: { status: 200, body: 'not base64!' }
          echo.internal: { behaviour: echo }
        restApis:
          - id: b1n4ryt3st
            binaryMediaTypes: [image/png, application/octet-stream]
            resources:
              /image:
                GET:
                  integration:
                    type: HTTP
                    httpMethod: GET
                    uri: http://img.internal/
                    integrationResponses:
                      "200":
                        contentHandling: CONVERT_TO_BINARY
                        responseParameters: { method.response.header.Content-Type: "'image/png'" }
                  methodResponses: { "200": {} }
              /image-by-accept:
                GET:
                  integration:
                    type: HTTP
                    httpMethod: GET
                    uri: http://img.internal/
                    integrationResponses: { "200": {} }
                  methodResponses: { "200": {} }
              /bad:
                GET:
                  integration:
                    type: HTTP
                    httpMethod: GET
                    uri: http://bad.internal/
                    integrationResponses: { "200": {} }
                  methodResponses: { "200": {} }
              /upload:
                POST:
                  integration:
                    type: HTTP
                    httpMethod: POST
                    uri: http://echo.internal/
                    contentHandling: CONVERT_TO_TEXT
                    integrationResponses: { "200": {} }
                  methodResponses: { "200": {} }
              /decode:
                POST:
                  integration:
                    type: HTTP
                    httpMethod: POST
                    uri: http://echo.internal/
                    contentHandling: CONVERT_TO_BINARY
                    integrationResponses: { "200": {} }
                  methodResponses: { "200": {} }
            stages: [{ stageName: dev }]
        """#
    }

    @Test func convertToBinaryDecodesTheResponse() throws {
        let x = try env(Self.model).send(request("GET", "/dev/image"))
        #expect(x.response?.status == 200)
        #expect(x.response?.body == Self.png)
        #expect(x.response?.headers["Content-Type"] == "image/png")
        #expect(x.response?.headers["Content-Length"] == "8")
    }

    /// Text data for a binary Accept is base64-decoded; a text Accept gets the text (rule 37).
    @Test(arguments: [("image/png", true), ("image/png, text/html", true), ("text/html, image/png", false), (nil, false)] as [(String?, Bool)])
    func binaryAcceptDecodes(_ accept: String?, _ decoded: Bool) throws {
        let x = try env(Self.model).send(request("GET", "/dev/image-by-accept", headers: accept.map { [("Accept", $0)] } ?? []))
        #expect(x.response?.body == (decoded ? Self.png : Array(Data(Self.png).base64EncodedString().utf8)))
    }

    @Test func textThatIsNotBase64IsA500ForABinaryAccept() throws {
        let x = try env(Self.model).send(request("GET", "/dev/bad", headers: [("Accept", "image/png")]))
        #expect(x.response?.status == 500)
        #expect(x.response?.bodyText == #"{"message": "Internal server error"}"#)
    }

    @Test func convertToTextEncodesABinaryRequest() throws {
        var r = request("POST", "/dev/upload", headers: [("Content-Type", "application/octet-stream")])
        r.body = Self.png
        let x = try env(Self.model).send(r)
        #expect(x.backendRequest?.body == Data(Self.png).base64EncodedString())
    }

    /// Decoded bytes that are not UTF-8 stop the request as not simulated: gwsh carries payloads as text.
    @Test func convertToBinaryOfARequestIsHonestAboutItsLimit() throws {
        let e = try env(Self.model)
        let ok = e.send(request("POST", "/dev/decode", body: Data("hello".utf8).base64EncodedString()))
        #expect(ok.backendRequest?.body == "hello")
        let binary = e.send(request("POST", "/dev/decode", body: Data(Self.png).base64EncodedString()))
        #expect(binary.response == nil)
        #expect(binary.unsupported?.contains("not UTF-8") == true)
        let notBase64 = e.send(request("POST", "/dev/decode", body: "%%%"))
        #expect(notBase64.response?.status == 500)
    }
}
