import Foundation
import GatewayModel

/// One recorded AWS behaviour as a runnable case (../shared/conformance/README.md, "aws-recorded: the case format").
public struct ConformanceCase: Sendable {
    public var id: String
    public var family: String
    public var title: String
    public var source: String
    public var file: String
    public var raw: JSONObject

    public var model: JSONValue? { raw["model"] }
    public var functions: JSONObject { raw["functions"]?.objectValue ?? JSONObject() }
    public var backends: JSONObject { raw["backends"]?.objectValue ?? JSONObject() }
    public var request: JSONObject? { raw["request"]?.objectValue }
    public var expect: JSONObject { raw["expect"]?.objectValue ?? JSONObject() }
    public var ignore: [String] { raw["ignore"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    public var now: String? { raw["now"]?.stringValue }
}

/// A case file that could not be used: a JSON syntax error or a malformed case.
public struct ConformanceFileError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var caseId: String?
    public var message: String
    public var description: String { "\(file)\(caseId.map { " [\($0)]" } ?? ""): \(message)" }
}

/// Finds and reads case files: every `*.json` under the given directories (or files), recursively, sorted.
/// A file is a case file when it is a JSON array whose elements carry `family`; other JSON is skipped.
public enum ConformanceLoader {
    public static func load(paths: [String]) -> (cases: [ConformanceCase], errors: [ConformanceFileError]) {
        var files: [String] = []
        var errors: [ConformanceFileError] = []
        let fm = FileManager.default
        for p in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: p, isDirectory: &isDir) else {
                errors.append(ConformanceFileError(file: p, message: "no such file or directory"))
                continue
            }
            if isDir.boolValue {
                let found = (fm.enumerator(atPath: p)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".json") }.sorted()
                files += found.map { (p as NSString).appendingPathComponent($0) }
            } else {
                files.append(p)
            }
        }
        var cases: [ConformanceCase] = []
        for f in files {
            guard let data = fm.contents(atPath: f) else {
                errors.append(ConformanceFileError(file: f, message: "cannot read the file"))
                continue
            }
            let value: JSONValue
            do { value = try JSONValue.parse(bytes: Array(data)) } catch {
                errors.append(ConformanceFileError(file: f, message: "not valid JSON: \(error)"))
                continue
            }
            guard case .array(let items) = value, !items.isEmpty,
                  items.allSatisfy({ $0["family"]?.stringValue != nil }) else { continue }
            for (i, item) in items.enumerated() {
                guard let o = item.objectValue else { continue }
                guard let id = o["id"]?.stringValue, let family = o["family"]?.stringValue else {
                    errors.append(ConformanceFileError(file: f, caseId: "#\(i)", message: "a case needs `id` and `family`"))
                    continue
                }
                cases.append(ConformanceCase(id: id, family: family, title: o["title"]?.stringValue ?? "", source: o["source"]?.stringValue ?? "",
                                             file: f, raw: o))
            }
        }
        return (cases, errors)
    }
}
