/*
 * symbol-lookup: symbolize_offsets() from the command line, for tests/devtools/symbol-offsets.sh
 * (the API a sanitizer report's "(module+0xoffset)" frames go through).
 *
 *   symbol-lookup ELF OFFSET...   prints "FUNCTION FILE:LINE" per offset ("??" when unknown)
 *
 * Exit status 0, or 2 with a message when the file cannot be symbolized.
 */
#include "config.h"

#include <glib.h>
#include <stdio.h>

#include "sim/host/debug.h"
#include "sim/host/symbolize.h"

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: symbol-lookup ELF OFFSET...\n");
		return 2;
	}
	debug_helper_start();
	guint n = (guint)argc - 2;
	g_autofree uint64_t *offsets = g_new0(uint64_t, n);
	for (guint i = 0; i < n; i++)
		offsets[i] = g_ascii_strtoull(argv[i + 2], NULL, 0);
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) frames = symbolize_offsets(argv[1], offsets, n, &error);
	if (!frames) {
		fprintf(stderr, "symbol-lookup: %s\n", error->message);
		return 2;
	}
	for (guint i = 0; i < frames->len; i++) {
		const SymbolFrame *f = frames->pdata[i];
		printf("%s %s:%d\n", f->function ? f->function : "??", f->file ? f->file : "??",
		       f->line);
	}
	return 0;
}
