#ifndef GWSH_LUA_PATTERNS_H
#define GWSH_LUA_PATTERNS_H
// Lua 5.4 pattern matching (string.find, string.match, string.gmatch, string.gsub) that plugins cannot hang.
//
// Lua's own matcher backtracks inside C, where the count hook never runs: a pattern such as
// ("a"):rep(5000):match("(.-)(.-)(.-)(.-)b") would run for hours and neither the instruction budget nor Ctrl-C
// could stop it. This matcher has Lua 5.4's semantics and error messages, but every matching step is counted
// against the invocation's instruction budget (gwsh_lua_charge), which also polls Ctrl-C; so a pathological
// pattern ends the invocation exactly as an endless loop does (timed out, or cancelled).
#include <lua.h>

/// Whether the sandbox replaces the stock functions with these (1) or keeps Lua's own (0).
#ifndef GWSH_LUA_SAFE_PATTERNS
#define GWSH_LUA_SAFE_PATTERNS 1
#endif

/// Replaces find, match, gmatch and gsub in the string library table (which is also the strings' `__index`)
/// with the counted versions. Raises on allocation failure: call it inside a protected call.
void gwsh_lua_install_patterns(lua_State *L);

#endif
