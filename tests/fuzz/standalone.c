/*
 * standalone.c: a driver for the kernel fuzz target (fuzz_kernel.h) without libFuzzer.
 *
 *   fuzz-kernel [--tap] [-n N] [-s SEED] [FILE|DIR]...   replay inputs, run N generated
 *                                                        programs from SEED
 *   fuzz-kernel --print FILE / --trace FILE              show a program / its step trace
 *   fuzz-kernel --write-seeds DIR / --write-dict FILE    regenerate corpus and dictionary
 *
 * `make check` runs it through fuzz-smoke.sh with --tap: one TAP line per replayed input and
 * one for the generated run. A replayed input whose file has a sibling NAME.todo (a known
 * kernel bug, the reason inside) is reported as a TODO test.
 *
 * Built with afl-clang-fast and FUZZ_AFL defined, main() is instead the AFL++ persistent
 * loop over LLVMFuzzerTestOneInput.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sim/fuzz/prog.h"
#include "tests/fuzz/fuzz_kernel.h"
#include "tests/fuzz/seeds.h"

#ifdef FUZZ_AFL

#ifdef __AFL_FUZZ_TESTCASE_LEN
#include <unistd.h> /* __AFL_FUZZ_INIT reads the test case with read() */

__AFL_FUZZ_INIT();

int main(void)
{
	__AFL_INIT();
	unsigned char *buf = __AFL_FUZZ_TESTCASE_BUF;
	while (__AFL_LOOP(10000))
		LLVMFuzzerTestOneInput(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
	return 0;
}
#else
/* Built without afl-clang-fast: run the one input on stdin. */
int main(void)
{
	static uint8_t buf[PROG_MAX_INPUT];
	size_t n = fread(buf, 1, sizeof(buf), stdin);
	return LLVMFuzzerTestOneInput(buf, n);
}
#endif

#else /* !FUZZ_AFL */

#define INPUT_MAX (1u << 20)

typedef struct {
	bool tap;
	bool stats;
	bool quiet;
	const char *save_dir;
	unsigned tests;
	unsigned failures;
	/* statistics */
	unsigned long runs;
	unsigned long ends[EXEC_END_COUNT];
	unsigned long panics[32];
	uint16_t paths[SYS_COUNT];
	unsigned long long steps, syscalls;
	double seconds;
} Driver;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	uint8_t *buf = malloc(INPUT_MAX);
	*len = buf ? fread(buf, 1, INPUT_MAX, f) : 0;
	fclose(f);
	return buf;
}

static bool write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

static void tally(Driver *d, const FuzzOutcome *out, double seconds)
{
	d->runs++;
	d->ends[out->run.end]++;
	for (uint32_t nr = 0; nr < SYS_COUNT; nr++)
		d->paths[nr] |= out->run.paths[nr];
	if (out->run.end == EXEC_END_PANIC)
		d->panics[out->run.panic_cause < 32 ? out->run.panic_cause : 31]++;
	d->steps += out->run.steps;
	d->syscalls += out->run.syscalls;
	d->seconds += seconds;
}

static void tap_line(Driver *d, bool ok, const char *what, const char *todo)
{
	d->tests++;
	if (!ok && !todo)
		d->failures++;
	if (d->tap)
		printf("%s %u - %s%s%s\n", ok ? "ok" : "not ok", d->tests, what,
		       todo ? " # TODO " : "", todo ? todo : "");
	else if (!ok)
		fprintf(stderr, "fuzz-kernel: FAILED: %s%s%s\n", what, todo ? " (known: " : "",
		        todo ? todo : "");
}

/* The reason in NAME.todo, if that file exists (a known, reported kernel bug). */
static char *todo_reason(const char *path)
{
	char tpath[4096];
	snprintf(tpath, sizeof(tpath), "%s.todo", path);
	size_t len;
	uint8_t *buf = read_file(tpath, &len);
	if (!buf)
		return NULL;
	size_t n = 0;
	while (n < len && n < 200 && buf[n] != '\n')
		n++;
	buf[n] = '\0';
	return (char *)buf;
}

static void replay_file(Driver *d, const char *path)
{
	size_t len;
	uint8_t *buf = read_file(path, &len);
	if (!buf) {
		tap_line(d, false, path, NULL);
		fprintf(stderr, "fuzz-kernel: %s: %s\n", path, strerror(errno));
		return;
	}
	FuzzOutcome out;
	double t0 = now_s();
	fuzz_kernel_run(buf, len, &out, NULL, NULL);
	tally(d, &out, now_s() - t0);
	char *todo = todo_reason(path);
	if (!out.ok && !d->quiet)
		fuzz_kernel_explain(buf, len, &out);
	char what[4200];
	snprintf(what, sizeof(what), "replay %s (%s after %" PRIu32 " steps)", path,
	         exec_end_name(out.run.end), out.run.steps);
	tap_line(d, out.ok, what, todo);
	free(todo);
	free(buf);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool input_name(const char *name)
{
	size_t n = strlen(name);
	if (name[0] == '.')
		return false;
	static const char *const skip[] = {".txt", ".todo", ".md", ".dict"};
	for (size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++) {
		size_t s = strlen(skip[i]);
		if (n >= s && strcmp(name + n - s, skip[i]) == 0)
			return false;
	}
	return true;
}

static void replay_path(Driver *d, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		replay_file(d, path);
		return;
	}
	DIR *dir = opendir(path);
	if (!dir) {
		tap_line(d, false, path, NULL);
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(dir))) {
		if (!input_name(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char full[4096];
		snprintf(full, sizeof(full), "%s/%s", path, names[i]);
		replay_file(d, full);
		free(names[i]);
	}
	free(names);
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A few byte-level mutations, as a fuzzer would make, so the decoder sees broken inputs. */
static size_t mutate(uint8_t *buf, size_t len, size_t cap, uint64_t *rng)
{
	uint32_t n = 1 + (uint32_t)(splitmix(rng) % 4);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t r = splitmix(rng);
		size_t at = len ? (size_t)(r >> 8) % len : 0;
		switch (r % 4) {
		case 0:
			if (len)
				buf[at] ^= (uint8_t)(1u << ((r >> 40) % 8));
			break;
		case 1:
			if (len)
				buf[at] = (uint8_t)(r >> 48);
			break;
		case 2:
			if (len < cap) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = (uint8_t)(r >> 32);
				len++;
			}
			break;
		default:
			if (len) {
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
			}
			break;
		}
	}
	return len;
}

static void explain_roundtrip(const Prog *a, const Prog *b, unsigned long i, uint64_t s)
{
	char ta[256], tb[256];
	fprintf(stderr,
	        "fuzz-kernel: program %lu (seed 0x%016" PRIx64 ") does not survive "
	        "encode/decode\n",
	        i, s);
	if (memcmp(&a->cfg, &b->cfg, sizeof(a->cfg)) != 0)
		fprintf(stderr, "  the configuration differs\n");
	if (a->n_ops != b->n_ops)
		fprintf(stderr, "  %u ops, decoded %u\n", (unsigned)a->n_ops, (unsigned)b->n_ops);
	for (uint32_t k = 0; k < a->n_ops && k < b->n_ops; k++) {
		if (memcmp(&a->ops[k], &b->ops[k], sizeof(a->ops[k])) == 0)
			continue;
		prog_format_op(a, &a->ops[k], ta, sizeof(ta));
		prog_format_op(b, &b->ops[k], tb, sizeof(tb));
		fprintf(stderr, "  op %u (script %u): %s\n  decoded (script %u): %s\n", (unsigned)k,
		        a->ops[k].script, ta, b->ops[k].script, tb);
		break;
	}
}

static void generate(Driver *d, unsigned long count, uint64_t seed)
{
	static Prog p, back;
	static uint8_t buf[PROG_MAX_INPUT];
	unsigned long failed = 0, roundtrip = 0;
	uint64_t rng = seed;
	for (unsigned long i = 0; i < count; i++) {
		uint64_t s = splitmix(&rng);
		prog_generate(&p, s);
		size_t len = prog_encode(&p, buf, sizeof(buf));
		if (!len)
			continue;
		prog_decode(&back, buf, len);
		if (!prog_equal(&p, &back)) {
			if (!roundtrip++ && !d->quiet)
				explain_roundtrip(&p, &back, i, s);
			continue;
		}
		if (splitmix(&rng) % 4 == 0)
			len = mutate(buf, len, sizeof(buf), &rng);
		FuzzOutcome out;
		double t0 = now_s();
		fuzz_kernel_run(buf, len, &out, NULL, NULL);
		tally(d, &out, now_s() - t0);
		if (out.ok)
			continue;
		failed++;
		if (!d->quiet && failed <= 3)
			fuzz_kernel_explain(buf, len, &out);
		if (d->save_dir) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/gen-%016" PRIx64 "-%lu.bin", d->save_dir,
			         seed, i);
			if (write_file(path, buf, len))
				fprintf(stderr, "fuzz-kernel: saved %s\n", path);
		}
	}
	char what[256];
	snprintf(what, sizeof(what),
	         "%lu generated programs from seed %" PRIu64
	         " (%lu failed, %lu not round-tripping)",
	         count, seed, failed, roundtrip);
	tap_line(d, failed == 0 && roundtrip == 0, what, NULL);
}

static int write_seeds(const char *dir)
{
	static Prog p, back;
	static uint8_t buf[PROG_MAX_INPUT];
	static char text[65536];
	int rc = 0;
	for (size_t i = 0; i < fuzz_seed_count(); i++) {
		const char *name = fuzz_seed_build(i, &p);
		size_t len = prog_encode(&p, buf, sizeof(buf));
		prog_decode(&back, buf, len);
		if (!len || !prog_equal(&p, &back)) {
			fprintf(stderr, "fuzz-kernel: seed '%s' does not survive encode/decode\n",
			        name);
			rc = 1;
			continue;
		}
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (!write_file(path, buf, len)) {
			fprintf(stderr, "fuzz-kernel: %s: %s\n", path, strerror(errno));
			return 1;
		}
		size_t tl = prog_format(&p, text, sizeof(text));
		snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
		write_file(path, text, tl < sizeof(text) ? tl : sizeof(text) - 1);
	}
	return rc;
}

static void dict_entry(FILE *f, const char *name, const uint8_t *b, size_t n)
{
	fprintf(f, "%s=\"", name);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "\\x%02x", b[i]);
	fprintf(f, "\"\n");
}

/* Tokens the byte format gives meaning to: each call with typical arguments, task switches,
 * and raw values that matter to the kernel (escape byte 0xff + u32le). */
static int write_dict(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "fuzz-kernel: %s: %s\n", path, strerror(errno));
		return 1;
	}
	fprintf(f, "# Dictionary of the kernel fuzz target (sim/fuzz/prog.h).\n"
	           "# Generated by `tests/fuzz/fuzz-kernel --write-dict`; do not edit.\n");
	for (uint32_t nr = 0; nr < SYS_COUNT; nr++) {
		const SysRow *sd = systable_get(nr);
		uint8_t b[8];
		size_t n = 0;
		b[n++] = prog_opcode(OP_SYSCALL, nr);
		for (uint32_t a = 0; a < 3; a++)
			if (sd->args[a].kind != ARG_NONE)
				b[n++] = sd->args[a].kind == ARG_TASK_HANDLE ? 0x81 : 0x01;
		if (sd->in != IN_NONE)
			b[n++] = 0x90;
		if (sd->out != OUT_NONE)
			b[n++] = 0x00;
		char name[64];
		snprintf(name, sizeof(name), "call_%s", sd->name);
		dict_entry(f, name, b, n);
	}
	/* board memory accesses: an SHM written, a device register read */
	dict_entry(f, "touch_shm_write", (const uint8_t[3]){prog_opcode(OP_TOUCH, 0), 0x80, 0x01},
	           3);
	dict_entry(f, "touch_dev_read", (const uint8_t[3]){prog_opcode(OP_TOUCH, 0), 0x00, 0x00},
	           3);
	for (uint8_t t = 0; t <= PROG_MAX_TASKS; t++) {
		uint8_t b[2] = {prog_opcode((ProgOpKind)PROG_OP_TASK_SWITCH, 0), t};
		char name[32];
		snprintf(name, sizeof(name), "switch_%u", t);
		dict_entry(f, name, b, 2);
	}
	static const struct {
		const char *name;
		uint32_t v;
	} raws[] = {
	    {"idle_label", 0xcafe},
	    {"autotest_label", 0xbabe},
	    {"event_magic", 0x4242},
	    {"ipc_max", 120},
	    {"ipc_max_plus1", 121},
	    {"area", 128},
	    {"area_plus1", 129},
	    {"minus1", 0xFFFFFFFFu},
	    {"minus2", 0xFFFFFFFEu},
	    {"int_min", 0x80000000u},
	    {"autotest_caps", 0x00270017u},
	    {"task1_handle_id", 0x00100000u},
	    {"dev_family", 0x20000000u},
	    {"dma_family", 0x40000000u},
	};
	for (size_t i = 0; i < sizeof(raws) / sizeof(raws[0]); i++) {
		uint8_t b[5] = {0xFF, (uint8_t)raws[i].v, (uint8_t)(raws[i].v >> 8),
		                (uint8_t)(raws[i].v >> 16), (uint8_t)(raws[i].v >> 24)};
		char name[64];
		snprintf(name, sizeof(name), "raw_%s", raws[i].name);
		dict_entry(f, name, b, 5);
	}
	return fclose(f) == 0 ? 0 : 1;
}

static void trace_line(void *data, const char *line)
{
	fprintf(data, "%s\n", line);
}

static int show(const char *path, bool trace)
{
	static Prog p;
	static char text[65536];
	size_t len;
	uint8_t *buf = read_file(path, &len);
	if (!buf) {
		fprintf(stderr, "fuzz-kernel: %s: %s\n", path, strerror(errno));
		return 1;
	}
	prog_decode(&p, buf, len);
	prog_format(&p, text, sizeof(text));
	printf("%s", text);
	FuzzOutcome out;
	fuzz_kernel_run(buf, len, &out, trace ? trace_line : NULL, stdout);
	printf("result: %s after %" PRIu32 " steps, %" PRIu32 " calls, %.3f ms virtual%s%s\n",
	       exec_end_name(out.run.end), out.run.steps, out.run.syscalls,
	       (double)out.run.time_ns / 1e6, out.ok ? "" : "\nFAILED: ", out.ok ? "" : out.why);
	free(buf);
	return out.ok ? 0 : 1;
}

static void print_stats(const Driver *d)
{
	fprintf(stderr,
	        "fuzz-kernel: %lu runs in %.3f s: %.0f exec/s, %.1f steps and %.1f calls "
	        "per run\n",
	        d->runs, d->seconds, d->seconds > 0 ? (double)d->runs / d->seconds : 0.0,
	        d->runs ? (double)d->steps / (double)d->runs : 0.0,
	        d->runs ? (double)d->syscalls / (double)d->runs : 0.0);
	for (int e = 0; e < EXEC_END_COUNT; e++)
		if (d->ends[e])
			fprintf(stderr, "  %-18s %lu\n", exec_end_name((ExecEnd)e), d->ends[e]);
	for (int c = 0; c < 32; c++)
		if (d->panics[c])
			fprintf(stderr, "    panic %-32s %lu\n",
			        kernel_panic_cause_name(c == 31 ? PANIC_RESUMED_NON_SENSE
			                                        : (PanicCause)c),
			        d->panics[c]);
	/* the (system call, Status) pairs delivered, board calls apart */
	unsigned all = 0, board = 0;
	for (uint32_t nr = 0; nr < SYS_COUNT; nr++) {
		unsigned n = (unsigned)__builtin_popcount(d->paths[nr]);
		all += n;
		if (systable_get(nr)->flags & SYS_BOARD)
			board += n;
	}
	fprintf(stderr, "  (nr, Status) paths delivered: %u, %u of them board calls\n", all, board);
	if (!d->quiet)
		for (uint32_t nr = 0; nr < SYS_COUNT; nr++) {
			fprintf(stderr, "    %-22s", systable_get(nr)->name);
			uint32_t allowed = systable_get(nr)->statuses;
			for (uint32_t st = 0; st < 16; st++)
				if (d->paths[nr] & (1u << st))
					fprintf(stderr, " %s", systable_status_name(st));
			if (allowed & ~d->paths[nr]) {
				fprintf(stderr, "   (not seen:");
				for (uint32_t st = 0; st < 16; st++)
					if (allowed & ~d->paths[nr] & (1u << st))
						fprintf(stderr, " %s", systable_status_name(st));
				fprintf(stderr, ")");
			}
			fprintf(stderr, "\n");
		}
}

/* Executions per second of the pieces of the target, on |count| generated programs. */
static int bench(unsigned long count, uint64_t seed)
{
	static Prog p;
	static uint8_t buf[PROG_MAX_INPUT];
	uint8_t **inputs = calloc(count, sizeof(*inputs));
	size_t *lens = calloc(count, sizeof(*lens));
	uint64_t rng = seed;
	for (unsigned long i = 0; i < count; i++) {
		prog_generate(&p, splitmix(&rng));
		lens[i] = prog_encode(&p, buf, sizeof(buf));
		inputs[i] = malloc(lens[i] ? lens[i] : 1);
		memcpy(inputs[i], buf, lens[i]);
	}
	ExecOptions o;
	exec_options_init(&o);
	unsigned long long steps = 0;
	for (int pass = 0; pass < 3; pass++) {
		double t0 = now_s();
		steps = 0;
		for (unsigned long i = 0; i < count; i++) {
			if (pass == 2) {
				FuzzOutcome out;
				fuzz_kernel_run(inputs[i], lens[i], &out, NULL, NULL);
				steps += out.run.steps;
				continue;
			}
			ExecResult r;
			prog_decode(&p, inputs[i], lens[i]);
			o.check = pass == 1;
			exec_run(&p, &o, &r);
			steps += r.steps;
		}
		double dt = now_s() - t0;
		static const char *const what[] = {"kernel only (decode + run, no checks)",
		                                   "checked run (decode + run + invariants)",
		                                   "full target (checked run + replay)"};
		printf("%-42s %8.0f exec/s  %10.0f steps/s\n", what[pass], (double)count / dt,
		       (double)steps / dt);
	}
	for (unsigned long i = 0; i < count; i++)
		free(inputs[i]);
	free(inputs);
	free(lens);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: fuzz-kernel [--tap] [--stats] [-q] [-n COUNT] [-s SEED] [--save DIR] "
	           "[FILE|DIR]...\n"
	           "       fuzz-kernel --print FILE | --trace FILE\n"
	           "       fuzz-kernel --bench [-n COUNT] [-s SEED]\n"
	           "       fuzz-kernel --write-seeds DIR | --write-dict FILE\n");
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"tap", no_argument, NULL, 't'},
	    {"stats", no_argument, NULL, 'S'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"count", required_argument, NULL, 'n'},
	    {"seed", required_argument, NULL, 's'},
	    {"save", required_argument, NULL, 'o'},
	    {"print", required_argument, NULL, 'p'},
	    {"trace", required_argument, NULL, 'T'},
	    {"write-seeds", required_argument, NULL, 'W'},
	    {"write-dict", required_argument, NULL, 'D'},
	    {"bench", no_argument, NULL, 'B'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	Driver d = {0};
	unsigned long count = 0;
	uint64_t seed = 1;
	bool do_bench = false;
	int c;
	while ((c = getopt_long(argc, argv, "tSqn:s:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			d.tap = true;
			break;
		case 'S':
			d.stats = true;
			break;
		case 'q':
			d.quiet = true;
			break;
		case 'n':
			count = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'o':
			d.save_dir = optarg;
			break;
		case 'p':
			return show(optarg, false);
		case 'T':
			return show(optarg, true);
		case 'W':
			return write_seeds(optarg);
		case 'D':
			return write_dict(optarg);
		case 'B':
			do_bench = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (do_bench)
		return bench(count ? count : 2000, seed);
	if (optind == argc && count == 0) {
		usage(stderr);
		return 2;
	}
	if (d.tap)
		printf("TAP version 14\n");
	for (int i = optind; i < argc; i++)
		replay_path(&d, argv[i]);
	if (count)
		generate(&d, count, seed);
	if (d.tap)
		printf("1..%u\n", d.tests);
	if (d.stats)
		print_stats(&d);
	return d.failures ? 1 : 0;
}

#endif /* !FUZZ_AFL */
