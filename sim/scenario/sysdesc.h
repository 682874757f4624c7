/*
 * sysdesc.h: the system description: which tasks run, with which metadata, on which platform.
 *
 * Lifecycle: sysdesc_load(path) -> read ->kernel (hand it to kernel_new), ->tasks (spawn the
 * processes), print ->warnings -> sysdesc_free().
 *
 * The file is an INI file in GKeyFile syntax: one [system] group (platform and build
 * settings, all optional), one [task NAME] group per task, in task-id order, and the board
 * resources (uapi.md 9): [device NAME], [shm NAME] and [dma NAME] groups, each kind in table
 * order. The format, every key, default and check is documented in
 * docs/system-description.md. Loading checks everything that can be checked without running:
 * values and ranges, unknown groups and keys, duplicates, labels, task counts, that every task
 * binary exists and is executable, owners, handle collisions and memory windows.
 */
#ifndef SIM_SCENARIO_SYSDESC_H
#define SIM_SCENARIO_SYSDESC_H

#include <stdbool.h>

#include <glib.h>

#include "sim/kernel/board.h"
#include "sim/kernel/kernel.h"
#include "sim/scenario/ini.h"

/* Host-side facts of one task; its kernel-side metadata is the KernelTaskConfig of the same
 * index. */
typedef struct {
	char *name;   /* the NAME of "[task NAME]" */
	char *binary; /* resolved absolute path, executable when loaded */
	char *entry;  /* entry function name, or NULL for the default entry (main) */
	int line;     /* line of the "[task NAME]" header */
} SysTask;

/* Host-side facts of one board resource (device, SHM or DMA stream); its kernel-side record
 * is the entry of the same index in SysDesc.board.devices, .shms or .dmas. */
typedef struct {
	char *name;        /* the NAME of "[device NAME]"; the Board entry's name points here */
	int line;          /* line of the group header */
	int label_line;    /* line of the 'label' key */
	int owner;         /* index of the owner task in SysDesc.tasks, or -1 (device only) */
	char **compatible; /* devices: the 'compatible' strings (NULL-terminated, maybe empty);
	                      NULL for SHMs and DMA streams */
	char *model;       /* devices: the 'model' key, or NULL (BoardDevice.model points here) */
} SysResource;

typedef struct {
	char *path;               /* as given to sysdesc_load (it prefixes every message) */
	char *devicetree;         /* the .dts the board came from, or NULL */
	IniFile *ini;             /* the parsed file, for the loaders of later sections */
	KernelConfig kernel;      /* ready for kernel_new(): .tasks = ktasks, .n_tasks = n_tasks;
	                             .seed is the file's seed when seed_given; .board = &board
	                             when the file declares any resource, else NULL */
	bool seed_given;          /* the file set 'seed' (a --seed option still wins) */
	KernelTaskConfig *ktasks; /* n_tasks entries; ktasks[i].name is tasks[i].name */
	SysTask *tasks;           /* n_tasks entries, in file order = task id order */
	guint n_tasks;
	guint64 duration_ns;  /* virtual-time limit of the run; 0 = unlimited */
	Board board;          /* the resources, in file order per kind; every array is owned and
	                         every name points into devices/shms/dmas below */
	SysResource *devices; /* board.n_devices entries */
	SysResource *shms;    /* board.n_shms entries */
	SysResource *dmas;    /* board.n_dmas entries */
	GPtrArray *warnings;  /* of char *, "FILE:LINE: warning: ...", for the caller to print */
} SysDesc;

/*
 * Load and check the description in |path|. A relative task binary is looked up in the
 * directory of |path|, then in each directory of |search_path| (NULL-terminated, may be NULL;
 * relative entries are taken from the current directory); the first executable regular file
 * wins.
 *
 * Returns a new description (free with sysdesc_free), or NULL with |error| set in the
 * INI_ERROR domain; the message reads "FILE:LINE: message" (just "FILE: ..." when the file
 * cannot be read).
 */
SysDesc *sysdesc_load(const char *path, const char *const *search_path, GError **error);

/* Where the board's devicetree comes from, besides the file's own '[system] devicetree'
 * (docs/devicetree.md). Every field may be NULL. */
typedef struct {
	const char *devicetree;      /* a .dts that replaces the file's 'devicetree' */
	const char *const *includes; /* cpp -I directories, before the file's own */
	const char *const *defines;  /* cpp -D NAME[=VALUE] */
} SysBoardOptions;

/* sysdesc_load, with the devicetree options of the command line (|board| may be NULL). */
SysDesc *sysdesc_load_board(const char *path, const char *const *search_path,
                            const SysBoardOptions *board, GError **error);

/* The index of the task called |name|, or -1. */
int sysdesc_find_task(const SysDesc *d, const char *name);
/* The index in the board table of the device, SHM or DMA stream called |name|, or -1. */
int sysdesc_find_device(const SysDesc *d, const char *name);
int sysdesc_find_shm(const SysDesc *d, const char *name);
int sysdesc_find_dma(const SysDesc *d, const char *name);

void sysdesc_free(SysDesc *d);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SysDesc, sysdesc_free)

#endif
