/*
 * devicetree.h: the board of a system description, read from the project's own devicetree.
 *
 * Lifecycle: devicetree_apply() on a loaded IniFile, before the description loader reads it.
 *
 * The .dts is handled as the Sentry build handles it: the C preprocessor first (cpp -nostdinc
 * -undef -x assembler-with-cpp -D__DTS__, the include path and defines given), then dtc, which
 * compiles it to a blob that libfdt reads; no devicetree text is parsed here. A second dtc run
 * writes the tree back as annotated source (dtc -T), whose comments give the file and line of
 * every node and property: those are the positions of our messages.
 *
 * The board found (devices, SHMs, DMA streams, the core frequency) becomes groups and keys of
 * the IniFile, each carrying its devicetree position (ini_add_external): the INI file's own
 * keys win, so the INI file may override or complete any of them, and every check of the
 * loader applies to both sources alike. The mapping is documented in docs/devicetree.md.
 */
#ifndef SIM_SCENARIO_DEVICETREE_H
#define SIM_SCENARIO_DEVICETREE_H

#include <glib.h>

#include "sim/scenario/ini.h"

/* Where the devicetree comes from and how to preprocess it. */
typedef struct {
	const char *path;            /* the .dts, as messages name it */
	const char *const *includes; /* directories for cpp -I, NULL-terminated (may be NULL) */
	const char *const *defines;  /* NAME or NAME=VALUE for cpp -D, NULL-terminated (or NULL) */
} DtSource;

/*
 * Preprocess and compile |src| and add its board to |ini| (see the top of this file). Task
 * owners are found by label among the [task NAME] groups of |ini|. Warnings ("FILE:LINE:
 * warning: ...") are appended to |warnings|.
 *
 * Returns FALSE with |error| set (INI_ERROR domain) when a tool fails (the message is the
 * tool's own, with the file and line it names) or when a value the mapping needs is
 * malformed (the devicetree position prefixes the message).
 */
gboolean devicetree_apply(IniFile *ini, const DtSource *src, GPtrArray *warnings, GError **error);

#endif
