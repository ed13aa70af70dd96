#include "lua_shims.h"
#include "lua_patterns.h"
#include "signals_shims.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Per-state bookkeeping, reachable from any lua_State of the state (coroutines too) as the allocator's ud.
typedef struct gwsh_lua_runtime {
    size_t memory_used;
    size_t memory_limit;
    lua_Integer instructions;
    lua_Integer budget;
    lua_Integer timeout_millis;
    lua_Integer now_millis;   // the virtual clock when the current call started
    gwsh_lua_abort abort_reason;
    gwsh_lua_callbacks callbacks;
} gwsh_lua_runtime;

// Registry keys: the addresses are what matters (lua_rawgetp), so they must be distinct objects.
static char gwsh_internal_key;    // the prelude's internal table
static char gwsh_null_key;        // json.null
static char gwsh_array_key;       // the metatable that marks a table as a JSON list
static char gwsh_functions_key;   // registered functions: name -> {fn, timeout, chunk}
static char gwsh_wrap_key;        // the metatable of {error, traceback} pairs made by the message handler

static gwsh_lua_runtime *runtime_of(lua_State *L) {
    void *ud = NULL;
    lua_getallocf(L, &ud);
    return (gwsh_lua_runtime *)ud;
}

// MARK: - Memory limit

// Counts every block and refuses to grow past the limit; Lua then runs an emergency collection and, if that
// does not help, raises a memory error. Frees and shrinks always succeed, as Lua requires.
static void *gwsh_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    gwsh_lua_runtime *rt = (gwsh_lua_runtime *)ud;
    if (ptr == NULL) osize = 0;   // then osize is only a type tag
    if (nsize == 0) {
        free(ptr);
        rt->memory_used -= osize;
        return NULL;
    }
    if (nsize > osize && nsize - osize > rt->memory_limit - rt->memory_used) return NULL;
    void *block = realloc(ptr, nsize);
    if (block == NULL) return nsize <= osize ? ptr : NULL;
    rt->memory_used = rt->memory_used - osize + nsize;
    return block;
}

static int gwsh_panic(lua_State *L) {
    // Only reachable through a bug in this file: every raising call is meant to be protected.
    const char *message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(not a string)";
    fprintf(stderr, "gwsh: unprotected Lua error: %s\n", message);
    abort();
}

// MARK: - Instruction budget and Ctrl-C

// Once the budget is spent or Ctrl-C is seen, the hook fires on every instruction of every coroutine and
// raises each time, so plugin code cannot swallow the stop with pcall: the first instruction outside the pcall
// raises again.
static void gwsh_count_hook(lua_State *L, lua_Debug *ar);

// Adds `work` to the instruction counter and raises once the budget is spent or Ctrl-C was seen.
static void gwsh_account(lua_State *L, lua_Integer work) {
    gwsh_lua_runtime *rt = runtime_of(L);
    rt->instructions += work;
    if (rt->abort_reason == GWSH_LUA_ABORT_NONE) {
        if (gwsh_interrupt_pending()) {
            gwsh_take_interrupt();
            rt->abort_reason = GWSH_LUA_ABORT_INTERRUPT;
        } else if (rt->instructions >= rt->budget) {
            rt->abort_reason = GWSH_LUA_ABORT_BUDGET;
        }
    }
    if (rt->abort_reason != GWSH_LUA_ABORT_NONE) {
        if (lua_gethookcount(L) != 1) lua_sethook(L, gwsh_count_hook, LUA_MASKCOUNT, 1);
        luaL_error(L, rt->abort_reason == GWSH_LUA_ABORT_BUDGET ? "instruction budget exhausted" : "interrupted");
    }
}

static void gwsh_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    gwsh_account(L, lua_gethookcount(L));
}

// Work done inside a C function (the pattern matcher, lua_patterns.c) costs instructions like Lua code does.
void gwsh_lua_charge(lua_State *L, lua_Integer steps) { gwsh_account(L, steps); }

void gwsh_lua_begin(lua_State *L, lua_Integer budget, lua_Integer timeout_millis) {
    gwsh_lua_runtime *rt = runtime_of(L);
    rt->instructions = 0;
    rt->budget = budget;
    rt->timeout_millis = timeout_millis;
    rt->abort_reason = GWSH_LUA_ABORT_NONE;
    lua_sethook(L, gwsh_count_hook, LUA_MASKCOUNT, GWSH_LUA_HOOK_PERIOD);
}

lua_Integer gwsh_lua_instructions(lua_State *L) { return runtime_of(L)->instructions; }
void gwsh_lua_set_now(lua_State *L, lua_Integer now_millis) { runtime_of(L)->now_millis = now_millis; }
gwsh_lua_abort gwsh_lua_abort_reason(lua_State *L) { return runtime_of(L)->abort_reason; }
size_t gwsh_lua_memory_used(lua_State *L) { return runtime_of(L)->memory_used; }

// Housekeeping Lua code (the end of a load) must run even after a stop, so the stop is set aside meanwhile.
static gwsh_lua_abort gwsh_suspend_abort(lua_State *L) {
    gwsh_lua_runtime *rt = runtime_of(L);
    gwsh_lua_abort saved = rt->abort_reason;
    rt->abort_reason = GWSH_LUA_ABORT_NONE;
    rt->budget = rt->instructions + 1000000;
    lua_sethook(L, gwsh_count_hook, LUA_MASKCOUNT, GWSH_LUA_HOOK_PERIOD);
    return saved;
}

static void gwsh_resume_abort(lua_State *L, gwsh_lua_abort saved) {
    gwsh_lua_runtime *rt = runtime_of(L);
    if (rt->abort_reason == GWSH_LUA_ABORT_NONE) rt->abort_reason = saved;
}

// MARK: - Native functions for the prelude

static int gwsh_l_json_encode(lua_State *L) {
    luaL_checkany(L, 1);
    lua_settop(L, 1);
    gwsh_lua_runtime *rt = runtime_of(L);
    const char *out = NULL;
    size_t length = 0;
    if (!rt->callbacks.encode(rt->callbacks.context, L, 1, &out, &length))
        return luaL_error(L, "json.encode: %s", out);
    lua_pushlstring(L, out, length);
    return 1;
}

static void gwsh_push_json_ops(lua_State *L, const gwsh_json_op *ops, size_t count, const char *bytes) {
    for (size_t i = 0; i < count; i++) {
        const gwsh_json_op *op = &ops[i];
        luaL_checkstack(L, 3, "JSON nested too deeply");
        int size = op->integer > INT_MAX ? INT_MAX : (int)op->integer;
        switch (op->kind) {
        case GWSH_JSON_NULL: lua_rawgetp(L, LUA_REGISTRYINDEX, &gwsh_null_key); break;
        case GWSH_JSON_FALSE: lua_pushboolean(L, 0); break;
        case GWSH_JSON_TRUE: lua_pushboolean(L, 1); break;
        case GWSH_JSON_INTEGER: lua_pushinteger(L, op->integer); break;
        case GWSH_JSON_NUMBER: lua_pushnumber(L, op->number); break;
        case GWSH_JSON_STRING: lua_pushlstring(L, bytes + op->offset, op->length); break;
        case GWSH_JSON_ARRAY:
            lua_createtable(L, size, 0);
            lua_rawgetp(L, LUA_REGISTRYINDEX, &gwsh_array_key);
            lua_setmetatable(L, -2);
            break;
        case GWSH_JSON_OBJECT: lua_createtable(L, 0, size); break;
        case GWSH_JSON_SET_INDEX: lua_rawseti(L, -2, op->integer); break;
        case GWSH_JSON_SET_FIELD:
            lua_pushlstring(L, bytes + op->offset, op->length);
            lua_insert(L, -2);
            lua_rawset(L, -3);
            break;
        }
    }
}

static int gwsh_l_json_decode(lua_State *L) {
    size_t length = 0;
    const char *text = luaL_checklstring(L, 1, &length);
    gwsh_lua_runtime *rt = runtime_of(L);
    const gwsh_json_op *ops = NULL;
    size_t count = 0;
    const char *bytes = NULL;
    if (!rt->callbacks.decode(rt->callbacks.context, text, length, &ops, &count, &bytes))
        return luaL_error(L, "json.decode: %s", bytes);
    // No Lua code can run while the tape is replayed (plugins cannot set __gc), so it stays valid.
    gwsh_push_json_ops(L, ops, count, bytes);
    return 1;
}

static int gwsh_l_log(lua_State *L) {
    size_t length = 0;
    const char *line = luaL_checklstring(L, 1, &length);
    gwsh_lua_runtime *rt = runtime_of(L);
    rt->callbacks.log(rt->callbacks.context, line, length);
    return 0;
}

// The virtual clock now: the call's start plus the simulated time its instructions took (os.time, os.clock).
static int gwsh_l_now_millis(lua_State *L) {
    gwsh_lua_runtime *rt = runtime_of(L);
    lua_pushinteger(L, rt->now_millis + rt->instructions / GWSH_LUA_INSTRUCTIONS_PER_MILLISECOND);
    lua_pushinteger(L, rt->instructions / GWSH_LUA_INSTRUCTIONS_PER_MILLISECOND);
    return 2;
}

// context.getRemainingTimeInMillis(): the timeout minus the simulated time spent so far.
static int gwsh_l_remaining_millis(lua_State *L) {
    gwsh_lua_runtime *rt = runtime_of(L);
    lua_Integer remaining = rt->timeout_millis - rt->instructions / GWSH_LUA_INSTRUCTIONS_PER_MILLISECOND;
    lua_pushinteger(L, remaining > 0 ? remaining : 0);
    return 1;
}

// MARK: - Errors

// The message handler of the host's calls: pairs the error with a traceback taken where it was raised.
// After a stop (budget, Ctrl-C) it allocates nothing and lets the host report the stop.
static int gwsh_message_handler(lua_State *L) {
    if (runtime_of(L)->abort_reason != GWSH_LUA_ABORT_NONE) return 1;
    lua_createtable(L, 2, 0);
    lua_pushvalue(L, 1);
    lua_rawseti(L, -2, 1);
    luaL_traceback(L, L, NULL, 1);
    lua_rawseti(L, -2, 2);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &gwsh_wrap_key);
    lua_setmetatable(L, -2);
    return 1;
}

// Replaces the error value on top with two values: the error and its traceback (nil when none was taken).
static void gwsh_unpack_error(lua_State *L) {
    int wrapped = 0;
    if (lua_getmetatable(L, -1)) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &gwsh_wrap_key);
        wrapped = lua_rawequal(L, -1, -2);
        lua_pop(L, 2);
    }
    if (wrapped) {
        lua_rawgeti(L, -1, 1);
        lua_rawgeti(L, -2, 2);
        lua_remove(L, -3);
    } else {
        lua_pushnil(L);
    }
}

static void gwsh_push_internal(lua_State *L, const char *name) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &gwsh_internal_key);
    lua_getfield(L, -1, name);
    lua_remove(L, -2);
}

// Runs `body` with `args` as a light userdata under lua_pcall: the one way Swift enters Lua.
static int gwsh_protected(lua_State *L, lua_CFunction body, void *args, int nresults) {
    if (!lua_checkstack(L, 2)) return LUA_ERRMEM;
    lua_pushcfunction(L, body);
    lua_pushlightuserdata(L, args);
    return lua_pcall(L, 1, nresults, 0);
}

// MARK: - State

lua_State *gwsh_lua_open(size_t memory_limit, gwsh_lua_callbacks callbacks) {
    gwsh_lua_runtime *rt = calloc(1, sizeof *rt);
    if (rt == NULL) return NULL;
    rt->memory_limit = memory_limit;
    rt->budget = LUA_MAXINTEGER;
    rt->callbacks = callbacks;
    lua_State *L = lua_newstate(gwsh_alloc, rt);
    if (L == NULL) {
        free(rt);
        return NULL;
    }
    lua_atpanic(L, gwsh_panic);
    return L;
}

void gwsh_lua_close(lua_State *L) {
    gwsh_lua_runtime *rt = runtime_of(L);
    lua_close(L);
    free(rt);
}

typedef struct gwsh_setup_args {
    const char *prelude;
    size_t length;
    lua_Integer seed;
} gwsh_setup_args;

static int gwsh_do_setup(lua_State *L) {
    gwsh_setup_args *a = lua_touserdata(L, 1);
    lua_settop(L, 0);
    // Only the pure libraries: no io, os, package or debug (and the prelude trims base further).
    static const luaL_Reg libraries[] = {
        {LUA_GNAME, luaopen_base},       {LUA_TABLIBNAME, luaopen_table}, {LUA_STRLIBNAME, luaopen_string},
        {LUA_MATHLIBNAME, luaopen_math}, {LUA_UTF8LIBNAME, luaopen_utf8}, {LUA_COLIBNAME, luaopen_coroutine},
        {NULL, NULL},
    };
    for (const luaL_Reg *library = libraries; library->name != NULL; library++) {
        luaL_requiref(L, library->name, library->func, 1);
        lua_pop(L, 1);
    }
#if GWSH_LUA_SAFE_PATTERNS
    gwsh_lua_install_patterns(L);   // find/match/gmatch/gsub that the budget and Ctrl-C can stop
#endif
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &gwsh_wrap_key);

    if (luaL_loadbufferx(L, a->prelude, a->length, "=[gwsh]", "t") != LUA_OK) return lua_error(L);
    static const luaL_Reg native[] = {
        {"encode", gwsh_l_json_encode}, {"decode", gwsh_l_json_decode}, {"log", gwsh_l_log}, {"now", gwsh_l_now_millis}, {NULL, NULL},
    };
    luaL_newlib(L, native);
    lua_pushinteger(L, a->seed);
    lua_call(L, 2, 1);
    lua_getfield(L, -1, "null");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &gwsh_null_key);
    lua_getfield(L, -1, "array_mt");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &gwsh_array_key);
    lua_getfield(L, -1, "functions");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &gwsh_functions_key);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &gwsh_internal_key);
    return 0;
}

int gwsh_lua_setup(lua_State *L, const char *prelude, size_t length, lua_Integer seed) {
    gwsh_setup_args args = {prelude, length, seed};
    return gwsh_protected(L, gwsh_do_setup, &args, 0);
}

// MARK: - Loading a plugin

typedef struct gwsh_load_args {
    const char *source;
    size_t length;
    const char *chunkname;
} gwsh_load_args;

static int gwsh_do_load(lua_State *L) {
    gwsh_load_args *a = lua_touserdata(L, 1);
    lua_settop(L, 0);
    lua_pushcfunction(L, gwsh_message_handler);   // 1
    gwsh_push_internal(L, "begin_load");
    lua_pushstring(L, a->chunkname);
    lua_call(L, 1, 0);

    // "@name" makes messages say `name:line:`; mode "t" refuses precompiled chunks.
    lua_pushfstring(L, "@%s", a->chunkname);       // 2
    int status = luaL_loadbufferx(L, a->source, a->length, lua_tostring(L, 2), "t");
    lua_remove(L, 2);
    if (status == LUA_OK) status = lua_pcall(L, 0, 0, 1);
    if (status == LUA_OK) lua_pushnil(L);
    gwsh_unpack_error(L);                          // 2 error, 3 traceback

    gwsh_lua_abort saved = gwsh_suspend_abort(L);
    gwsh_push_internal(L, "finish_load");
    lua_pushboolean(L, status == LUA_OK);
    lua_call(L, 1, 1);                             // 4 name -> timeout
    gwsh_resume_abort(L, saved);

    lua_pushinteger(L, status);
    lua_replace(L, 1);
    return 4;
}

int gwsh_lua_load(lua_State *L, const char *source, size_t length, const char *chunkname) {
    gwsh_load_args args = {source, length, chunkname};
    return gwsh_protected(L, gwsh_do_load, &args, 4);
}

// MARK: - Invoking a function

typedef struct gwsh_invoke_args {
    const char *name;
    const gwsh_json_op *ops;
    size_t count;
    const char *bytes;
} gwsh_invoke_args;

static int gwsh_do_invoke(lua_State *L) {
    gwsh_invoke_args *a = lua_touserdata(L, 1);
    lua_settop(L, 0);
    lua_pushcfunction(L, gwsh_message_handler);             // 1
    lua_rawgetp(L, LUA_REGISTRYINDEX, &gwsh_functions_key);  // 2
    lua_pushstring(L, a->name);
    if (lua_rawget(L, 2) != LUA_TTABLE) {                   // 3 the registration
        lua_pushinteger(L, GWSH_LUA_NOT_FOUND);
        lua_pushnil(L);
        lua_pushnil(L);
        return 3;
    }
    lua_getfield(L, 3, "fn");                               // 4 the handler
    gwsh_push_json_ops(L, a->ops, a->count, a->bytes);      // 5 event, 6 context
    lua_pushcfunction(L, gwsh_l_remaining_millis);
    lua_setfield(L, 6, "getRemainingTimeInMillis");

    // The handler is called from C directly, so its traceback holds only plugin frames.
    int status = lua_pcall(L, 2, 1, 1);                     // 4 result or error
    if (status == LUA_OK) lua_pushnil(L);
    else gwsh_unpack_error(L);
    lua_pushinteger(L, status);
    lua_insert(L, -3);
    return 3;
}

int gwsh_lua_invoke(lua_State *L, const char *name, const gwsh_json_op *ops, size_t count, const char *bytes) {
    gwsh_invoke_args args = {name, ops, count, bytes};
    return gwsh_protected(L, gwsh_do_invoke, &args, 3);
}

// MARK: - The `lua` prompt

typedef struct gwsh_eval_args {
    const char *source;
    size_t length;
} gwsh_eval_args;

static int gwsh_do_eval(lua_State *L) {
    gwsh_eval_args *a = lua_touserdata(L, 1);
    lua_settop(L, 0);
    lua_pushcfunction(L, gwsh_message_handler);                   // 1
    lua_pushliteral(L, "return ");
    lua_pushlstring(L, a->source, a->length);
    lua_concat(L, 2);                                             // 2 "return LINE"
    size_t n;
    const char *expression = lua_tolstring(L, 2, &n);
    int status = luaL_loadbufferx(L, expression, n, "=lua", "t"); // 3 chunk or message
    lua_remove(L, 2);                                             // 2
    if (status != LUA_OK) {
        lua_pop(L, 1);
        status = luaL_loadbufferx(L, a->source, a->length, "=lua", "t");   // 2
    }
    if (status != LUA_OK) {
        size_t ml = 0;
        const char *message = lua_tolstring(L, 2, &ml);
        int incomplete = status == LUA_ERRSYNTAX && message != NULL && ml >= 5 && memcmp(message + ml - 5, "<eof>", 5) == 0;
        lua_pushinteger(L, incomplete ? GWSH_LUA_INCOMPLETE : status);
        lua_replace(L, 1);                                        // 1 status, 2 message
        lua_pushnil(L);                                           // 3
        return 3;
    }
    status = lua_pcall(L, 0, LUA_MULTRET, 1);                     // 2.. results, or 2 error
    if (status != LUA_OK) {
        gwsh_unpack_error(L);                                     // 2 error, 3 traceback
        lua_pushinteger(L, status);
        lua_replace(L, 1);
        return 3;
    }
    int count = lua_gettop(L) - 1;
    gwsh_push_internal(L, "show");                                // the values as text, formatted in Lua
    lua_insert(L, 2);
    lua_pushinteger(L, count);
    lua_insert(L, 3);
    lua_call(L, count + 1, 1);                                    // 2 text
    lua_pushinteger(L, LUA_OK);
    lua_replace(L, 1);
    lua_pushnil(L);
    return 3;
}

int gwsh_lua_eval(lua_State *L, const char *source, size_t length) {
    gwsh_eval_args args = {source, length};
    return gwsh_protected(L, gwsh_do_eval, &args, 3);
}

static int gwsh_do_collect(lua_State *L) {
    lua_gc(L, LUA_GCCOLLECT);
    return 0;
}

void gwsh_lua_collect(lua_State *L) {
    if (gwsh_protected(L, gwsh_do_collect, NULL, 0) != LUA_OK) lua_pop(L, 1);
}

// MARK: - Reading helpers

int gwsh_lua_is_null(lua_State *L, int index) {
    index = lua_absindex(L, index);
    if (!lua_checkstack(L, 1)) return 0;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &gwsh_null_key);
    int is_null = lua_rawequal(L, index, -1);
    lua_pop(L, 1);
    return is_null;
}

int gwsh_lua_is_array(lua_State *L, int index) {
    index = lua_absindex(L, index);
    if (!lua_checkstack(L, 2) || !lua_getmetatable(L, index)) return 0;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &gwsh_array_key);
    int is_array = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    return is_array;
}

void gwsh_lua_pop(lua_State *L, int n) { lua_pop(L, n); }
