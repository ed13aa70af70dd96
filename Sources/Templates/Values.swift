import Foundation

// Runtime values. Lists and maps are final classes because Velocity works on Java objects with
// reference semantics: `#set($b = $a)` then `$b.add(1)` must show in `$a` too.

/// A host object exposed to templates (`$input`, `$util`, ...), reached through properties and methods.
public protocol VelocityObject: AnyObject {
    /// `$obj.name`; nil when the object has no such property (the reference then renders literally).
    func property(_ name: String) -> VelocityValue?
    /// `$obj.method(args)`; nil when there is no such method, `.string("")` for a void method.
    /// A thrown error aborts the render (Velocity's MethodInvocationException).
    func call(_ method: String, _ args: [VelocityValue]) throws -> VelocityValue?
    /// What the object renders as (Java's toString()).
    var velocityString: String { get }
}

extension VelocityObject {
    public var velocityString: String { String(describing: type(of: self)) }
}

public enum VelocityValue {
    case null
    case bool(Bool)
    /// Java Integer when it fits in 32 bits, Long otherwise (the widening Velocity's MathUtils does).
    case int(Int)
    /// Java BigInteger (beyond Long); Decimal holds 38 exact digits, enough for template arithmetic.
    case bigInt(Decimal)
    case double(Double)
    case string(String)
    case list(VelocityList)
    case map(VelocityMap)
    case object(any VelocityObject)

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// Build a value from Swift data (String, Int, Double, Bool, arrays, dictionaries, nil).
    public static func from(_ any: Any?) -> VelocityValue {
        switch any {
        case nil: return .null
        case let v as VelocityValue: return v
        case let s as String: return .string(s)
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(i)
        case let d as Double: return .double(d)
        case let a as [Any?]: return .list(VelocityList(a.map { from($0) }))
        case let m as [String: Any?]:
            let map = VelocityMap()
            for k in m.keys.sorted() { map.put(.string(k), from(m[k] ?? nil)) }
            return .map(map)
        default: return .string(String(describing: any))
        }
    }
}

/// java.util.ArrayList. `modCount` drives ConcurrentModificationException like Java's iterators.
public final class VelocityList {
    public var items: [VelocityValue]
    var modCount = 0
    /// A subList view or a keySet/values view records what it is a view of, so iteration notices
    /// modifications of the backing collection.
    weak var backingList: VelocityList?
    weak var backingMap: VelocityMap?
    var backingModCount = 0
    /// A Java array (String.split, toCharArray): fixed size.
    var isArray = false
    /// A JSON array that API Gateway parsed ($input.path, $util.parseJson): it prints as compact JSON,
    /// not as Java's `[a, b]` (mapping.md §4.2 rule 42 [REC]).
    public var printsAsJSON = false

    public init(_ items: [VelocityValue] = []) { self.items = items }

    func mutated() { modCount &+= 1 }
}

/// A map key with Java equals/hashCode semantics for the key types templates produce.
enum MapKey: Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case other(String)

    init(_ v: VelocityValue) {
        switch v {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        default: self = .other(Rendering.javaString(v))
        }
    }
}

/// java.util.LinkedHashMap: insertion order, re-putting a key keeps its position. Small maps (most of what
/// templates see) search their keys linearly; a hash index is built once a map grows past `indexThreshold`.
public final class VelocityMap {
    private(set) var keys: [VelocityValue] = []
    private var mapKeys: [MapKey] = []
    private var index: [MapKey: Int]?
    private var vals: [VelocityValue] = []
    var modCount = 0
    static let indexThreshold = 32
    /// Entries supplied on first use: the gateway's `$context` has dozens, most templates read a few.
    private var loader: (() -> [(VelocityValue, VelocityValue)])?

    public init() {}

    /// A map whose entries `loader` supplies the first time the map is read or written.
    public init(lazy loader: @escaping () -> [(VelocityValue, VelocityValue)]) { self.loader = loader }

    /// Whether the entries exist yet (a lazy map nobody has read or written is not loaded).
    public var isLoaded: Bool { loader == nil }

    @inline(__always) private func load() {
        guard let l = loader else { return }
        loader = nil
        let entries = l()
        keys.reserveCapacity(entries.count)
        mapKeys.reserveCapacity(entries.count)
        vals.reserveCapacity(entries.count)
        for (k, v) in entries { put(k, v) }
    }

    public var count: Int { load(); return keys.count }
    public var orderedKeys: [VelocityValue] { load(); return keys }
    public var orderedValues: [VelocityValue] { load(); return vals }

    private func position(_ k: MapKey) -> Int? {
        load()
        if let index { return index[k] }
        return mapKeys.firstIndex(of: k)
    }

    public func get(_ key: VelocityValue) -> VelocityValue? {
        guard let i = position(MapKey(key)) else { return nil }
        return vals[i]
    }

    public func containsKey(_ key: VelocityValue) -> Bool { position(MapKey(key)) != nil }

    /// Set to record keys that are written again (API Gateway's overrides may be set only once).
    public var tracksRewrites = false
    /// Keys written while they already had a value, in order (only when `tracksRewrites`).
    public private(set) var rewrittenKeys: [String] = []

    /// Returns the previous value (nil when the key was new).
    @discardableResult
    public func put(_ key: VelocityValue, _ value: VelocityValue) -> VelocityValue? {
        let k = MapKey(key)
        if let i = position(k) {
            let old = vals[i]
            vals[i] = value
            if tracksRewrites { rewrittenKeys.append(Rendering.javaString(key)) }
            return old
        }
        index?[k] = keys.count
        keys.append(key)
        mapKeys.append(k)
        vals.append(value)
        if index == nil, keys.count > Self.indexThreshold {
            var built: [MapKey: Int] = [:]
            for (i, mk) in mapKeys.enumerated() { built[mk] = i }
            index = built
        }
        modCount &+= 1
        return nil
    }

    @discardableResult
    public func remove(_ key: VelocityValue) -> VelocityValue? {
        let k = MapKey(key)
        guard let i = position(k) else { return nil }
        let old = vals[i]
        keys.remove(at: i)
        mapKeys.remove(at: i)
        vals.remove(at: i)
        if index != nil {
            index!.removeValue(forKey: k)
            for j in i..<mapKeys.count { index![mapKeys[j]] = j }
        }
        modCount &+= 1
        return old
    }

    public func clear() {
        loader = nil
        keys.removeAll()
        mapKeys.removeAll()
        vals.removeAll()
        index = nil
        modCount &+= 1
    }
}

/// A Map.Entry from entrySet(): `$e.key`, `$e.value`, renders `k=v`.
final class MapEntry: VelocityObject {
    let key: VelocityValue
    let value: VelocityValue
    init(key: VelocityValue, value: VelocityValue) {
        self.key = key
        self.value = value
    }
    func property(_ name: String) -> VelocityValue? {
        switch name {
        case "key", "Key": return key
        case "value", "Value": return value
        default: return nil
        }
    }
    func call(_ method: String, _ args: [VelocityValue]) throws -> VelocityValue? {
        guard args.isEmpty else { return nil }
        switch method {
        case "getKey": return key
        case "getValue": return value
        case "toString": return .string(velocityString)
        default: return nil
        }
    }
    var velocityString: String { Rendering.javaString(key) + "=" + Rendering.javaString(value) }
}

/// How a null reference renders: stock Velocity prints the reference's own source text, API Gateway
/// (the oracle's `aws` mode) prints nothing.
public enum NullRendering: Sendable {
    case stock
    case aws
}

public struct VelocityContext {
    public var variables: [String: VelocityValue]
    public var mode: NullRendering
    /// API Gateway's comparisons: a null reference equals `""` as well as `$null` (mapping.md §4.5 rule 50
    /// [REC]); stock Velocity, even with null-as-empty rendering, says `null != ""`.
    public var nullEqualsEmptyString = false

    public init(_ variables: [String: VelocityValue] = [:], mode: NullRendering = .stock) {
        self.variables = variables
        self.mode = mode
    }

    /// The settings API Gateway runs templates with: null renders as nothing and compares equal to "".
    public static func apiGateway(_ variables: [String: VelocityValue]) -> VelocityContext {
        var c = VelocityContext(variables, mode: .aws)
        c.nullEqualsEmptyString = true
        return c
    }

    public subscript(name: String) -> VelocityValue? {
        get { variables[name] }
        set { variables[name] = newValue }
    }
}
