// Lua 5.4 pattern matching with a step budget: see lua_patterns.h.
//
// The semantics (and every error message) are those of Lua 5.4.4's lstrlib.c, which is the reference the tests
// compare against: the same backtracking algorithm over the same pattern items, the same capture rules, the same
// recursion bound. What differs is that the matcher counts its work, in VM instructions of about the same cost
// (the PAT_COST_ constants, measured against Lua 5.4's VM): each item tried at a position, each repetition
// counted by a greedy quantifier, each subject byte scanned by %b, each pattern byte of a set scanned, every 256
// bytes compared by a back-reference or a plain find. Every PAT_PERIOD instructions' worth the work is
// charged to the instruction budget with gwsh_lua_charge, which polls Ctrl-C and raises exactly as the count hook
// does once the budget is spent or Ctrl-C was pressed. Raising from here is safe: these are Lua C functions,
// called by Lua under the host's pcall, and the matcher holds nothing that needs freeing (its state is on the C
// stack or in a userdata).
#include "lua_patterns.h"
#include "lua_shims.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include <lauxlib.h>

#define PAT_ESC '%'
#define PAT_SPECIALS "^$*+?.([%-"
/// Lua's MAXCCALLS for the matcher: the deepest the recursive matcher may go.
#define PAT_MAX_DEPTH 200
/// Lua's LUA_MAXCAPTURES.
#define PAT_MAX_CAPTURES 32
/// Capture lengths that are not lengths.
#define PAT_CAP_OPEN (-1)
#define PAT_CAP_POSITION (-2)
/// Work between two charges to the budget, in instructions (the count hook runs every 1000 instructions too).
#define PAT_PERIOD 1000
/// Bytes compared (memcmp) per PAT_COST_COMPARE.
#define PAT_COMPARE_CHUNK 256
/// What the matcher's work costs, in instructions: an item tried at a position (one turn of pat_match's loop), one
/// repetition counted by a greedy quantifier, one byte scanned by %b or in a set, one chunk compared or one
/// candidate of a plain find. (A turn of the matcher takes about as long as four VM instructions.)
#define PAT_COST_MATCH 4
#define PAT_COST_REPEAT 2
#define PAT_COST_BYTE 1
#define PAT_COST_COMPARE 3

#define pat_byte(c) ((unsigned char)(c))

typedef struct pat_state {
    const char *subject;       // the subject's first byte
    const char *subject_end;   // one past its last byte (a '\0': Lua strings are terminated)
    const char *pattern_end;   // one past the pattern's last byte (a '\0' too)
    lua_State *L;
    int depth_left;            // recursion still allowed
    int level;                 // captures opened so far (finished or not)
    lua_Integer steps_left;    // work (instructions) until the next charge
    struct {
        const char *start;
        ptrdiff_t length;      // or PAT_CAP_OPEN / PAT_CAP_POSITION
    } captures[PAT_MAX_CAPTURES];
} pat_state;

// MARK: - Counting

static void pat_charge(pat_state *ms) {
    lua_Integer used = PAT_PERIOD - ms->steps_left;
    ms->steps_left = PAT_PERIOD;
    gwsh_lua_charge(ms->L, used);   // may raise (budget spent, Ctrl-C)
}

#define PAT_STEP(ms, cost)                                                                                         \
    do {                                                                                                           \
        if (((ms)->steps_left -= (lua_Integer)(cost)) <= 0) pat_charge(ms);                                        \
    } while (0)

static void pat_prepare(pat_state *ms, lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    ms->L = L;
    ms->subject = s;
    ms->subject_end = s + ls;
    ms->pattern_end = p + lp;
    ms->depth_left = PAT_MAX_DEPTH;
    ms->level = 0;
    ms->steps_left = PAT_PERIOD;
}

/// Before each match attempt. (Also resets what an error in an earlier attempt may have left behind.)
static void pat_restart(pat_state *ms) {
    ms->level = 0;
    ms->depth_left = PAT_MAX_DEPTH;
}

/// Whether `n` bytes at `a` and `b` are equal, counting the chunks compared.
static int pat_equal(pat_state *ms, const char *a, const char *b, size_t n) {
    while (n > PAT_COMPARE_CHUNK) {
        if (memcmp(a, b, PAT_COMPARE_CHUNK) != 0) return 0;
        a += PAT_COMPARE_CHUNK;
        b += PAT_COMPARE_CHUNK;
        n -= PAT_COMPARE_CHUNK;
        PAT_STEP(ms, PAT_COST_COMPARE);
    }
    return memcmp(a, b, n) == 0;
}

// MARK: - Single characters

/// Whether byte `c` is in class `%cl` (an upper-case letter is the complement; another byte stands for itself).
static int pat_in_class(int c, int cl) {
    int yes;
    switch (tolower(cl)) {
    case 'a': yes = isalpha(c); break;
    case 'c': yes = iscntrl(c); break;
    case 'd': yes = isdigit(c); break;
    case 'g': yes = isgraph(c); break;
    case 'l': yes = islower(c); break;
    case 'p': yes = ispunct(c); break;
    case 's': yes = isspace(c); break;
    case 'u': yes = isupper(c); break;
    case 'w': yes = isalnum(c); break;
    case 'x': yes = isxdigit(c); break;
    case 'z': yes = (c == 0); break;   // deprecated, but Lua 5.4 still has it
    default: return cl == c;
    }
    return islower(cl) ? yes : !yes;
}

/// Whether byte `c` is in the set `[...]` that starts at `p` and whose closing ']' is at `close`.
static int pat_in_set(pat_state *ms, int c, const char *p, const char *close) {
    const char *start = p;
    int inside = 1;
    int found = 0;
    if (p[1] == '^') {
        inside = 0;
        p++;
    }
    while (++p < close) {
        if (*p == PAT_ESC) {
            p++;
            if (pat_in_class(c, pat_byte(*p))) { found = 1; break; }
        } else if (p[1] == '-' && p + 2 < close) {
            p += 2;
            if (pat_byte(p[-2]) <= c && c <= pat_byte(*p)) { found = 1; break; }
        } else if (pat_byte(*p) == c) {
            found = 1;
            break;
        }
    }
    PAT_STEP(ms, (p - start) * PAT_COST_BYTE);
    return found ? inside : !inside;
}

/// Where the single-character item at `p` ends (its optional quantifier); raises for a malformed item.
static const char *pat_item_end(pat_state *ms, const char *p) {
    switch (*p++) {
    case PAT_ESC:
        if (p == ms->pattern_end) luaL_error(ms->L, "malformed pattern (ends with '%%')");
        return p + 1;
    case '[':
        if (*p == '^') p++;
        do {   // the first byte is never the closing ']'
            if (p == ms->pattern_end) luaL_error(ms->L, "malformed pattern (missing ']')");
            if (*(p++) == PAT_ESC && p < ms->pattern_end) p++;   // an escape such as '%]'
        } while (*p != ']');
        return p + 1;
    default:
        return p;
    }
}

/// Whether the subject byte at `s` matches the item `p`..`end`.
static int pat_single(pat_state *ms, const char *s, const char *p, const char *end) {
    if (s >= ms->subject_end) return 0;
    int c = pat_byte(*s);
    switch (*p) {
    case '.': return 1;
    case PAT_ESC: return pat_in_class(c, pat_byte(p[1]));
    case '[': return pat_in_set(ms, c, p, end - 1);
    default: return pat_byte(*p) == c;
    }
}

// MARK: - The matcher

static const char *pat_match(pat_state *ms, const char *s, const char *p);

/// %bxy at `p` (pointing at x): the end of a balanced run starting at `s`, or NULL.
static const char *pat_balanced(pat_state *ms, const char *s, const char *p) {
    if (p >= ms->pattern_end - 1) luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
    if (*s != *p) return NULL;
    int open = *p, close = p[1], nesting = 1;
    while (++s < ms->subject_end) {
        PAT_STEP(ms, PAT_COST_BYTE);
        if (*s == close) {
            if (--nesting == 0) return s + 1;
        } else if (*s == open) {
            nesting++;
        }
    }
    return NULL;
}

/// Greedy repetition (`*`, and `+` after its first match): as many as possible, then fewer.
static const char *pat_repeat_max(pat_state *ms, const char *s, const char *p, const char *end) {
    ptrdiff_t count = 0;
    while (pat_single(ms, s + count, p, end)) {
        count++;
        PAT_STEP(ms, PAT_COST_REPEAT);
    }
    for (; count >= 0; count--) {
        const char *result = pat_match(ms, s + count, end + 1);
        if (result != NULL) return result;
    }
    return NULL;
}

/// Lazy repetition (`-`): as few as possible, then more.
static const char *pat_repeat_min(pat_state *ms, const char *s, const char *p, const char *end) {
    for (;;) {
        const char *result = pat_match(ms, s, end + 1);
        if (result != NULL) return result;
        if (!pat_single(ms, s, p, end)) return NULL;
        s++;
    }
}

static const char *pat_open_capture(pat_state *ms, const char *s, const char *p, ptrdiff_t kind) {
    int level = ms->level;
    if (level >= PAT_MAX_CAPTURES) luaL_error(ms->L, "too many captures");
    ms->captures[level].start = s;
    ms->captures[level].length = kind;
    ms->level = level + 1;
    const char *result = pat_match(ms, s, p);
    if (result == NULL) ms->level--;   // undo
    return result;
}

static const char *pat_close_capture(pat_state *ms, const char *s, const char *p) {
    int level = ms->level - 1;
    while (level >= 0 && ms->captures[level].length != PAT_CAP_OPEN) level--;
    if (level < 0) luaL_error(ms->L, "invalid pattern capture");
    ms->captures[level].length = s - ms->captures[level].start;
    const char *result = pat_match(ms, s, p);
    if (result == NULL) ms->captures[level].length = PAT_CAP_OPEN;   // undo
    return result;
}

/// %1-%9 (and %0, an error) in a pattern: the subject at `s` must repeat the capture.
static const char *pat_back_reference(pat_state *ms, const char *s, int digit) {
    int index = digit - '1';
    if (index < 0 || index >= ms->level || ms->captures[index].length == PAT_CAP_OPEN)
        luaL_error(ms->L, "invalid capture index %%%d", index + 1);
    size_t length = (size_t)ms->captures[index].length;   // a position capture never fits
    if ((size_t)(ms->subject_end - s) >= length && pat_equal(ms, ms->captures[index].start, s, length))
        return s + length;
    return NULL;
}

/// Matches pattern `p` (up to the pattern's end) at subject position `s`: the end of the match, or NULL.
/// Recursive where the pattern branches; a straight run of items loops instead.
static const char *pat_match(pat_state *ms, const char *s, const char *p) {
    if (ms->depth_left-- == 0) luaL_error(ms->L, "pattern too complex");
    for (;;) {
        PAT_STEP(ms, PAT_COST_MATCH);
        if (p == ms->pattern_end) break;
        switch (*p) {
        case '(':
            s = p[1] == ')' ? pat_open_capture(ms, s, p + 2, PAT_CAP_POSITION)
                            : pat_open_capture(ms, s, p + 1, PAT_CAP_OPEN);
            goto done;
        case ')':
            s = pat_close_capture(ms, s, p + 1);
            goto done;
        case '$':
            if (p + 1 == ms->pattern_end) {   // an anchor only as the pattern's last byte
                if (s != ms->subject_end) s = NULL;
                goto done;
            }
            break;
        case PAT_ESC:
            switch (p[1]) {
            case 'b':
                s = pat_balanced(ms, s, p + 2);
                if (s == NULL) goto done;
                p += 4;
                continue;
            case 'f': {
                p += 2;
                if (*p != '[') luaL_error(ms->L, "missing '[' after '%%f' in pattern");
                const char *end = pat_item_end(ms, p);
                int previous = s == ms->subject ? '\0' : pat_byte(s[-1]);
                if (!pat_in_set(ms, previous, p, end - 1) && pat_in_set(ms, pat_byte(*s), p, end - 1)) {
                    p = end;
                    continue;
                }
                s = NULL;
                goto done;
            }
            case '0': case '1': case '2': case '3': case '4':
            case '5': case '6': case '7': case '8': case '9':
                s = pat_back_reference(ms, s, pat_byte(p[1]));
                if (s == NULL) goto done;
                p += 2;
                continue;
            default:
                break;
            }
            break;
        default:
            break;
        }

        // A single-character item and its optional quantifier.
        const char *end = pat_item_end(ms, p);
        if (!pat_single(ms, s, p, end)) {
            if (*end == '*' || *end == '?' || *end == '-') {   // zero repetitions are fine
                p = end + 1;
                continue;
            }
            s = NULL;   // '+' or no quantifier
            goto done;
        }
        switch (*end) {
        case '?': {
            const char *result = pat_match(ms, s + 1, end + 1);
            if (result != NULL) {
                s = result;
                goto done;
            }
            p = end + 1;
            continue;
        }
        case '+':
            s = pat_repeat_max(ms, s + 1, p, end);
            goto done;
        case '*':
            s = pat_repeat_max(ms, s, p, end);
            goto done;
        case '-':
            s = pat_repeat_min(ms, s, p, end);
            goto done;
        default:
            s++;
            p = end;
            continue;
        }
    }
done:
    ms->depth_left++;
    return s;
}

// MARK: - Captures

/// Capture `i` of a match `s`..`e`: its length and start in *start, or PAT_CAP_POSITION after pushing the
/// position. With no captures, capture 0 is the whole match.
static ptrdiff_t pat_get_capture(pat_state *ms, int i, const char *s, const char *e, const char **start) {
    if (i >= ms->level) {
        if (i != 0) luaL_error(ms->L, "invalid capture index %%%d", i + 1);
        *start = s;
        return e - s;
    }
    ptrdiff_t length = ms->captures[i].length;
    *start = ms->captures[i].start;
    if (length == PAT_CAP_OPEN) luaL_error(ms->L, "unfinished capture");
    else if (length == PAT_CAP_POSITION) lua_pushinteger(ms->L, (ms->captures[i].start - ms->subject) + 1);
    return length;
}

static void pat_push_capture(pat_state *ms, int i, const char *s, const char *e) {
    const char *start;
    ptrdiff_t length = pat_get_capture(ms, i, s, e, &start);
    if (length != PAT_CAP_POSITION) lua_pushlstring(ms->L, start, (size_t)length);
}

/// Pushes every capture (or the whole match `s`..`e` when there are none and `s` is given); returns how many.
static int pat_push_captures(pat_state *ms, const char *s, const char *e) {
    int count = (ms->level == 0 && s != NULL) ? 1 : ms->level;
    luaL_checkstack(ms->L, count, "too many captures");
    for (int i = 0; i < count; i++) pat_push_capture(ms, i, s, e);
    return count;
}

// MARK: - The library functions

/// A 1-based, possibly negative, start position as a 1-based position clipped to [1, ∞).
static size_t pat_start_position(lua_Integer position, size_t length) {
    if (position > 0) return (size_t)position;
    if (position == 0) return 1;
    if (position < -(lua_Integer)length) return 1;
    return length + (size_t)position + 1;
}

static int pat_has_specials(const char *p, size_t length) {
    for (size_t i = 0; i < length; i++)
        if (p[i] != '\0' && strchr(PAT_SPECIALS, p[i]) != NULL) return 1;
    return 0;
}

/// The first occurrence of `p` (length `lp`) in `s` (length `ls`), or NULL.
static const char *pat_find_plain(pat_state *ms, const char *s, size_t ls, const char *p, size_t lp) {
    if (lp == 0) return s;
    if (lp > ls) return NULL;
    const char *last = s + (ls - lp);   // the last place it could start
    while (s <= last) {
        const char *candidate = memchr(s, *p, (size_t)(last - s) + 1);
        if (candidate == NULL) return NULL;
        PAT_STEP(ms, PAT_COST_COMPARE);
        if (pat_equal(ms, candidate + 1, p + 1, lp - 1)) return candidate;
        s = candidate + 1;
    }
    return NULL;
}

static int pat_find_or_match(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = pat_start_position(luaL_optinteger(L, 3, 1), ls) - 1;
    if (init > ls) {   // starts after the end: nothing to find
        luaL_pushfail(L);
        return 1;
    }
    pat_state ms;
    pat_prepare(&ms, L, s, ls, p, lp);
    if (find && (lua_toboolean(L, 4) || !pat_has_specials(p, lp))) {
        const char *found = pat_find_plain(&ms, s + init, ls - init, p, lp);
        pat_charge(&ms);
        if (found != NULL) {
            lua_pushinteger(L, (found - s) + 1);
            lua_pushinteger(L, (lua_Integer)((found - s) + lp));
            return 2;
        }
    } else {
        const char *start = s + init;
        int anchored = (*p == '^');
        if (anchored) p++;   // the pattern's end stays where it is
        do {
            pat_restart(&ms);
            const char *end = pat_match(&ms, start, p);
            if (end != NULL) {
                pat_charge(&ms);
                if (find) {
                    lua_pushinteger(L, (start - s) + 1);
                    lua_pushinteger(L, end - s);
                    return pat_push_captures(&ms, NULL, NULL) + 2;
                }
                return pat_push_captures(&ms, start, end);
            }
        } while (start++ < ms.subject_end && !anchored);
        pat_charge(&ms);
    }
    luaL_pushfail(L);
    return 1;
}

static int pat_l_find(lua_State *L) { return pat_find_or_match(L, 1); }

static int pat_l_match(lua_State *L) { return pat_find_or_match(L, 0); }

/// gmatch's iterator state, a userdata kept as an upvalue next to the subject and the pattern.
typedef struct pat_gmatch {
    const char *next;         // where the next search starts
    const char *pattern;
    const char *last_match;   // the end of the last match (an empty match there is skipped)
    pat_state ms;
} pat_gmatch;

static int pat_gmatch_next(lua_State *L) {
    pat_gmatch *gm = (pat_gmatch *)lua_touserdata(L, lua_upvalueindex(3));
    gm->ms.L = L;   // the iterator may run in another coroutine than gmatch did
    gm->ms.steps_left = PAT_PERIOD;
    for (const char *start = gm->next; start <= gm->ms.subject_end; start++) {
        pat_restart(&gm->ms);
        const char *end = pat_match(&gm->ms, start, gm->pattern);
        if (end != NULL && end != gm->last_match) {
            gm->next = gm->last_match = end;
            pat_charge(&gm->ms);
            return pat_push_captures(&gm->ms, start, end);
        }
    }
    pat_charge(&gm->ms);
    return 0;
}

static int pat_l_gmatch(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = pat_start_position(luaL_optinteger(L, 3, 1), ls) - 1;
    lua_settop(L, 2);   // the closure keeps both strings alive
    pat_gmatch *gm = (pat_gmatch *)lua_newuserdatauv(L, sizeof *gm, 0);
    if (init > ls) init = ls + 1;   // no overflow in s + init
    pat_prepare(&gm->ms, L, s, ls, p, lp);
    gm->next = s + init;
    gm->pattern = p;
    gm->last_match = NULL;
    lua_pushcclosure(L, pat_gmatch_next, 3);
    return 1;
}

/// Appends the replacement string (argument 3) for the match `s`..`e`, expanding %0-%9 and %%.
static void pat_add_string(pat_state *ms, luaL_Buffer *b, const char *s, const char *e) {
    lua_State *L = ms->L;
    size_t length;
    const char *text = lua_tolstring(L, 3, &length);
    const char *escape;
    while ((escape = memchr(text, PAT_ESC, length)) != NULL) {
        luaL_addlstring(b, text, (size_t)(escape - text));
        escape++;   // the byte after '%'
        if (*escape == PAT_ESC) {
            luaL_addchar(b, *escape);
        } else if (*escape == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit(pat_byte(*escape))) {
            const char *start;
            ptrdiff_t captured = pat_get_capture(ms, *escape - '1', s, e, &start);
            if (captured == PAT_CAP_POSITION) luaL_addvalue(b);   // the position was pushed
            else luaL_addlstring(b, start, (size_t)captured);
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", PAT_ESC);
        }
        length -= (size_t)(escape + 1 - text);
        text = escape + 1;
    }
    luaL_addlstring(b, text, length);
}

/// Appends the replacement of the match `s`..`e`; returns whether it changed anything (a function or table
/// giving nil or false keeps the original text).
static int pat_add_replacement(pat_state *ms, luaL_Buffer *b, const char *s, const char *e, int kind) {
    lua_State *L = ms->L;
    switch (kind) {
    case LUA_TFUNCTION: {
        lua_pushvalue(L, 3);
        int count = pat_push_captures(ms, s, e);
        lua_call(L, count, 1);
        break;
    }
    case LUA_TTABLE:
        pat_push_capture(ms, 0, s, e);
        lua_gettable(L, 3);
        break;
    default:   // a string or a number
        pat_add_string(ms, b, s, e);
        return 1;
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1)) return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);
    return 1;
}

static int pat_l_gsub(lua_State *L) {
    size_t ls, lp;
    const char *src = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    const char *last_match = NULL;
    int kind = lua_type(L, 3);
    lua_Integer max_replacements = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    int anchored = (*p == '^');
    lua_Integer count = 0;
    int changed = 0;
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE,
                     3, "string/function/table");
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    pat_state ms;
    pat_prepare(&ms, L, src, ls, p, lp);
    if (anchored) p++;
    while (count < max_replacements) {
        pat_restart(&ms);
        const char *end = pat_match(&ms, src, p);
        if (end != NULL && end != last_match) {
            count++;
            changed = pat_add_replacement(&ms, &b, src, end, kind) | changed;
            src = last_match = end;
        } else if (src < ms.subject_end) {
            luaL_addchar(&b, *src++);
        } else {
            break;
        }
        if (anchored) break;
    }
    pat_charge(&ms);
    if (!changed) {
        lua_pushvalue(L, 1);
    } else {
        luaL_addlstring(&b, src, (size_t)(ms.subject_end - src));
        luaL_pushresult(&b);
    }
    lua_pushinteger(L, count);
    return 2;
}

void gwsh_lua_install_patterns(lua_State *L) {
    static const luaL_Reg functions[] = {
        {"find", pat_l_find}, {"match", pat_l_match}, {"gmatch", pat_l_gmatch}, {"gsub", pat_l_gsub}, {NULL, NULL},
    };
    luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_getfield(L, -1, LUA_STRLIBNAME);   // also the strings' __index
    luaL_setfuncs(L, functions, 0);
    lua_pop(L, 2);
}
