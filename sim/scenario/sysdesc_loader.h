/*
 * sysdesc_loader.h: the state shared by the two halves of the description loader, sysdesc.c
 * (the file, [system], tasks, groups) and sysdesc_board.c (the board groups). Private to
 * sim/scenario: nothing outside the loader includes it.
 *
 * Lifecycle: sysdesc_load() fills a Loader, calls sysdesc_board_init(), runs the group
 * handlers pass by pass, then hands the result over with sysdesc_board_take() (or drops it
 * with sysdesc_board_clear() on error).
 */
#ifndef SIM_SCENARIO_SYSDESC_LOADER_H
#define SIM_SCENARIO_SYSDESC_LOADER_H

#include "sim/scenario/sysdesc.h"

#define SYSDESC_IDLE_LABEL       0xcafeu /* uapi.md 7.3 */
#define SYSDESC_TEST_LABEL       0xbabeu /* uapi.md 7.9 */
#define SYSDESC_REF_EXCHANGE_LEN 128u    /* uapi.md 1.6 */
#define SYSDESC_MAX_FREQ_HZ      10000000000ull
#define SYSDESC_MIN_ADDR         0x1000ull      /* the host maps nothing below mmap_min_addr */
#define SYSDESC_ADDR_END         0x100000000ull /* MCU addresses are 32 bits */
#define SYSDESC_HOST_PAGE        0x1000ull
#define SYSDESC_DEV_CAPS         0x3ffu /* the CAP_DEV_* bits (uapi.md 1.3) */

/* The kinds of board resources, in the order of SysDesc's tables. */
typedef enum {
	KIND_DEVICE,
	KIND_SHM,
	KIND_DMA,
	KIND_COUNT,
} KindId;

/* A declared memory window (device registers or SHM), for the overlap and page checks. */
typedef struct {
	KindId kind;
	const char *name;
	guint64 base, size;
	int owner; /* task index, or -1: never mapped */
	int line;  /* of its 'base' key */
} Window;

typedef struct {
	SysDesc *d;
	const IniFile *ini;
	const char *const *search_path;
	GArray *tasks;             /* of SysTask */
	GArray *ktasks;            /* of KernelTaskConfig */
	GArray *lines;             /* of int: the line of each task's 'label' key */
	GArray *res[KIND_COUNT];   /* of SysResource, per kind */
	GArray *items[KIND_COUNT]; /* of BoardDevice, BoardShm, BoardDma: same indexes */
	GArray *irq_lines;         /* of int: the line of each device's 'interrupts' key */
	GArray *windows;           /* of Window, in file order */
	/* Indexes, so that loading stays linear in the number of resources. Values are an
	 * index + 1 (GUINT_TO_POINTER), names are borrowed from res[]. */
	GHashTable *res_index[KIND_COUNT];   /* name -> resource */
	GHashTable *label_index[KIND_COUNT]; /* label -> resource */
	GHashTable *handles;                 /* device handle -> owned device */
	GHashTable *irq_first;               /* IRQ -> first device that declares it */
	GTree *window_tree;                  /* base -> window (windows never overlap) */
	/* The device being read: keys checked once the whole group is known. */
	int io_lines[BOARD_MAX_IOS];   /* line of 'io.N', 0 when absent */
	int reg_lines[BOARD_MAX_REGS]; /* line of the key of each register reset value */
} Loader;

typedef gboolean (*KeyFn)(Loader *l, guint g, const char *key, GError **error);

typedef struct {
	const char *key; /* the name, or its prefix when |prefix| */
	KeyFn fn;
	bool prefix;       /* a family of keys: "io.0", "io.1"... */
	const char *shown; /* the name in the list of known keys ("io.N"), when |prefix| */
} KeySpec;

/* Shared by both halves (sysdesc.c). */
gboolean sysdesc_get_u32(Loader *l, guint g, const char *key, guint32 min, guint32 max,
                         uint32_t *out, GError **error);
/* Run the handler of every key of group |g|, in file order; unknown keys are refused. */
gboolean sysdesc_load_keys(Loader *l, guint g, const KeySpec *specs, GError **error);
/* The NAME of "[task NAME]" and of the resource groups: letters, digits, '_', '-', '.'. */
gboolean sysdesc_check_name(Loader *l, int line, const char *noun, const char *name,
                            GError **error);

/* The board groups (sysdesc_board.c): one handler per group kind, the page check over every
 * window, and the set-up and hand-over of the board arrays. */
gboolean sysdesc_load_device(Loader *l, guint g, const char *name, GError **error);
gboolean sysdesc_load_shm(Loader *l, guint g, const char *name, GError **error);
gboolean sysdesc_load_dma(Loader *l, guint g, const char *name, GError **error);
void sysdesc_check_pages(Loader *l);
void sysdesc_resource_clear(SysResource *r);
void sysdesc_board_init(Loader *l);
void sysdesc_board_clear(Loader *l);
/* Move the resources into l->d (its board, devices, shms, dmas). */
void sysdesc_board_take(Loader *l);
void sysdesc_board_free(SysDesc *d);

#endif
