#ifndef GWSH_CSHIMS_H
#define GWSH_CSHIMS_H
// C shims for what Swift cannot call directly: Lua's macros and variadic functions, libedit's variadic
// el_set/el_get, and signal set-up. Each header groups the wrappers of one library.
#include "signals_shims.h"
#include "lua_shims.h"
#include "lua_patterns.h"
#include "edit_shims.h"
#endif
