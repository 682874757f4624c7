/*
 * elf.h: what the daemon needs to know about a task binary before it runs it: where a
 * configured entry symbol is, and whether the binary carries the sentry-sim runtime.
 */
#ifndef SIM_HOST_ELF_H
#define SIM_HOST_ELF_H

#include <glib.h>
#include <stdint.h>

/* Find function or object |symbol| in the symbol tables of the ELF file |path|. On
 * success *|value| is its address relative to the load base (what the runtime adds to
 * the executable's base). Fails with a message naming the file when the file is not a
 * native ELF executable or has no such symbol. */
gboolean elf_find_symbol(const char *path, const char *symbol, uint64_t *value, GError **error);

#endif
