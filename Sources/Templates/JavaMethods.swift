import Foundation

// The Java methods and bean properties templates can reach on values: java.lang.String,
// java.util.ArrayList / LinkedHashMap, Integer / Long / Double / Boolean, as far as mapping
// templates use them. `nil` means "no such method for these argument types" (Velocity then renders
// the reference literally); a thrown JavaException is a Java exception inside the method.

enum JavaMethods {
    static var void: VelocityValue { .string("") }

    // MARK: argument matching (Velocity picks an overload by the runtime argument classes)

    /// A String parameter: a string, or null (which the method then usually rejects with an NPE).
    enum StrArg { case value(String), null }
    static func str(_ a: VelocityValue) -> StrArg? {
        switch a {
        case .string(let s): return .value(s)
        case .null: return .null
        default: return nil
        }
    }

    /// An int parameter: only an Integer-sized integer matches.
    static func int32(_ a: VelocityValue) -> Int? {
        if case .int(let i) = a, i >= Int(Int32.min), i <= Int(Int32.max) { return i }
        return nil
    }

    static func requireString(_ a: StrArg) throws(JavaException) -> String {
        switch a {
        case .value(let s): return s
        case .null: throw JavaException("NullPointerException")
        }
    }

    // MARK: properties and index notation

    static func property(_ v: VelocityValue, _ name: String) -> VelocityValue? {
        switch v {
        case .map(let m):
            return m.get(.string(name)) ?? .null
        case .list(let l):
            if name == "empty" || name == "Empty" { return .bool(l.items.isEmpty) }
            return nil
        case .string(let s):
            if name == "empty" || name == "Empty" { return .bool(s.isEmpty) }
            if name == "blank" || name == "Blank" { return .bool(s.allSatisfy { $0.isWhitespace }) }
            return nil
        case .object(let o):
            return o.property(name)
        default:
            return nil
        }
    }

    static func index(_ v: VelocityValue, _ idx: VelocityValue, _ source: String) throws -> VelocityValue? {
        switch v {
        case .list(let l):
            guard var i = int32(idx) else { return nil }
            if i < 0 { i += l.items.count }
            guard i >= 0, i < l.items.count else {
                throw VelocityError.runtime("VelocityException", "Index out of bounds in \(source): \(i), size \(l.items.count)")
            }
            return l.items[i]
        case .map(let m):
            return m.get(idx) ?? .null
        default:
            return nil
        }
    }

    // MARK: method dispatch

    /// Velocity 1.7's MethodMap treats a method without parameters as applicable to any arguments,
    /// so calling one of these with arguments reaches Method.invoke and fails with "wrong number of
    /// arguments" (a MethodInvocationException) instead of rendering the reference literally.
    static let zeroParameterMethods: [String: Set<String>] = [
        "string": ["length", "isEmpty", "isBlank", "toString", "hashCode", "toUpperCase", "toLowerCase", "trim", "strip",
                   "stripLeading", "stripTrailing", "toCharArray", "intern", "getBytes", "chars", "codePoints", "lines", "getClass"],
        "list": ["size", "isEmpty", "clear", "iterator", "listIterator", "toArray", "hashCode", "toString", "getClass",
                 "stream", "spliterator", "trimToSize", "clone", "parallelStream"],
        "map": ["size", "isEmpty", "clear", "keySet", "values", "entrySet", "hashCode", "toString", "getClass", "clone"],
        "number": ["toString", "hashCode", "intValue", "longValue", "doubleValue", "floatValue", "shortValue", "byteValue",
                   "getClass", "isNaN", "isInfinite"],
        "bool": ["toString", "hashCode", "booleanValue", "getClass"],
        "object": ["toString", "hashCode", "getClass"],
    ]

    static func call(_ v: VelocityValue, _ name: String, _ args: [VelocityValue]) throws -> VelocityValue? {
        if let r = try dispatch(v, name, args) { return r }
        if !args.isEmpty {
            let kind: String
            switch v {
            case .string: kind = "string"
            case .list(let l): kind = l.isArray ? "object" : "list"
            case .map: kind = "map"
            case .int, .bigInt, .double: kind = "number"
            case .bool: kind = "bool"
            case .object: kind = "object"
            case .null: return nil
            }
            if zeroParameterMethods[kind]?.contains(name) == true {
                throw JavaException("IllegalArgumentException", "wrong number of arguments")
            }
        }
        return nil
    }

    static func dispatch(_ v: VelocityValue, _ name: String, _ args: [VelocityValue]) throws -> VelocityValue? {
        switch v {
        case .string(let s): return try stringMethod(s, name, args)
        case .list(let l): return try listMethod(l, name, args)
        case .map(let m): return try mapMethod(m, name, args)
        case .int, .bigInt, .double: return try numberMethod(v, name, args)
        case .bool(let b):
            switch (name, args.count) {
            case ("toString", 0): return .string(b ? "true" : "false")
            case ("booleanValue", 0): return v
            case ("equals", 1): return .bool(Arithmetic.strictEquals(v, args[0]))
            case ("hashCode", 0): return .int(b ? 1231 : 1237)
            default: return nil
            }
        case .object(let o):
            if let r = try o.call(name, args) { return r }
            if name == "toString", args.isEmpty { return .string(o.velocityString) }
            if name == "equals", args.count == 1 {
                if case .object(let other) = args[0] { return .bool(o === other) }
                return .bool(false)
            }
            return nil
        case .null:
            return nil
        }
    }

    static func javaHash(_ s: String) -> Int {
        var h: Int32 = 0
        for u in s.utf16 { h = h &* 31 &+ Int32(u) }
        return Int(h)
    }

    /// hashCode() of any value, following each Java class's definition.
    static func hashCode(_ v: VelocityValue, depth: Int = 0) -> Int32 {
        // A collection that contains itself would recurse forever (Java overflows its stack): cut off.
        guard depth <= Rendering.maxDepth else { return 0 }
        switch v {
        case .null: return 0
        case .bool(let b): return b ? 1231 : 1237
        case .int(let i):
            if i >= Int(Int32.min), i <= Int(Int32.max) { return Int32(i) }
            let u = UInt64(bitPattern: Int64(i))
            return Int32(truncatingIfNeeded: u ^ (u >> 32))
        case .double(let d):
            let bits = d.isNaN ? 0x7ff8_0000_0000_0000 : d.bitPattern
            return Int32(truncatingIfNeeded: bits ^ (bits >> 32))
        case .string(let s): return Int32(truncatingIfNeeded: javaHash(s))
        case .list(let l):
            var h: Int32 = 1
            for e in l.items { h = h &* 31 &+ hashCode(e, depth: depth + 1) }
            return h
        case .map(let m):
            var h: Int32 = 0
            for (k, e) in zip(m.orderedKeys, m.orderedValues) { h = h &+ (hashCode(k, depth: depth + 1) ^ hashCode(e, depth: depth + 1)) }
            return h
        case .bigInt, .object: return Int32(truncatingIfNeeded: javaHash(Rendering.javaString(v)))
        }
    }

    static func utf16String<C: Collection>(_ units: C) -> String where C.Element == UInt16 {
        String(decoding: Array(units), as: UTF16.self)
    }

    static func indexOf(_ hay: [UInt16], _ needle: [UInt16], from: Int) -> Int {
        let start = max(0, from)
        if needle.isEmpty { return min(start, hay.count) }
        guard hay.count >= needle.count, start <= hay.count - needle.count else { return -1 }
        var i = start
        while i <= hay.count - needle.count {
            if hay[i] == needle[0], Array(hay[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return -1
    }

    static func lastIndexOf(_ hay: [UInt16], _ needle: [UInt16], from: Int) -> Int {
        var i = min(from, hay.count - needle.count)
        while i >= 0 {
            if Array(hay[i..<(i + needle.count)]) == needle { return i }
            i -= 1
        }
        return -1
    }

    static func stringMethod(_ s: String, _ name: String, _ args: [VelocityValue]) throws(JavaException) -> VelocityValue? {
        let n = args.count
        switch (name, n) {
        case ("length", 0): return .int(s.utf16.count)
        case ("isEmpty", 0): return .bool(s.isEmpty)
        case ("isBlank", 0): return .bool(s.allSatisfy { $0.isWhitespace })
        case ("toString", 0), ("intern", 0): return .string(s)
        case ("hashCode", 0): return .int(javaHash(s))
        case ("toUpperCase", 0): return .string(s.uppercased())
        case ("toLowerCase", 0): return .string(s.lowercased())
        case ("trim", 0):
            let u = Array(s.utf16)
            var a = 0, b = u.count
            while a < b, u[a] <= 32 { a += 1 }
            while b > a, u[b - 1] <= 32 { b -= 1 }
            return .string(utf16String(u[a..<b]))
        case ("strip", 0): return .string(s.trimmingCharacters(in: .whitespacesAndNewlines))
        case ("charAt", 1):
            guard let i = int32(args[0]) else { return nil }
            let u = Array(s.utf16)
            guard i >= 0, i < u.count else { throw JavaException("StringIndexOutOfBoundsException", "index \(i), length \(u.count)") }
            return .string(utf16String([u[i]]))
        case ("substring", 1), ("substring", 2):
            guard let b = int32(args[0]) else { return nil }
            let u = Array(s.utf16)
            var e = u.count
            if n == 2 { guard let x = int32(args[1]) else { return nil }; e = x }
            guard b >= 0, e <= u.count, b <= e else {
                throw JavaException("StringIndexOutOfBoundsException", "begin \(b), end \(e), length \(u.count)")
            }
            return .string(utf16String(u[b..<e]))
        case ("indexOf", 1), ("indexOf", 2), ("lastIndexOf", 1), ("lastIndexOf", 2):
            // indexOf(int ch) takes a character code; indexOf(String) a substring.
            var needle: [UInt16]
            if let ch = int32(args[0]) {
                guard ch >= 0, ch <= 0xFFFF else { return .int(-1) }
                needle = [UInt16(ch)]
            } else {
                guard let a = str(args[0]) else { return nil }
                needle = Array(try requireString(a).utf16)
            }
            let u = Array(s.utf16)
            let last = name == "lastIndexOf"
            var from = last ? u.count : 0
            if n == 2 { guard let f = int32(args[1]) else { return nil }; from = f }
            return .int(last ? lastIndexOf(u, needle, from: from) : indexOf(u, needle, from: from))
        case ("contains", 1):
            guard let a = str(args[0]) else { return nil }
            let t = try requireString(a)
            return .bool(t.isEmpty || indexOf(Array(s.utf16), Array(t.utf16), from: 0) >= 0)
        case ("startsWith", 1):
            guard let a = str(args[0]) else { return nil }
            return .bool(Array(s.utf16).starts(with: Array(try requireString(a).utf16)))
        case ("endsWith", 1):
            guard let a = str(args[0]) else { return nil }
            return .bool(Array(s.utf16).reversed().starts(with: Array(try requireString(a).utf16).reversed()))
        case ("equals", 1): return .bool(Arithmetic.strictEquals(.string(s), args[0]))
        case ("equalsIgnoreCase", 1):
            guard let a = str(args[0]) else { return nil }
            if case .value(let t) = a { return .bool(s.lowercased() == t.lowercased()) }
            return .bool(false)
        case ("compareTo", 1), ("compareToIgnoreCase", 1):
            guard let a = str(args[0]) else { return nil }
            var t = try requireString(a)
            var me = s
            if name == "compareToIgnoreCase" { me = me.lowercased(); t = t.lowercased() }
            let x = Array(me.utf16), y = Array(t.utf16)
            for (p, q) in zip(x, y) where p != q { return .int(Int(p) - Int(q)) }
            return .int(x.count - y.count)
        case ("concat", 1):
            guard let a = str(args[0]) else { return nil }
            return .string(s + (try requireString(a)))
        case ("replace", 2):
            guard let a = str(args[0]), let b = str(args[1]) else { return nil }
            let target = try requireString(a), repl = try requireString(b)
            if target.isEmpty {
                var out = repl
                for c in s { out += String(c) + repl }
                return .string(out)
            }
            return .string(s.replacingOccurrences(of: target, with: repl))
        case ("replaceAll", 2), ("replaceFirst", 2):
            guard let a = str(args[0]), let b = str(args[1]) else { return nil }
            return .string(try JavaRegex.replace(s, try requireString(a), try requireString(b), all: name == "replaceAll"))
        case ("matches", 1):
            guard let a = str(args[0]) else { return nil }
            return .bool(try JavaRegex.matches(s, try requireString(a)))
        case ("split", 1), ("split", 2):
            guard let a = str(args[0]) else { return nil }
            var limit = 0
            if n == 2 { guard let l = int32(args[1]) else { return nil }; limit = l }
            let parts = try JavaRegex.split(s, try requireString(a), limit: limit)
            let list = VelocityList(parts.map { .string($0) })
            list.isArray = true
            return .list(list)
        case ("toCharArray", 0):
            let list = VelocityList(s.utf16.map { .string(utf16String([$0])) })
            list.isArray = true
            return .list(list)
        case ("repeat", 1):
            guard let c = int32(args[0]) else { return nil }
            guard c >= 0 else { throw JavaException("IllegalArgumentException", "count is negative: \(c)") }
            try Limits.check(length: s.utf8.count * c)
            return .string(String(repeating: s, count: c))
        case ("valueOf", 1): return .string(Rendering.javaString(args[0]))
        case ("format", _) where n >= 1:
            guard let a = str(args[0]) else { return nil }
            return .string(try JavaFormat.format(try requireString(a), Array(args.dropFirst())))
        case ("join", _) where n >= 2:
            guard let a = str(args[0]) else { return nil }
            let delim = try requireString(a)
            if n == 2, case .list(let l) = args[1] {
                return .string(l.items.map(Rendering.javaString).joined(separator: delim))
            }
            return .string(args.dropFirst().map(Rendering.javaString).joined(separator: delim))
        default:
            return nil
        }
    }

    static func listMethod(_ l: VelocityList, _ name: String, _ args: [VelocityValue]) throws(JavaException) -> VelocityValue? {
        let n = args.count
        func checkIndex(_ i: Int, _ size: Int) throws(JavaException) {
            guard i >= 0, i < size else { throw JavaException("IndexOutOfBoundsException", "Index \(i) out of bounds for length \(size)") }
        }
        func mutable() throws(JavaException) {
            if l.isArray { throw JavaException("UnsupportedOperationException") }
        }
        switch (name, n) {
        case ("size", 0): return .int(l.items.count)
        case ("isEmpty", 0): return .bool(l.items.isEmpty)
        case ("toString", 0): return .string(Rendering.javaString(.list(l)))
        case ("hashCode", 0): return .int(Int(hashCode(.list(l))))
        case ("get", 1):
            guard let i = int32(args[0]) else { return nil }
            try checkIndex(i, l.items.count)
            return l.items[i]
        case ("contains", 1): return .bool(l.items.contains { Arithmetic.strictEquals($0, args[0]) })
        case ("containsAll", 1):
            guard case .list(let other) = args[0] else { return nil }
            return .bool(other.items.allSatisfy { o in l.items.contains { Arithmetic.strictEquals($0, o) } })
        case ("indexOf", 1): return .int(l.items.firstIndex { Arithmetic.strictEquals($0, args[0]) } ?? -1)
        case ("lastIndexOf", 1): return .int(l.items.lastIndex { Arithmetic.strictEquals($0, args[0]) } ?? -1)
        case ("equals", 1): return .bool(Arithmetic.strictEquals(.list(l), args[0]))
        case ("add", 1):
            try mutable()
            l.items.append(args[0]); l.mutated()
            return .bool(true)
        case ("add", 2):
            guard let i = int32(args[0]) else { return nil }
            try mutable()
            guard i >= 0, i <= l.items.count else { throw JavaException("IndexOutOfBoundsException", "Index: \(i), Size: \(l.items.count)") }
            l.items.insert(args[1], at: i); l.mutated()
            return void
        case ("addAll", 1):
            guard case .list(let other) = args[0] else { return nil }
            try mutable()
            let items = other.items
            l.items.append(contentsOf: items); l.mutated()
            return .bool(!items.isEmpty)
        case ("remove", 1):
            try mutable()
            if let i = int32(args[0]) {
                try checkIndex(i, l.items.count)
                l.mutated()
                return l.items.remove(at: i)
            }
            guard let i = l.items.firstIndex(where: { Arithmetic.strictEquals($0, args[0]) }) else { return .bool(false) }
            l.items.remove(at: i); l.mutated()
            return .bool(true)
        case ("set", 2):
            guard let i = int32(args[0]) else { return nil }
            try checkIndex(i, l.items.count)
            let old = l.items[i]
            l.items[i] = args[1]
            return old
        case ("clear", 0):
            try mutable()
            l.items.removeAll(); l.mutated()
            return void
        case ("subList", 2):
            guard let a = int32(args[0]), let b = int32(args[1]) else { return nil }
            guard a >= 0, b <= l.items.count, a <= b else { throw JavaException("IndexOutOfBoundsException", "fromIndex \(a), toIndex \(b)") }
            let view = VelocityList(Array(l.items[a..<b]))
            view.backingList = l
            view.backingModCount = l.modCount
            return .list(view)
        default:
            return nil
        }
    }

    static func mapMethod(_ m: VelocityMap, _ name: String, _ args: [VelocityValue]) throws(JavaException) -> VelocityValue? {
        func view(_ items: [VelocityValue]) -> VelocityValue {
            let l = VelocityList(items)
            l.backingMap = m
            l.backingModCount = m.modCount
            return .list(l)
        }
        switch (name, args.count) {
        case ("get", 1): return m.get(args[0]) ?? .null
        case ("getOrDefault", 2): return m.get(args[0]) ?? args[1]
        case ("containsKey", 1): return .bool(m.containsKey(args[0]))
        case ("containsValue", 1): return .bool(m.orderedValues.contains { Arithmetic.strictEquals($0, args[0]) })
        case ("put", 2): return m.put(args[0], args[1]) ?? .null
        case ("putIfAbsent", 2):
            if let old = m.get(args[0]), !old.isNull { return old }
            m.put(args[0], args[1])
            return .null
        case ("remove", 1): return m.remove(args[0]) ?? .null
        case ("remove", 2):
            guard let cur = m.get(args[0]), Arithmetic.strictEquals(cur, args[1]) else { return .bool(false) }
            m.remove(args[0])
            return .bool(true)
        case ("putAll", 1):
            guard case .map(let other) = args[0] else { return nil }
            for (k, v) in zip(other.orderedKeys, other.orderedValues) { m.put(k, v) }
            return void
        case ("clear", 0):
            m.clear()
            return void
        case ("size", 0): return .int(m.count)
        case ("isEmpty", 0): return .bool(m.count == 0)
        case ("keySet", 0): return view(m.orderedKeys)
        case ("values", 0): return view(m.orderedValues)
        case ("entrySet", 0):
            return view(zip(m.orderedKeys, m.orderedValues).map { .object(MapEntry(key: $0, value: $1)) })
        case ("equals", 1): return .bool(Arithmetic.strictEquals(.map(m), args[0]))
        case ("hashCode", 0): return .int(Int(hashCode(.map(m))))
        case ("toString", 0): return .string(Rendering.javaString(.map(m)))
        default: return nil
        }
    }

    static func parseJavaInt(_ a: VelocityValue, long: Bool) throws(JavaException) -> VelocityValue? {
        guard let sa = str(a) else { return nil }
        guard case .value(let s) = sa else { throw JavaException("NumberFormatException", "Cannot parse null string") }
        var t = Substring(s)
        if t.hasPrefix("+") { t = t.dropFirst() }
        guard !t.isEmpty, !t.hasPrefix("+"), let v = Int(t),
              long || (v >= Int(Int32.min) && v <= Int(Int32.max)) else {
            throw JavaException("NumberFormatException", "For input string: \"\(s)\"")
        }
        return .int(v)
    }

    static func numberMethod(_ v: VelocityValue, _ name: String, _ args: [VelocityValue]) throws(JavaException) -> VelocityValue? {
        guard let num = Num(v) else { return nil }
        switch (name, args.count) {
        case ("toString", 0): return .string(Rendering.javaString(v))
        case ("hashCode", 0): return .int(Int(hashCode(v)))
        // Integer.hashCode(int) / Integer.toString(int): static methods reached through an instance.
        case ("hashCode", 1) where Num(args[0]) != nil && isDouble(v) == isDouble(args[0]): return .int(Int(hashCode(args[0])))
        case ("toString", 1) where Num(args[0]) != nil && isDouble(v) == isDouble(args[0]): return .string(Rendering.javaString(args[0]))
        case ("intValue", 0):
            if case .int(let i) = v { return .int(Int(Int32(truncatingIfNeeded: i))) }
            let d = num.double
            return .int(d.isNaN ? 0 : Int(max(Double(Int32.min), min(Double(Int32.max), d.rounded(.towardZero)))))
        case ("longValue", 0):
            if case .int(let i) = v { return .int(i) }
            let d = num.double
            return .int(d.isNaN ? 0 : (abs(d) < 9.2e18 ? Int(d.rounded(.towardZero)) : (d < 0 ? Int.min : Int.max)))
        case ("doubleValue", 0), ("floatValue", 0): return .double(num.double)
        case ("isNaN", 0) where isDouble(v): return .bool(num.double.isNaN)
        case ("isInfinite", 0) where isDouble(v): return .bool(num.double.isInfinite)
        case ("equals", 1): return .bool(Arithmetic.strictEquals(v, args[0]))
        case ("compareTo", 1):
            guard Num(args[0]) != nil, let c = Arithmetic.compare(v, args[0]) else { return nil }
            return .int(c)
        case ("parseInt", 1) where !isDouble(v), ("valueOf", 1) where !isDouble(v):
            if case .int = args[0], name == "valueOf" { return args[0] }
            return try parseJavaInt(args[0], long: false)
        case ("parseDouble", 1) where isDouble(v), ("valueOf", 1) where isDouble(v):
            guard let sa = str(args[0]) else { return nil }
            guard case .value(let s) = sa else { throw JavaException("NullPointerException") }
            guard let d = Double(s.trimmingCharacters(in: .whitespaces)) else {
                throw JavaException("NumberFormatException", "For input string: \"\(s)\"")
            }
            return .double(d)
        default: return nil
        }
    }

    static func isDouble(_ v: VelocityValue) -> Bool {
        if case .double = v { return true }
        return false
    }
}
