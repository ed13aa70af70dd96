#ifndef GWSH_LUA_SHIMS_H
#define GWSH_LUA_SHIMS_H
// The C half of LuaHost: the parts of driving Lua 5.4 that Swift must not do itself.
//
// Lua reports errors with longjmp, which must never cross a Swift frame. So every Lua API call that can
// raise (anything that allocates, calls a metamethod or checks an argument) happens here, inside lua_pcall.
// Swift only calls the entry points below, which are protected, and reads results with the non-raising
// API (lua_type, lua_tolstring on strings, lua_next, lua_rawlen...). Lua calls back into Swift through
// `gwsh_lua_callbacks`; those callbacks never raise, they report failure by return value and the C side
// raises for them.
//
// Per-state bookkeeping (memory accounting, the instruction budget) lives behind the allocator's ud.
#include <stddef.h>
#include <lua.h>
#include <lualib.h>
#include <lauxlib.h>

enum {
    /// The count hook runs every this many VM instructions (as lua.c's does for Ctrl-C).
    GWSH_LUA_HOOK_PERIOD = 1000,
    /// Virtual speed of the simulated Lambda: instructions per simulated millisecond.
    GWSH_LUA_INSTRUCTIONS_PER_MILLISECOND = 100000,
    /// `gwsh_lua_invoke`'s inner status when no function of that name is registered.
    GWSH_LUA_NOT_FOUND = -1,
    /// `gwsh_lua_eval`'s inner status for input that ends in the middle of a statement (lua.c's `<eof>` check).
    GWSH_LUA_INCOMPLETE = -2,
};

/// Why the count hook stopped the running Lua code.
typedef enum gwsh_lua_abort {
    GWSH_LUA_ABORT_NONE = 0,
    GWSH_LUA_ABORT_BUDGET = 1,      // the instruction budget ran out: the function timed out
    GWSH_LUA_ABORT_INTERRUPT = 2,   // Ctrl-C (gwsh_interrupt_pending) while Lua ran
} gwsh_lua_abort;

// MARK: - JSON tape

/// One step of a program that builds a Lua value from JSON. Swift parses JSON (with GatewayModel's parser)
/// and flattens the value into a tape; C replays it inside a protected call, so an allocation failure halfway
/// raises through C frames only.
typedef enum gwsh_json_op_kind {
    GWSH_JSON_NULL,        // push json.null
    GWSH_JSON_FALSE,
    GWSH_JSON_TRUE,
    GWSH_JSON_INTEGER,     // push `integer`
    GWSH_JSON_NUMBER,      // push `number`
    GWSH_JSON_STRING,      // push bytes[offset ..< offset+length]
    GWSH_JSON_ARRAY,       // push a new list (json.array) sized for `integer` elements
    GWSH_JSON_OBJECT,      // push a new table sized for `integer` fields
    GWSH_JSON_SET_INDEX,   // pop a value into the table below it at index `integer`
    GWSH_JSON_SET_FIELD,   // pop a value into the table below it at key bytes[offset ..< offset+length]
} gwsh_json_op_kind;

typedef struct gwsh_json_op {
    gwsh_json_op_kind kind;
    lua_Integer integer;
    lua_Number number;
    size_t offset;
    size_t length;
} gwsh_json_op;

// MARK: - Callbacks into Swift (none of them may raise)

typedef struct gwsh_lua_callbacks {
    /// Passed back to every callback (LuaHost's per-state Swift object).
    void *context;
    /// json.encode: converts the value at `index` of `L`'s stack without raising. Returns 1 and the JSON text
    /// in *out/*length, or 0 and a NUL-terminated message in *out. The text stays valid until the next call.
    int (*encode)(void *context, lua_State *L, int index, const char **out, size_t *length);
    /// json.decode: parses `text`. Returns 1 and a tape (valid until the next call), or 0 and a
    /// NUL-terminated message in *bytes.
    int (*decode)(void *context, const char *text, size_t length,
                  const gwsh_json_op **ops, size_t *count, const char **bytes);
    /// print: one log line (the arguments already converted and tab-joined in Lua).
    void (*log)(void *context, const char *line, size_t length);
} gwsh_lua_callbacks;

// MARK: - Entry points (protected: they return a status and never raise)

/// A new state whose allocator refuses to grow past `memory_limit` bytes; NULL if even that failed.
lua_State *gwsh_lua_open(size_t memory_limit, gwsh_lua_callbacks callbacks);
/// Closes the state and frees its bookkeeping.
void gwsh_lua_close(lua_State *L);

/// Opens the sandboxed libraries and runs the prelude (LuaSandbox.swift) with the native functions and `seed`.
/// On failure the error value is left on the stack.
int gwsh_lua_setup(lua_State *L, const char *prelude, size_t length, lua_Integer seed);

/// Starts one host operation: resets the instruction counter, the abort reason and the memory flag.
void gwsh_lua_begin(lua_State *L, lua_Integer budget, lua_Integer timeout_millis);
lua_Integer gwsh_lua_instructions(lua_State *L);
/// Counts `steps` units of work done inside a Lua C function (the pattern matcher) as that many instructions,
/// and polls Ctrl-C: once the budget is spent or Ctrl-C was seen it raises exactly as the count hook does (so the
/// host reports a timeout or a cancellation). Call it only from a C function that Lua called.
void gwsh_lua_charge(lua_State *L, lua_Integer steps);
gwsh_lua_abort gwsh_lua_abort_reason(lua_State *L);
size_t gwsh_lua_memory_used(lua_State *L);

/// Loads and runs a plugin chunk (text only) named `chunkname` (shown as the file in messages).
/// Returns the outer status; on LUA_OK the stack holds 4 values: the chunk's status, its error value (or nil),
/// the traceback string (or nil) and a table of all registered functions (name → timeout in seconds).
/// Otherwise it holds one error value.
int gwsh_lua_load(lua_State *L, const char *source, size_t length, const char *chunkname);

/// Calls the registered function `name` with the event and context built from the tape (two values: the event
/// and the context's data fields). Returns the outer status; on LUA_OK the stack holds 3 values: the call's
/// status (or GWSH_LUA_NOT_FOUND), its result or error value, and the traceback (or nil).
/// Otherwise it holds one error value.
int gwsh_lua_invoke(lua_State *L, const char *name, const gwsh_json_op *ops, size_t count, const char *bytes);

/// Evaluates a line typed at the `lua` prompt in the plugins' global environment: first as an expression
/// (`return LINE`, as lua.c does), else as statements. Returns the outer status; on LUA_OK the stack holds 3
/// values: the status (LUA_OK, GWSH_LUA_INCOMPLETE, a load or run error), the results shown as one tab-joined
/// string (or the error value), and the traceback (or nil). Otherwise it holds one error value.
int gwsh_lua_eval(lua_State *L, const char *source, size_t length);

/// Sets the virtual clock (epoch milliseconds) at the start of the next call, for os.time and os.clock.
void gwsh_lua_set_now(lua_State *L, lua_Integer now_millis);

/// A full garbage collection, to hand back what an aborted call left behind.
void gwsh_lua_collect(lua_State *L);

// MARK: - Non-raising helpers for reading values

/// Whether the value at `index` is json.null.
int gwsh_lua_is_null(lua_State *L, int index);
/// Whether the value at `index` is a table marked as a list (json.array, or decoded from a JSON array).
int gwsh_lua_is_array(lua_State *L, int index);
/// lua_pop (a macro).
void gwsh_lua_pop(lua_State *L, int n);

#endif
