/*
 * boardview.h: the board as the user sees it on the command line: the devicetree options
 * shared by `sentry-sim run`, `test` and `board`, and the board table `sentry-sim board`
 * prints (docs/devicetree.md).
 *
 * Lifecycle: a zeroed BoardArgs -> boardview_option_group() added to a GOptionContext ->
 * parse -> boardview_options() for sysdesc_load_board() (or boardview_argv() to pass the
 * same options on to a child run) -> boardview_args_clear().
 */
#ifndef SIM_SCENARIO_BOARDVIEW_H
#define SIM_SCENARIO_BOARDVIEW_H

#include <stdio.h>

#include <glib.h>

#include "sim/scenario/sysdesc.h"

typedef struct {
	char *devicetree; /* --devicetree FILE */
	GStrv includes;   /* --dts-include DIR, repeated */
	GStrv defines;    /* -D NAME[=VALUE], repeated */
} BoardArgs;

/* The "devicetree" option group, writing into |a| (which must outlive the context). */
GOptionGroup *boardview_option_group(BoardArgs *a);
/* |a| as loader options; the strings stay |a|'s. */
SysBoardOptions boardview_options(const BoardArgs *a);
/* The same options as command-line words, for a child `sentry-sim run`. Free with
 * g_strfreev. */
GStrv boardview_argv(const BoardArgs *a);
void boardview_args_clear(BoardArgs *a);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(BoardArgs, boardview_args_clear)

/* Print the board of |d| as tables: the platform, devices, SHMs, DMA streams and IRQs, each
 * row with its owner and where it was declared (INI line or devicetree file:line). */
void boardview_print(const SysDesc *d, FILE *out);

/* `sentry-sim board [OPTIONS] FILE`: load FILE and print its board. |exit_text| ends the
 * --help text (the program's table of exit statuses). Returns 0, or 2 when the description
 * does not load. */
int boardview_command(int argc, char **argv, const char *exit_text);

#endif
