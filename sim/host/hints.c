/*
 * hints.c: hints for the usual first mistakes (see hints.h).
 *
 * A DENIED result is explained only when the capability check is the reason: the call
 * needs a capability (uapi.md 6) and the task's effective set lacks it. Other DENIED
 * results (not the owner of a device, an SHM without credentials) get no hint.
 */
#include "config.h"

#include <inttypes.h>

#include <uapi/capability.h>
#include <uapi/types.h>

#include "sim/host/hints.h"
#include "sim/kernel/views.h"

#define HINTS_NSYSCALLS 64

struct hints {
	Output *out;
	uint32_t num_irqs;
	bool autotest; /* capabilities come from the global set, not the [task] group */
	uint32_t n;
	uint32_t *last_nr;   /* per task: the call it trapped with, UINT32_MAX: none */
	uint32_t *last_arg0; /* ... its first argument */
	uint64_t *denied;    /* per task: bit nr set once the DENIED hint of call nr is shown */
	GHashTable *enabled; /* IRQ numbers some task enabled (OK) at least once */
};

/* What call |nr| (with first argument |a0|) needs, in words; 0 when it needs none. */
static uint32_t needed_caps(uint32_t nr, uint32_t a0, const char **words)
{
	static const struct {
		uint32_t caps;
		const char *words;
	} need[HINTS_NSYSCALLS] = {
	    [SYSCALL_START] = {CAP_SYS_PROCSTART, "CAP_SYS_PROCSTART"},
	    [SYSCALL_MAP_SHM] = {CAP_MEM_SHM_USE, "CAP_MEM_SHM_USE"},
	    [SYSCALL_SHM_SET_CREDENTIAL] = {CAP_MEM_SHM_OWN, "CAP_MEM_SHM_OWN"},
	    [SYSCALL_PM_MANAGE] = {CAP_SYS_POWER, "CAP_SYS_POWER"},
	    [SYSCALL_PM_SET_CLOCK] = {CAP_SYS_POWER, "CAP_SYS_POWER"},
	    [SYSCALL_GET_RANDOM] = {CAP_CRY_KRNG, "CAP_CRY_KRNG"},
	    [SYSCALL_GET_CYCLE] = {CAP_TIM_HP_CHRONO, "CAP_TIM_HP_CHRONO (for PRECISION_CYCLE)"},
	    [SYSCALL_GPIO_GET] = {CAP_DEV_IO | CAP_DEV_BUSES, "CAP_DEV_IO or CAP_DEV_BUSES"},
	    [SYSCALL_GPIO_SET] = {CAP_DEV_IO | CAP_DEV_BUSES, "CAP_DEV_IO or CAP_DEV_BUSES"},
	    [SYSCALL_GPIO_RESET] = {CAP_DEV_IO | CAP_DEV_BUSES, "CAP_DEV_IO or CAP_DEV_BUSES"},
	    [SYSCALL_GPIO_TOGGLE] = {CAP_DEV_IO | CAP_DEV_BUSES, "CAP_DEV_IO or CAP_DEV_BUSES"},
	    [SYSCALL_GPIO_CONFIGURE] = {CAP_DEV_IO | CAP_DEV_BUSES, "CAP_DEV_IO or CAP_DEV_BUSES"},
	    [SYSCALL_IRQ_ACKNOWLEDGE] = {CAP_DEV_MASK, "a CAP_DEV_* capability"},
	    [SYSCALL_IRQ_ENABLE] = {CAP_DEV_MASK, "a CAP_DEV_* capability"},
	    [SYSCALL_IRQ_DISABLE] = {CAP_DEV_MASK, "a CAP_DEV_* capability"},
	    [SYSCALL_GET_SHM_HANDLE] = {CAP_MEM_SHM_OWN, "CAP_MEM_SHM_OWN"},
	    [SYSCALL_GET_DMA_STREAM_HANDLE] = {CAP_DEV_DMA, "CAP_DEV_DMA"},
	    [SYSCALL_DMA_START_STREAM] = {CAP_DEV_DMA, "CAP_DEV_DMA"},
	    [SYSCALL_DMA_SUSPEND_STREAM] = {CAP_DEV_DMA, "CAP_DEV_DMA"},
	    [SYSCALL_SHM_GET_INFOS] = {CAP_MEM_SHM_OWN | CAP_MEM_SHM_USE,
	                               "CAP_MEM_SHM_OWN or CAP_MEM_SHM_USE"},
	    [SYSCALL_DMA_ASSIGN_STREAM] = {CAP_DEV_DMA, "CAP_DEV_DMA"},
	    [SYSCALL_DMA_UNASSIGN_STREAM] = {CAP_DEV_DMA, "CAP_DEV_DMA"},
	    [SYSCALL_DMA_GET_STREAM_INFO] = {CAP_DEV_DMA, "CAP_DEV_DMA"},
	    [SYSCALL_DMA_RESUME_STREAM] = {CAP_DEV_DMA, "CAP_DEV_DMA"},
	};
	if (nr >= HINTS_NSYSCALLS || (nr == SYSCALL_GET_CYCLE && a0 != PRECISION_CYCLE))
		return 0;
	*words = need[nr].words;
	return need[nr].caps;
}

Hints *hints_new(Output *out, uint32_t n_tasks, uint32_t num_irqs, bool autotest)
{
	Hints *h = g_new0(Hints, 1);
	h->out = out;
	h->num_irqs = num_irqs;
	h->autotest = autotest;
	h->n = n_tasks;
	h->last_nr = g_new(uint32_t, n_tasks);
	h->last_arg0 = g_new0(uint32_t, n_tasks);
	h->denied = g_new0(uint64_t, n_tasks);
	for (uint32_t i = 0; i < n_tasks; i++)
		h->last_nr[i] = UINT32_MAX;
	h->enabled = g_hash_table_new(g_direct_hash, g_direct_equal);
	return h;
}

void hints_free(Hints *h)
{
	if (!h)
		return;
	g_free(h->last_nr);
	g_free(h->last_arg0);
	g_free(h->denied);
	g_hash_table_unref(h->enabled);
	g_free(h);
}

/* Task |id| trapped with system call |nr| and |args|. */
static void hints_call(void *data, Kernel *k, uint32_t id, uint32_t nr, const uint32_t args[3])
{
	Hints *h = data;
	if (id >= h->n)
		return;
	h->last_nr[id] = nr;
	h->last_arg0[id] = args[0];
}

/* Task |id| resumes: with the result of its last call, unless it starts afresh. */
static void hints_result(void *data, Kernel *k, uint32_t id, const KernelResume *res)
{
	Hints *h = data;
	if (res->fresh)
		return;
	uint32_t r0 = res->r0;
	if (id < h->n && h->last_nr[id] == SYSCALL_IRQ_ENABLE && r0 == STATUS_OK)
		g_hash_table_add(h->enabled, GUINT_TO_POINTER(h->last_arg0[id] & 0xFFFFu));
	if (id >= h->n || r0 != STATUS_DENIED || h->last_nr[id] >= HINTS_NSYSCALLS)
		return;
	uint32_t nr = h->last_nr[id];
	const char *words = NULL;
	uint32_t need = needed_caps(nr, h->last_arg0[id], &words);
	KernelTaskView v;
	kernel_view_task(k, id, &v);
	if (!need || (v.caps & need) || (h->denied[id] & (1ull << nr)))
		return;
	h->denied[id] |= 1ull << nr;
	output_note(h->out, kernel_now_ns(k),
	            "task '%s': hint: %s returned DENIED: the task does not hold %s (%s; shown "
	            "once per task and call)",
	            kernel_task_name(k, id), kernel_syscall_name(nr), words,
	            h->autotest ? "the autotest build's test task holds the global set: "
	                          "'autotest_caps' in [system], or __sys_autotest_set_capa"
	                        : "add it to 'capabilities' in its [task] group");
}

/* The run is over: IRQ lines left pending but masked. */
static int hints_end(void *data, Kernel *k, RunEnd end, const char *end_text)
{
	Hints *h = data;
	bool enabled, pending;
	for (uint32_t irq = 0;
	     irq < h->num_irqs && kernel_view_irq_line(k, irq, &enabled, &pending); irq++) {
		if (!pending || enabled)
			continue;
		if (g_hash_table_contains(h->enabled, GUINT_TO_POINTER(irq)))
			output_note(
			    h->out, kernel_now_ns(k),
			    "hint: IRQ %" PRIu32 " is pending but masked: the kernel masks a "
			    "line when it delivers an interrupt, and its driver did not call "
			    "__sys_irq_enable(%" PRIu32 ") again after the last one "
			    "(uapi.md 4.20)",
			    irq, irq);
		else
			output_note(h->out, kernel_now_ns(k),
			            "hint: IRQ %" PRIu32
			            " is pending but masked: every line starts "
			            "masked, and its driver never called __sys_irq_enable(%" PRIu32
			            ") (uapi.md 4.20)",
			            irq, irq);
	}
	return -1; /* the run's status is not a hint's business */
}

RunObserver hints_observer(Hints *h)
{
	return (RunObserver){.name = "hints",
	                     .data = h,
	                     .before_syscall = hints_call,
	                     .resume = hints_result,
	                     .end = hints_end};
}
