#ifndef GWSH_EDIT_SHIMS_H
#define GWSH_EDIT_SHIMS_H
// Wrappers for libedit (<histedit.h>): the variadic el_set/el_get and history() calls that Swift cannot
// import, the locale set-up libedit needs for UTF-8, and a read-character function that turns Ctrl-C
// (the flag set by signals_shims.c) into an interrupted el_gets.
#include <stdio.h>
#include <histedit.h>

/// Signature of a libedit editor command, as registered with `EL_ADDFN` and run by a key binding.
typedef unsigned char (*gwsh_edit_command_fn)(EditLine *el, int key);

/// Selects a UTF-8 character type before `el_init`: `setlocale(LC_CTYPE, "")`, and when that yields no
/// UTF-8 codeset, "C.UTF-8" (glibc) then "UTF-8" (BSD/macOS). Returns 1 when LC_CTYPE ends up UTF-8.
int gwsh_edit_use_utf8_locale(void);

/// `el_init(program, stdin, stdout, stderr)` with gwsh's settings: `EL_EDITOR "emacs"`, no libedit signal
/// handling (`EL_SIGNAL 0`), a prompt read from `gwsh_edit_set_prompt` (`EL_PROMPT_ESC` with '\1' marking
/// non-printing spans), and `EL_GETCFN` = a reader that reports Ctrl-C. `owner` is handed back by
/// `gwsh_edit_owner` (the Swift LineEditor). Returns NULL when libedit cannot be initialised.
EditLine *gwsh_edit_open(const char *program, void *owner);

/// `el_end` plus the gwsh state attached to the editor.
void gwsh_edit_close(EditLine *el);

/// The `owner` given to `gwsh_edit_open` (from `el_get(EL_CLIENTDATA)`).
void *gwsh_edit_owner(EditLine *el);

/// Copies the prompt shown by the next `el_gets` (returns 0, or -1 when out of memory).
int gwsh_edit_set_prompt(EditLine *el, const char *prompt);

/// `el_gets` that also says whether it ended because of Ctrl-C. Returns the line (with its newline) or
/// NULL at end of input, on error, or on interrupt; `*interrupted` is 1 only in the last case, and then
/// the interrupt flag has been cleared. Before an interrupt ends the read, the cursor is moved to the end
/// of the input, so "^C" can be printed after it. Ctrl-C during a Ctrl-R search is an interrupt too
/// (stock libedit would report it like end of input).
const char *gwsh_edit_gets(EditLine *el, int *count, int *interrupted);

/// `el_set(el, EL_ADDFN, name, help, fn)`: registers an editor command. Returns 0 or -1.
int gwsh_edit_add_function(EditLine *el, const char *name, const char *help, gwsh_edit_command_fn fn);

/// `el_set(el, EL_BIND, key, command, NULL)`: binds a key ("^I", "^R") to a command. Returns 0, or -1
/// when libedit does not know the command.
int gwsh_edit_bind(EditLine *el, const char *key, const char *command);

/// `el_get(el, EL_GETTC, "co", &columns)`: the terminal width, or 80 when libedit does not know it.
int gwsh_edit_terminal_columns(EditLine *el);

/// Writes text to the editor's output stream (`el_get(EL_GETFP, 1)`) and flushes it.
void gwsh_edit_write(EditLine *el, const char *text);

/// `pthread_sigmask(SIG_UNBLOCK, {SIGINT})` for the calling thread. A program started from a thread that
/// blocks signals (a test runner's worker, some IDEs) inherits that mask; unblocked, Ctrl-C reaches the
/// flag handler while a command runs, not only while the editor waits for a key.
void gwsh_edit_unblock_sigint(void);

/// `history_init` + `H_SETSIZE size` + `H_SETUNIQUE 1` (consecutive duplicates are not entered).
History *gwsh_history_open(int size);

/// `history_end`.
void gwsh_history_close(History *h);

/// `el_set(el, EL_HIST, history, h)`: the editor's Up/Down and searches use this history.
void gwsh_edit_use_history(EditLine *el, History *h);

/// `history(h, &ev, H_ENTER, line)`. Returns 0 or -1.
int gwsh_history_enter(History *h, const char *line);

/// `history(h, &ev, H_LOAD, path)`. Returns the number of entries read, or -1.
int gwsh_history_load(History *h, const char *path);

/// `history(h, &ev, H_SAVE, path)` (rewrites the file, mode 0600). Returns the number written, or -1.
int gwsh_history_save(History *h, const char *path);

/// `history(h, &ev, H_GETSIZE)`: the number of entries.
int gwsh_history_count(History *h);
#endif
