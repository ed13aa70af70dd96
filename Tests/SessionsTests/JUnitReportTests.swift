import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Sessions

@Suite struct JUnitReportTests {
    @Test func oneTestCasePerFileWithTheFailureEscaped() throws {
        var summary = SessionTestSummary(passed: 1, failed: 1, status: .assertionFailed)
        summary.files = [
            SessionFileOutcome(path: "a.gwsh", passed: true, details: [], seconds: 0.5),
            SessionFileOutcome(path: "b<&>.gwsh", passed: false, details: ["b.gwsh:3: output differs", "  -\"x\"", "  +\u{1}y"], seconds: 0.25),
        ]
        let xml = JUnitReport.xml(summary)
        #expect(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"2\" failures=\"1\" time=\"0.750\">"))
        #expect(xml.contains("<testcase classname=\"gwsh sessions\" name=\"a.gwsh\" file=\"a.gwsh\" time=\"0.500\"/>"))
        #expect(xml.contains("name=\"b&lt;&amp;&gt;.gwsh\""))
        #expect(xml.contains("<failure message=\"b.gwsh:3: output differs\">b.gwsh:3: output differs\n  -&quot;x&quot;\n  +?y</failure>"))
        #expect(xml.hasSuffix("</testsuites>\n"))
        // Parsable as XML.
        #expect(XMLParser(data: Data(xml.utf8)).parse())
    }
}
