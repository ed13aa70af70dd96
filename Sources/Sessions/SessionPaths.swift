import Foundation

/// Turns the paths given to `gwsh test` into the session files to run.
enum SessionPaths {
    static let fileExtension = "gwsh"

    /// Why the paths are bad options (exit code 1): nothing is run when any of them is.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Files as given, whatever their extension (naming a file is asking for it); directories searched
    /// recursively for `*.gwsh`, hidden entries skipped, in sorted order. Each file appears once, where it
    /// is first found, named as the user's path plus its relative path so messages match what was typed.
    static func sessionFiles(in paths: [String], fileManager: FileManager = .default) throws(Failure) -> [String] {
        if paths.isEmpty { throw Failure(description: "no session files or directories given") }
        var files: [String] = []
        var seen: Set<String> = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw Failure(description: "no such file or directory: \(path)")
            }
            let found = isDirectory.boolValue ? sessionFiles(inDirectory: path, fileManager: fileManager) : [path]
            for file in found where seen.insert(URL(fileURLWithPath: file).standardizedFileURL.path).inserted {
                files.append(file)
            }
        }
        if files.isEmpty {
            throw Failure(description: "no session files (*.\(fileExtension)) in \(paths.joined(separator: ", "))")
        }
        return files
    }

    private static func sessionFiles(inDirectory directory: String, fileManager: FileManager) -> [String] {
        guard let enumerator = fileManager.enumerator(atPath: directory) else { return [] }
        var relativePaths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            var isDirectory: ObjCBool = false
            let full = joined(directory, relative)
            if name.hasSuffix("." + fileExtension), fileManager.fileExists(atPath: full, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                relativePaths.append(relative)
            }
        }
        return relativePaths.sorted().map { joined(directory, $0) }
    }

    /// `sessions/` + `a.gwsh` is `sessions/a.gwsh`, and `.` + `a.gwsh` just `a.gwsh`.
    private static func joined(_ directory: String, _ relative: String) -> String {
        if directory == "." { return relative }
        var base = directory
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        return base.hasSuffix("/") ? base + relative : base + "/" + relative
    }
}
