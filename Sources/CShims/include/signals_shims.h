#ifndef GWSH_SIGNALS_SHIMS_H
#define GWSH_SIGNALS_SHIMS_H
#include <signal.h>

/// Set to 1 by the SIGINT handler; the REPL, the Stepper and the Lua count hook poll it.
int gwsh_interrupt_pending(void);
/// Reads and clears the flag.
int gwsh_take_interrupt(void);
void gwsh_clear_interrupt(void);
/// Installs a SIGINT handler that only sets the flag, without SA_RESTART, so that a blocking read()
/// returns EINTR and the line editor can clear the line.
void gwsh_install_sigint_handler(void);
/// Raises the flag from code (tests, `serve` shutdown).
void gwsh_raise_interrupt(void);
#endif
