#include "signals_shims.h"
#include <string.h>

static volatile sig_atomic_t gwsh_interrupt_flag = 0;

static void gwsh_on_sigint(int sig) {
    (void)sig;
    gwsh_interrupt_flag = 1;   // never do real work in a signal handler
}

int gwsh_interrupt_pending(void) { return gwsh_interrupt_flag != 0; }

int gwsh_take_interrupt(void) {
    int was = gwsh_interrupt_flag != 0;
    gwsh_interrupt_flag = 0;
    return was;
}

void gwsh_clear_interrupt(void) { gwsh_interrupt_flag = 0; }

void gwsh_raise_interrupt(void) { gwsh_interrupt_flag = 1; }

void gwsh_install_sigint_handler(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = gwsh_on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;   // no SA_RESTART: read() must return EINTR
    sigaction(SIGINT, &sa, NULL);
}
