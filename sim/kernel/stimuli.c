/*
 * stimuli.c: what a scenario script does to the kernel model from outside, where no task
 * system call can do it: a signal from the kernel itself, starting, killing and restarting a
 * task, and answering a system call in the kernel's place (error injection). The scripts
 * themselves live in sim/scenario/script.c; the kernel model stays pure and knows nothing of
 * them.
 *
 * Each entry point keeps the model's invariants that the gates rely on: a job leaves both
 * job sets and the delay queue before its state changes under it (a delay firing for a job
 * that no longer sleeps is a kernel panic, uapi.md 8), and an unread IPC of a job that dies
 * or respawns is withdrawn (a receiver consuming it would otherwise make the dead sender
 * READY again, 4.12). None of them ever panics the kernel: misuse comes back as a reason
 * that the script reports as its own error.
 */
#include "config.h"

#include <inttypes.h>
#include <string.h>

#include "sim/kernel/kernel_priv.h"

/* Take |t| out of both job sets. The caller elects when |t| was running. */
static void unschedule(Kernel *k, Task *t)
{
	for (int s = 0; s < 2; s++)
		for (uint32_t i = 0; i < k->cfg.max_tasks; i++)
			if (k->sets[s][i].used && k->sets[s][i].handle == t->handle)
				k->sets[s][i].used = false;
	if (k->current == t->id)
		k->current_cell = -1;
}

/* An IPC that |t| is blocked sending is withdrawn: nobody will consume it any more. */
static void withdraw_ipc(Kernel *k, Task *t)
{
	if (t->state == JOB_IPC_SEND_BLOCKED && t->ipc_target != KERNEL_NO_TASK)
		task_of(k, t->ipc_target)->ipc_pending[t->id] = 0;
	t->ipc_target = KERNEL_NO_TASK;
}

/* Stop job |t| wherever it is: out of the sets, the delay queue, its IPC withdrawn. Returns
 * whether it was the running job (the caller must then elect). */
static bool stop_job(Kernel *k, Task *t)
{
	bool running = k->current == t->id;
	withdraw_ipc(k, t);
	kernel_delay_remove(k, t);
	unschedule(k, t);
	t->hung = false;
	t->alarm_woke = false;
	return running;
}

uint32_t kernel_signal_from_kernel(Kernel *k, uint32_t id, uint32_t sig)
{
	if (k->panicked || id >= k->n_tasks || sig < 1 || sig > 12)
		return STATUS_INVALID;
	Task *t = task_of(k, id);
	uint32_t slot = kernel_idle_id(k); /* idle never sends: its slot is the kernel's */
	if (t->sig_pending[slot])
		return STATUS_BUSY;
	t->sig_pending[slot] = (uint8_t)sig;
	kernel_wake_intr(k, t); /* as send_signal step 5 (uapi.md 4.11) */
	return STATUS_OK;
}

const char *kernel_start_task(Kernel *k, uint32_t id)
{
	if (k->panicked)
		return "the kernel has panicked";
	if (id >= k->n_tasks)
		return "no such task";
	Task *t = task_of(k, id);
	if (t->state != JOB_READY && t->state != JOB_YIELDED)
		return "its job is not READY";
	if (kernel_in_active(k, t) || kernel_in_backed(k, t) || k->current == id)
		return "it is already scheduled";
	if (!kernel_schedule(k, t))
		return "the active job set is full";
	return NULL;
}

const char *kernel_kill_task(Kernel *k, uint32_t id, const char *why)
{
	if (k->panicked)
		return "the kernel has panicked";
	if (id >= k->n_tasks)
		return "no such task";
	Task *t = task_of(k, id);
	if (t->state == JOB_FAULT)
		return "it has already faulted";
	if (t->state == JOB_FINISHED || (t->state == JOB_ABORTING && t->exited))
		return "it has already exited";
	bool running = stop_job(k, t);
	t->state = JOB_FAULT;
	kernel_reportf(k, KREPORT_FAULT, t->id, "fault: %s", why);
	kernel_note_dead(k, t);
	if (running)
		kernel_elect(k);
	return NULL;
}

const char *kernel_restart_task(Kernel *k, uint32_t id, const char *why)
{
	if (k->panicked)
		return "the kernel has panicked";
	if (id >= k->n_tasks)
		return "no such task";
	Task *t = task_of(k, id);
	bool running = stop_job(k, t);
	kernel_reportf(k, KREPORT_INFO, t->id,
	               "%s: a new job, as after exit(0) with RESTART (uapi.md 7.6)", why);
	kernel_respawn(k, t); /* new handle, fresh image, READY and scheduled */
	if (running)
		kernel_elect(k);
	return NULL;
}

void kernel_answer_syscall(Kernel *k, uint32_t status)
{
	if (k->panicked || k->current == kernel_idle_id(k))
		return;
	kernel_set_result(cur_task(k), status);
	kernel_advance(k, k->cfg.syscall_cost_ns);
}
