#include "edit_shims.h"
#include "signals_shims.h"

#include <errno.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

// What gwsh attaches to an EditLine through EL_CLIENTDATA.
struct gwsh_edit_state {
    void *owner;            // the Swift LineEditor, for editor commands written in Swift
    char *prompt;           // returned by gwsh_edit_prompt
    int input_fd;           // the terminal libedit reads from
    enum {
        GWSH_EDIT_READING,          // no Ctrl-C seen during this el_gets
        GWSH_EDIT_MOVING_TO_END,    // Ctrl-C seen; a ^E was handed to libedit to put the cursor at the end
        GWSH_EDIT_INTERRUPTED       // the read has failed with EINTR; el_gets is unwinding
    } interrupt;
};

// Emacs-mode key for ed-move-to-end.
#define GWSH_KEY_MOVE_TO_END ((wchar_t)0x05)

static struct gwsh_edit_state *gwsh_edit_state_of(EditLine *el) {
    void *data = NULL;
    if (el == NULL || el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return (struct gwsh_edit_state *)data;
}

static int gwsh_codeset_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcasecmp(codeset, "UTF-8") == 0 || strcasecmp(codeset, "utf8") == 0);
}

int gwsh_edit_use_utf8_locale(void) {
    if (setlocale(LC_CTYPE, "") != NULL && gwsh_codeset_is_utf8()) return 1;
    static const char *const fallbacks[] = { "C.UTF-8", "C.utf8", "UTF-8", "en_US.UTF-8" };
    for (size_t i = 0; i < sizeof fallbacks / sizeof fallbacks[0]; i++) {
        if (setlocale(LC_CTYPE, fallbacks[i]) != NULL && gwsh_codeset_is_utf8()) return 1;
    }
    return 0;
}

// EL_PROMPT_ESC callback: the prompt most recently set with gwsh_edit_set_prompt.
static char *gwsh_edit_prompt(EditLine *el) {
    static char empty[] = "";
    struct gwsh_edit_state *state = gwsh_edit_state_of(el);
    return state != NULL && state->prompt != NULL ? state->prompt : empty;
}

// Waits until `fd` is readable, with SIGINT deliverable only inside pselect, so a Ctrl-C that lands
// between the flag check and the wait cannot be lost. The wait is cut into slices so that a flag raised
// from another thread (the signal delivered elsewhere, or gwsh_raise_interrupt) is noticed too.
// Returns > 0 when readable, 0 when the slice ended, -1 with errno (EINTR when interrupted).
static int gwsh_wait_readable(int fd) {
    sigset_t sigint, previous, during;
    sigemptyset(&sigint);
    sigaddset(&sigint, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigint, &previous);
    int ready;
    if (gwsh_interrupt_pending()) {
        ready = -1;
        errno = EINTR;
    } else {
        fd_set readable;
        FD_ZERO(&readable);
        FD_SET(fd, &readable);
        struct timespec slice = { 0, 200 * 1000 * 1000 };
        during = previous;
        sigdelset(&during, SIGINT);
        ready = pselect(fd + 1, &readable, NULL, NULL, &slice, &during);
    }
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    errno = saved;
    return ready;
}

// EL_GETCFN callback, replacing libedit's read_char. libedit's own reader retries the first EINTR of
// each character, so a single Ctrl-C would not end el_gets; this one reacts to the interrupt flag:
// first it hands libedit a ^E (cursor to the end of the input, so the display is tidy), then it fails
// with EINTR, which makes el_gets return NULL. Bytes are decoded like libedit does (mbrtowc, UTF-8):
// an invalid byte is dropped, an invalid sequence is dropped except for its last byte, which starts
// the next one. Returns 1 with a character, 0 at end of file, -1 on error or interrupt.
static int gwsh_edit_read_char(EditLine *el, wchar_t *out) {
    struct gwsh_edit_state *state = gwsh_edit_state_of(el);
    *out = L'\0';
    if (state == NULL) {
        errno = EBADF;
        return -1;
    }
    if (state->interrupt != GWSH_EDIT_READING) {
        state->interrupt = GWSH_EDIT_INTERRUPTED;
        errno = EINTR;
        return -1;
    }
    char bytes[MB_LEN_MAX];
    size_t count = 0;
    for (;;) {
        if (gwsh_interrupt_pending()) {
            state->interrupt = GWSH_EDIT_MOVING_TO_END;
            *out = GWSH_KEY_MOVE_TO_END;
            return 1;
        }
        int ready = gwsh_wait_readable(state->input_fd);
        if (ready < 0 && errno != EINTR) return -1;
        if (ready <= 0) continue;
        ssize_t got = read(state->input_fd, bytes + count, 1);
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -1;
        }
        if (got == 0) return 0;
        count++;
        for (;;) {
            mbstate_t shift;
            memset(&shift, 0, sizeof shift);
            wchar_t decoded;
            size_t used = mbrtowc(&decoded, bytes, count, &shift);
            if (used == (size_t)-2) {                  // incomplete: read another byte
                if (count >= sizeof bytes) count = 0;
                break;
            }
            if (used == (size_t)-1) {                  // invalid
                if (count > 1) {
                    bytes[0] = bytes[count - 1];
                    count = 1;
                    continue;
                }
                count = 0;
                break;
            }
            *out = decoded;
            return 1;
        }
    }
}

EditLine *gwsh_edit_open(const char *program, void *owner) {
    struct gwsh_edit_state *state = calloc(1, sizeof *state);
    if (state == NULL) return NULL;
    state->owner = owner;
    state->input_fd = fileno(stdin);
    state->interrupt = GWSH_EDIT_READING;
    EditLine *el = el_init(program, stdin, stdout, stderr);
    if (el == NULL) {
        free(state);
        return NULL;
    }
    el_set(el, EL_CLIENTDATA, (void *)state);
    el_set(el, EL_EDITOR, "emacs");
    el_set(el, EL_SIGNAL, 0);
    el_set(el, EL_PROMPT_ESC, gwsh_edit_prompt, '\1');
    el_set(el, EL_GETCFN, gwsh_edit_read_char);
    return el;
}

void gwsh_edit_close(EditLine *el) {
    if (el == NULL) return;
    struct gwsh_edit_state *state = gwsh_edit_state_of(el);
    el_end(el);
    if (state != NULL) {
        free(state->prompt);
        free(state);
    }
}

void *gwsh_edit_owner(EditLine *el) {
    struct gwsh_edit_state *state = gwsh_edit_state_of(el);
    return state != NULL ? state->owner : NULL;
}

int gwsh_edit_set_prompt(EditLine *el, const char *prompt) {
    struct gwsh_edit_state *state = gwsh_edit_state_of(el);
    if (state == NULL) return -1;
    char *copy = strdup(prompt != NULL ? prompt : "");
    if (copy == NULL) return -1;
    free(state->prompt);
    state->prompt = copy;
    return 0;
}

const char *gwsh_edit_gets(EditLine *el, int *count, int *interrupted) {
    struct gwsh_edit_state *state = gwsh_edit_state_of(el);
    *interrupted = 0;
    *count = 0;
    if (state == NULL) return NULL;
    state->interrupt = GWSH_EDIT_READING;
    const char *line = el_gets(el, count);
    if (state->interrupt != GWSH_EDIT_READING) {
        state->interrupt = GWSH_EDIT_READING;
        gwsh_clear_interrupt();
        *interrupted = 1;
        *count = 0;
        return NULL;
    }
    return line;
}

int gwsh_edit_add_function(EditLine *el, const char *name, const char *help, gwsh_edit_command_fn fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}

int gwsh_edit_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}

int gwsh_edit_terminal_columns(EditLine *el) {
    int columns = 0;
    if (el_get(el, EL_GETTC, "co", &columns) != 0 || columns <= 0) return 80;
    return columns;
}

void gwsh_edit_write(EditLine *el, const char *text) {
    FILE *output = NULL;
    if (el_get(el, EL_GETFP, 1, &output) != 0 || output == NULL) output = stdout;
    fputs(text, output);
    fflush(output);
}

void gwsh_edit_unblock_sigint(void) {
    sigset_t sigint;
    sigemptyset(&sigint);
    sigaddset(&sigint, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &sigint, NULL);
}

History *gwsh_history_open(int size) {
    History *h = history_init();
    if (h == NULL) return NULL;
    HistEvent event;
    history(h, &event, H_SETSIZE, size);
    history(h, &event, H_SETUNIQUE, 1);
    return h;
}

void gwsh_history_close(History *h) {
    if (h != NULL) history_end(h);
}

void gwsh_edit_use_history(EditLine *el, History *h) {
    el_set(el, EL_HIST, history, h);
}

int gwsh_history_enter(History *h, const char *line) {
    HistEvent event;
    return history(h, &event, H_ENTER, line) < 0 ? -1 : 0;
}

int gwsh_history_load(History *h, const char *path) {
    HistEvent event;
    return history(h, &event, H_LOAD, path);
}

int gwsh_history_save(History *h, const char *path) {
    HistEvent event;
    return history(h, &event, H_SAVE, path);
}

int gwsh_history_count(History *h) {
    HistEvent event;
    if (history(h, &event, H_GETSIZE) < 0) return 0;
    return event.num;
}
