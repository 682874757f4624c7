/*
 * observe.c: Output and Recorder as observers of the daemon's loop (see observe.h): the
 * adapters between the loop's callbacks and the trace modules, plus the summary table.
 */
#include "config.h"

#include <inttypes.h>

#include "sim/kernel/kernel.h"
#include "sim/trace/observe.h"

static void out_log(void *data, Kernel *k, uint32_t task, const uint8_t *bytes, size_t len)
{
	OutputObserver *self = data;
	output_log(self->output, task, bytes, len);
}

static void out_report(void *data, Kernel *k, const KernelReport *rep)
{
	OutputObserver *self = data;
	output_report(self->output, rep);
}

static void out_note(void *data, Kernel *k, const char *text)
{
	OutputObserver *self = data;
	output_note(self->output, kernel_now_ns(k), "%s", text);
}

static int out_end(void *data, Kernel *k, RunEnd end, const char *end_text)
{
	OutputObserver *self = data;
	output_flush(self->output);
	return -1;
}

static const char *result_text(const RunResult *res)
{
	if (res->verdict)
		return res->status == RUN_OK ? "pass (every expectation of the script held)"
		       : res->status == RUN_HARD_ERROR
		           ? "error (a script step could not be applied)"
		       : res->status == RUN_INTERRUPTED
		           ? "interrupted"
		           : "fail (an expectation of the script did not hold)";
	return res->status == RUN_OK      ? "ok"
	       : res->status == RUN_PANIC ? "kernel panic"
	       : res->status == RUN_INTERRUPTED
	           ? "interrupted"
	           : "failed (a task faulted, exited non-zero or is stuck)";
}

/* The summary table: one line per task (state, exit code), then the result. */
static void out_summary(void *data, Kernel *k, const RunResult *res)
{
	OutputObserver *self = data;
	FILE *out = self->summary;
	if (!out)
		return;
	char when[32];
	output_format_time(kernel_now_ns(k), when, sizeof(when));
	fprintf(out, "--- summary at %s (virtual s), %s ---\n", when, res->end_text);
	fprintf(out, "%-16s %-10s %-10s %-18s %s\n", "task", "label", "handle", "state", "exit");
	for (guint i = 0; i < kernel_task_count(k); i++) {
		JobState s = kernel_task_state(k, i);
		const char *state = kernel_job_state_name(s);
		if (!kernel_task_started(k, i) && s == JOB_READY)
			state = "NOT STARTED";
		else if (kernel_task_hung(k, i))
			state = "HUNG";
		char code[16]; /* a faulted job has no exit status: say FAULT, not 0 */
		if (s == JOB_FAULT)
			g_strlcpy(code, "FAULT", sizeof(code));
		else
			snprintf(code, sizeof(code), "%" PRId32, kernel_task_exit_code(k, i));
		fprintf(out, "%-16s 0x%08" PRIx32 " 0x%08" PRIx32 " %-18s %s%s\n",
		        kernel_task_name(k, i), kernel_task_label(k, i), kernel_task_handle(k, i),
		        state, code, kernel_task_has_respawned(k, i) ? " (respawned)" : "");
	}
	fprintf(out, "result: %s\n", result_text(res));
	fflush(out);
}

RunObserver output_observer(OutputObserver *self)
{
	return (RunObserver){.name = "output",
	                     .data = self,
	                     .log = out_log,
	                     .report = out_report,
	                     .note = out_note,
	                     .end = out_end,
	                     .summary = out_summary};
}

const char *trace_report_kind_name(KernelReportKind kind)
{
	static const char *const names[] = {
	    [KREPORT_INFO] = "info",
	    [KREPORT_DIVERGENCE] = "divergence",
	    [KREPORT_UNCHARACTERIZED] = "uncharacterized",
	    [KREPORT_ABORT] = "abort",
	    [KREPORT_STUCK] = "stuck",
	    [KREPORT_FAULT] = "fault",
	    [KREPORT_LIBRARY] = "library",
	    [KREPORT_PANIC] = "panic",
	    [KREPORT_DEADLOCK] = "deadlock",
	};
	return (unsigned)kind < G_N_ELEMENTS(names) && names[kind] ? names[kind] : "report";
}

static void rec_setup(void *data, Run *run, Kernel *k)
{
	RecordObserver *self = data;
	recorder_header(self->record, self->scenario, self->seed);
}

static RunEnd rec_check(void *data, Kernel *k, const char **why)
{
	RecordObserver *self = data;
	if (!recorder_diverged(self->record))
		return RUN_END_NONE;
	*why = "diverged from the record";
	return RUN_END_STOPPED;
}

static void rec_resume(void *data, Kernel *k, uint32_t task, const KernelResume *res)
{
	RecordObserver *self = data;
	if (res->fresh)
		recorder_start(self->record, kernel_now_ns(k), kernel_task_name(k, task), res->r0,
		               res->r1);
	else
		recorder_ret(self->record, kernel_now_ns(k), kernel_task_name(k, task), res->r0,
		             kernel_exchange(k, task), kernel_exchange_len(k));
}

static void rec_call(void *data, Kernel *k, uint32_t task, uint32_t nr, const uint32_t args[3])
{
	RecordObserver *self = data;
	recorder_call(self->record, kernel_now_ns(k), kernel_task_name(k, task), nr, args,
	              kernel_exchange(k, task), kernel_exchange_len(k));
}

static void rec_report(void *data, Kernel *k, const KernelReport *rep)
{
	RecordObserver *self = data;
	/* the loop's deadlock report is the record's "end deadlock" */
	if (rep->kind == KREPORT_DEADLOCK)
		return;
	g_autofree char *what =
	    g_strdup_printf("%s %s", trace_report_kind_name(rep->kind),
	                    rep->task == KERNEL_NO_TASK ? "-" : kernel_task_name(k, rep->task));
	recorder_note(self->record, rep->time_ns, what, rep->text);
}

static int rec_end(void *data, Kernel *k, RunEnd end, const char *end_text)
{
	RecordObserver *self = data;
	recorder_note(self->record, kernel_now_ns(k), "end", end_text);
	return -1;
}

RunObserver record_observer(RecordObserver *self)
{
	return (RunObserver){.name = "record",
	                     .data = self,
	                     .whole_exchange = TRUE,
	                     .setup = rec_setup,
	                     .check = rec_check,
	                     .resume = rec_resume,
	                     .before_syscall = rec_call,
	                     .report = rec_report,
	                     .end = rec_end};
}
