import Foundation
import Sessions

/// `lessons` and `lesson N`: the six workshops, one per seed case, as a guided mode over their lesson session files
/// (sessions/lessons/). Each step shows the file's narration, asks for the command, runs it when typed, and checks the
/// step's `expect` lines; `hint` shows the command, `skip` runs it, `lesson quit` leaves.
struct Lesson {
    struct Step {
        var narration: [String]
        var command: String
        var checks: [String]
    }
    var number: Int
    var file: String
    var title: String
    var steps: [Step]
}

struct LessonState {
    var lesson: Lesson
    var index: Int
    var savedBaseDirectory: String
}

enum Lessons {
    /// The six workshops in the order of PRODUCT.md's seed cases.
    static let files = ["rest-status-codes", "http-status-codes", "cross-account", "wrong-certificate", "cloudfront-base-paths", "throttling-429"]

    /// Where the lesson files are: $GWSH_LESSONS, the repository the binary was built in, or a `sessions/lessons`
    /// above the current directory.
    static func directory(from base: String) -> String? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["GWSH_LESSONS"] { candidates.append(env) }
        // .build/debug/gwsh (a symlinked directory) or .build/<triple>/debug/gwsh in the repository.
        let exe = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        for dir in [exe.deletingLastPathComponent(), exe.resolvingSymlinksInPath().deletingLastPathComponent()] {
            for up in ["../..", "../../.."] { candidates.append(dir.appendingPathComponent(up + "/sessions/lessons").standardizedFileURL.path) }
        }
        var dir = URL(fileURLWithPath: base)
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("sessions/lessons").path)
            dir = dir.deletingLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent(files[0] + ".gwsh")) }
    }

    static func load(_ number: Int, directory: String) throws -> Lesson {
        let file = (directory as NSString).appendingPathComponent(files[number - 1] + ".gwsh")
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ShellError("cannot read \(file)") }
        let parsed: SessionFile
        do { parsed = try SessionFile.parse(text: text, path: file) } catch { throw ShellError("\(error)") }
        var steps: [Lesson.Step] = []
        var narration: [String] = []
        var title = ""
        for item in parsed.items {
            switch item {
            case .comment(let c):
                let lines = c.lines.map { String($0.dropFirst().drop { $0 == " " }) }
                if title.isEmpty, let first = lines.first {
                    // "Lesson: the wrong certificate for a custom domain (reference/…)." → "The wrong certificate for a custom domain"
                    var t = first.hasPrefix("Lesson: ") ? String(first.dropFirst("Lesson: ".count)) : first
                    if let paren = t.range(of: " (") { t = String(t[..<paren.lowerBound]) }
                    while t.hasSuffix(".") || t.hasSuffix(",") { t.removeLast() }
                    title = t.prefix(1).uppercased() + t.dropFirst()
                    narration = Array(lines.dropFirst())
                } else {
                    narration = lines
                }
            case .command(let c):
                if c.isExpect, !steps.isEmpty {
                    steps[steps.count - 1].checks.append(c.text)
                } else {
                    steps.append(.init(narration: narration, command: c.text, checks: []))
                    narration = []
                }
            }
        }
        return Lesson(number: number, file: file, title: title, steps: steps)
    }

    static func normalized(_ s: String) -> String { s.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
}

extension ShellSession {
    func lessons(_ args: [String]) throws {
        guard args.isEmpty else { throw ShellError("usage: lessons", hint: "then `lesson N`") }
        guard let dir = Lessons.directory(from: baseDirectory) else { throw lessonsMissing() }
        for n in 1...Lessons.files.count {
            let lesson = try Lessons.load(n, directory: dir)
            print("  \(n)  \(lesson.title)  (\(lesson.steps.count) steps)")
        }
        print("`lesson N` starts one; `hint`, `skip` and `lesson quit` help along the way.")
    }

    func lessonsMissing() -> ShellError {
        ShellError("the lesson files (sessions/lessons/*.gwsh) are not found", hint: "run gwsh from its repository, or set GWSH_LESSONS to that directory")
    }

    func lesson(_ args: [String]) throws {
        if args == ["quit"] {
            guard let state = lessonState else { throw ShellError("no lesson is running", hint: "`lessons` lists them") }
            lessonState = nil
            baseDirectory = state.savedBaseDirectory
            print("left lesson \(state.lesson.number) at step \(state.index + 1) of \(state.lesson.steps.count)")
            return
        }
        guard args.count == 1, let n = Int(args[0]), (1...Lessons.files.count).contains(n) else {
            throw ShellError("usage: lesson N | lesson quit", hint: "N is 1 to \(Lessons.files.count); `lessons` lists them")
        }
        guard let dir = Lessons.directory(from: baseDirectory) else { throw lessonsMissing() }
        let lesson = try Lessons.load(n, directory: dir)
        let saved = lessonState?.savedBaseDirectory ?? baseDirectory
        // The lesson's own relative paths (`load ../models/…`) resolve against its file, as in `gwsh test`.
        baseDirectory = (lesson.file as NSString).deletingLastPathComponent
        lessonState = LessonState(lesson: lesson, index: 0, savedBaseDirectory: saved)
        print("Lesson \(n): \(lesson.title)")
        showLessonStep()
    }

    func showLessonStep() {
        guard let state = lessonState else { return }
        let step = state.lesson.steps[state.index]
        for line in step.narration { print("  " + line) }
        print("step \(state.index + 1)/\(state.lesson.steps.count) — type: \(step.command)")
    }

    /// In a lesson, a typed line: the step's command runs and is checked; anything else runs as usual, with a reminder.
    /// Returns false when the line is not the lesson's business (meta commands, no lesson).
    func lessonInput(_ line: String) throws -> Bool {
        guard var state = lessonState else { return false }
        let typed = Lessons.normalized(line)
        if typed.isEmpty || typed.hasPrefix("lesson") || typed == "lessons" || typed.hasPrefix("help") { return false }
        let step = state.lesson.steps[state.index]
        if typed == "hint" {
            print("type exactly: \(step.command)")
            if !step.checks.isEmpty { print("then gwsh checks: " + step.checks.joined(separator: "; ")) }
            return true
        }
        let run: Bool
        if typed == "skip" {
            print("(running it for you) \(step.command)")
            run = true
        } else {
            run = typed == Lessons.normalized(step.command)
        }
        guard run else {
            try dispatchCommand(line)
            print("(lesson step \(state.index + 1): type `\(step.command)` — or `hint`, `skip`, `lesson quit`)")
            return true
        }
        try dispatchCommand(step.command)
        for check in step.checks {
            do { try dispatchCommand(check) } catch let e as ExpectationFailure {
                print(e.message)
                print("✗ that did not give what the lesson expects (\(check)); look at the output, then try the step again, or `skip`")
                return true
            }
        }
        if !step.checks.isEmpty { print("✓ " + step.checks.joined(separator: "; ")) }
        state.index += 1
        if state.index == state.lesson.steps.count {
            lessonState = nil
            baseDirectory = state.savedBaseDirectory
            print("Lesson \(state.lesson.number) complete: \(state.lesson.steps.count) steps.")
            return true
        }
        lessonState = state
        showLessonStep()
        return true
    }
}
