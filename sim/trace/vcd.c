/*
 * vcd.c: the Value Change Dump writer (see vcd.h), an observer of the run: the signals are
 * declared once the tasks are known (setup), then sampled at every turn of the loop.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "sim/errors.h"
#include "sim/kernel/kernel.h"
#include "sim/kernel/views.h"
#include "sim/trace/tbuf.h"
#include "sim/trace/vcd.h"

typedef enum {
	SIG_TASK,    /* a: task id */
	SIG_GPIO,    /* a: port, b: pin */
	SIG_PENDING, /* a: IRQ line */
	SIG_ENABLED, /* a: IRQ line */
} SignalKind;

typedef struct {
	SignalKind kind;
	uint32_t a, b;
	char id[8]; /* the VCD identifier */
	size_t id_len;
	int value; /* last written: 0, 1, or -1 before the first */
} Signal;

struct vcd_writer {
	char *path;
	FILE *f;
	TraceBuf out; /* in front of |f|: the value changes */
	const Board *board;
	GArray *sigs;     /* of Signal */
	uint64_t last_ns; /* the last time written */
	gboolean stamped; /* a time has been written */
	gboolean started; /* the header is written */
};

/* The |i|th identifier: base 94 over the printable characters '!'..'~'. */
static void make_id(guint i, char *out)
{
	int n = 0;
	do {
		out[n++] = (char)('!' + i % 94);
		i /= 94;
	} while (i && n < 7);
	out[n] = '\0';
}

/* A name usable as a VCD identifier: letters, digits and '_' only. */
static char *clean_name(const char *s)
{
	char *c = g_strdup(s);
	for (char *p = c; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '_')
			*p = '_';
	return c;
}

static void declare(VcdWriter *v, SignalKind kind, uint32_t a, uint32_t b, const char *name)
{
	Signal s = {.kind = kind, .a = a, .b = b, .value = -1};
	make_id(v->sigs->len, s.id);
	s.id_len = strlen(s.id);
	g_autofree char *clean = clean_name(name);
	fprintf(v->f, "$var wire 1 %s %s $end\n", s.id, clean);
	g_array_append_val(v->sigs, s);
}

/* The GPIO pins and IRQ lines of the board's devices, each declared once. */
static void declare_board(VcdWriter *v)
{
	const Board *bd = v->board;
	fprintf(v->f, "$scope module gpio $end\n");
	for (uint32_t d = 0; bd && d < bd->n_devices; d++)
		for (uint32_t i = 0; i < bd->devices[d].n_ios; i++) {
			const BoardIo *io = &bd->devices[d].ios[i];
			g_autofree char *name =
			    g_strdup_printf("%s_P%u_%u", bd->devices[d].name, io->port, io->pin);
			declare(v, SIG_GPIO, io->port, io->pin, name);
		}
	fprintf(v->f, "$upscope $end\n$scope module irq $end\n");
	for (uint32_t d = 0; bd && d < bd->n_devices; d++)
		for (uint32_t i = 0; i < bd->devices[d].n_irqs; i++) {
			uint32_t irq = bd->devices[d].irqs[i];
			g_autofree char *p = g_strdup_printf("irq%u_pending", irq);
			g_autofree char *e = g_strdup_printf("irq%u_enabled", irq);
			declare(v, SIG_PENDING, irq, 0, p);
			declare(v, SIG_ENABLED, irq, 0, e);
		}
	fprintf(v->f, "$upscope $end\n");
}

static void vcd_setup(void *data, Run *run, Kernel *k)
{
	VcdWriter *v = data;
	fprintf(v->f, "$version sentry-sim %s $end\n$timescale 1ns $end\n", PACKAGE_VERSION);
	fprintf(v->f, "$scope module sentry $end\n$scope module tasks $end\n");
	for (uint32_t i = 0; i < kernel_task_count(k); i++)
		declare(v, SIG_TASK, i, 0, kernel_task_name(k, i));
	fprintf(v->f, "$upscope $end\n");
	declare_board(v);
	fprintf(v->f, "$upscope $end\n$enddefinitions $end\n");
	v->started = TRUE;
}

/* The value of |s| now (|cur|: the current task), or -1 when the model does not know it. */
static int sample(Kernel *k, const Signal *s, uint32_t cur)
{
	bool level = false, enabled = false, pending = false;
	switch (s->kind) {
	case SIG_TASK:
		return cur == s->a;
	case SIG_GPIO:
		return kernel_gpio_level(k, (uint8_t)s->a, (uint8_t)s->b, &level) ? level : -1;
	case SIG_PENDING:
		return kernel_view_irq_line(k, s->a, &enabled, &pending) ? pending : -1;
	case SIG_ENABLED:
		return kernel_view_irq_line(k, s->a, &enabled, &pending) ? enabled : -1;
	}
	return -1;
}

/* Write the signals that changed since the last sample, stamped with virtual time. */
static void sample_all(VcdWriter *v, Kernel *k)
{
	if (!v->started)
		return;
	uint64_t now = kernel_now_ns(k);
	uint32_t cur = kernel_current(k);
	gboolean stamped = FALSE;
	for (guint i = 0; i < v->sigs->len; i++) {
		Signal *s = &g_array_index(v->sigs, Signal, i);
		int val = sample(k, s, cur);
		if (val < 0 || val == s->value)
			continue;
		/* "#TIME\n", then "VALUE ID\n" per change */
		char *p = tb_room(&v->out, 2 + TB_U64_MAX + 2 + sizeof(s->id));
		if (!stamped && (!v->stamped || now > v->last_ns)) {
			*p++ = '#';
			p = w_u64(p, now);
			*p++ = '\n';
			v->last_ns = now;
			v->stamped = TRUE;
		}
		stamped = TRUE;
		*p++ = (char)('0' + val);
		p = w_mem(p, s->id, s->id_len);
		*p++ = '\n';
		tb_done(&v->out, p);
		s->value = val;
	}
}

static void vcd_boot(void *data, Kernel *k)
{
	sample_all(data, k);
}

static RunEnd vcd_check(void *data, Kernel *k, const char **why)
{
	sample_all(data, k);
	return RUN_END_NONE;
}

static int vcd_end(void *data, Kernel *k, RunEnd end, const char *end_text)
{
	VcdWriter *v = data;
	sample_all(v, k);
	if (v->started && kernel_now_ns(k) > v->last_ns) {
		tb_c(&v->out, '#'); /* the run's length */
		tb_u64(&v->out, kernel_now_ns(k));
		tb_c(&v->out, '\n');
		v->last_ns = kernel_now_ns(k);
	}
	return -1;
}

RunObserver vcd_observer(VcdWriter *v)
{
	return (RunObserver){.name = "vcd",
	                     .data = v,
	                     .setup = vcd_setup,
	                     .boot = vcd_boot,
	                     .check = vcd_check,
	                     .end = vcd_end};
}

VcdWriter *vcd_new(const char *path, const Board *board, GError **error)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "%s: cannot write: %s", path,
		            g_strerror(errno));
		return NULL;
	}
	VcdWriter *v = g_new0(VcdWriter, 1);
	v->path = g_strdup(path);
	v->f = f;
	v->board = board;
	tbuf_init(&v->out, f);
	v->sigs = g_array_new(FALSE, FALSE, sizeof(Signal));
	return v;
}

gboolean vcd_finish(VcdWriter *v, GError **error)
{
	if (!v->f)
		return TRUE;
	tbuf_flush(&v->out);
	gboolean ok = !ferror(v->f);
	ok = fclose(v->f) == 0 && ok;
	v->f = NULL;
	if (!ok)
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "%s: write error: %s", v->path,
		            g_strerror(errno));
	return ok;
}

void vcd_free(VcdWriter *v)
{
	if (!v)
		return;
	if (v->f)
		fclose(v->f);
	tbuf_clear(&v->out);
	g_array_free(v->sigs, TRUE);
	g_free(v->path);
	g_free(v);
}
