/*
 * trace-check.c: the structure of a Chrome JSON trace written by `sentry-sim run --trace`,
 * read by a real JSON parser (json-glib): the document is valid JSON, an object whose
 * "traceEvents" is an array; every event has a name, a phase, pid and tid (and ts, but for
 * metadata); slices begin and end in balance on every track (never an end without its
 * begin, nothing left open); every flow id has exactly one start and one finish, the finish
 * not before the start; every complete slice has a duration, and those of one track do not
 * overlap (the job-state tracks). On success it prints one line per flow, "flow NAME FROM
 * TO" (the track names), then once each "slice TRACK NAME" for complete slices and
 * "instant TRACK NAME" for instants (sorted), for the test to look for; otherwise the first
 * problem, and exits 1.
 *
 * Usage: trace-check FILE
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>

typedef struct {
	const char *name;
	gint64 from_tid, to_tid;
	double s_ts, f_ts;
	int starts, finishes;
} FlowSeen;

static int fail(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static int fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "trace-check: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	return 1;
}

/* One event's required fields; its begin/end on its track; its flow end. */
static int check_event(JsonObject *ev, guint i, GHashTable *depth, GHashTable *flows,
                       GHashTable *names, GHashTable *ends, GHashTable *seen)
{
	static const char *const needed[] = {"name", "ph", "pid", "tid"};
	for (size_t k = 0; k < G_N_ELEMENTS(needed); k++)
		if (!json_object_has_member(ev, needed[k]))
			return fail("event %u: no '%s'", i, needed[k]);
	const char *ph = json_object_get_string_member(ev, "ph");
	gint64 tid = json_object_get_int_member(ev, "tid");
	if (!ph || strlen(ph) != 1)
		return fail("event %u: bad phase", i);
	if (*ph != 'M' && !json_object_has_member(ev, "ts"))
		return fail("event %u: no 'ts'", i);
	double ts = *ph == 'M' ? 0 : json_object_get_double_member(ev, "ts");
	gpointer key = GINT_TO_POINTER((int)tid);
	int d = GPOINTER_TO_INT(g_hash_table_lookup(depth, key));
	switch (*ph) {
	case 'M':
		if (!strcmp(json_object_get_string_member(ev, "name"), "thread_name"))
			g_hash_table_insert(
			    names, key,
			    g_strdup(json_object_get_string_member(
			        json_object_get_object_member(ev, "args"), "name")));
		break;
	case 'B':
		g_hash_table_insert(depth, key, GINT_TO_POINTER(d + 1));
		break;
	case 'E':
		if (d == 0)
			return fail("event %u: an end without a begin on track %" G_GINT64_FORMAT,
			            i, tid);
		g_hash_table_insert(depth, key, GINT_TO_POINTER(d - 1));
		break;
	case 's':
	case 'f': {
		gint64 id = json_object_get_int_member(ev, "id");
		FlowSeen *fl = g_hash_table_lookup(flows, &id);
		if (!fl) {
			gint64 *k = g_new(gint64, 1);
			*k = id;
			fl = g_new0(FlowSeen, 1);
			fl->name = json_object_get_string_member(ev, "name");
			g_hash_table_insert(flows, k, fl);
		}
		if (*ph == 's') {
			fl->starts++;
			fl->from_tid = tid;
			fl->s_ts = ts;
		} else {
			fl->finishes++;
			fl->to_tid = tid;
			fl->f_ts = ts;
		}
		break;
	}
	case 'X': {
		if (!json_object_has_member(ev, "dur"))
			return fail("event %u: a complete slice without 'dur'", i);
		double dur = json_object_get_double_member(ev, "dur");
		double *end = g_hash_table_lookup(ends, key);
		if (dur < 0 || (end && ts < *end - 1e-9))
			return fail("event %u: a complete slice overlaps the one before on track "
			            "%" G_GINT64_FORMAT,
			            i, tid);
		if (!end) {
			end = g_new(double, 1);
			g_hash_table_insert(ends, key, end);
		}
		*end = ts + dur;
	}
		/* fall through */
	case 'i': {
		const char *track = g_hash_table_lookup(names, key);
		g_hash_table_add(seen, g_strdup_printf("%s %s %s", *ph == 'X' ? "slice" : "instant",
		                                       track ? track : "?",
		                                       json_object_get_string_member(ev, "name")));
		break;
	}
	default:
		return fail("event %u: unexpected phase '%s'", i, ph);
	}
	return 0;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: trace-check FILE\n");
		return 2;
	}
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	if (!json_parser_load_from_file(parser, argv[1], &error))
		return fail("not valid JSON: %s", error->message);
	JsonNode *root = json_parser_get_root(parser);
	if (!JSON_NODE_HOLDS_OBJECT(root) ||
	    !json_object_has_member(json_node_get_object(root), "traceEvents"))
		return fail("%s: not an object with traceEvents", argv[1]);
	JsonArray *events = json_object_get_array_member(json_node_get_object(root), "traceEvents");
	if (!events)
		return fail("%s: traceEvents is not an array", argv[1]);
	g_autoptr(GHashTable) depth = g_hash_table_new(NULL, NULL);
	g_autoptr(GHashTable) flows =
	    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	g_autoptr(GHashTable) names = g_hash_table_new_full(NULL, NULL, NULL, g_free);
	g_autoptr(GHashTable) ends = g_hash_table_new_full(NULL, NULL, NULL, g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	guint n = json_array_get_length(events), slices = 0;
	for (guint i = 0; i < n; i++) {
		JsonNode *node = json_array_get_element(events, i);
		if (!JSON_NODE_HOLDS_OBJECT(node))
			return fail("event %u is not an object", i);
		JsonObject *ev = json_node_get_object(node);
		if (check_event(ev, i, depth, flows, names, ends, seen))
			return 1;
		slices += !strcmp(json_object_get_string_member(ev, "ph"), "B");
	}
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, depth);
	while (g_hash_table_iter_next(&it, &k, &v))
		if (GPOINTER_TO_INT(v) != 0)
			return fail("track %d: %d slices left open", GPOINTER_TO_INT(k),
			            GPOINTER_TO_INT(v));
	g_hash_table_iter_init(&it, flows);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		FlowSeen *fl = v;
		if (fl->starts != 1 || fl->finishes != 1 || fl->f_ts < fl->s_ts)
			return fail("flow %s: not one start then one finish (id %" G_GINT64_FORMAT
			            ")",
			            fl->name, *(gint64 *)k);
		const char *from = g_hash_table_lookup(names, GINT_TO_POINTER((int)fl->from_tid));
		const char *to = g_hash_table_lookup(names, GINT_TO_POINTER((int)fl->to_tid));
		printf("flow %s %s %s\n", fl->name, from ? from : "?", to ? to : "?");
	}
	guint n_seen = 0;
	g_autofree gpointer *lines = g_hash_table_get_keys_as_array(seen, &n_seen);
	qsort(lines, n_seen, sizeof(gpointer), by_string);
	for (guint i = 0; i < n_seen; i++)
		printf("%s\n", (const char *)lines[i]);
	printf("events %u slices %u flows %u\n", n, slices, g_hash_table_size(flows));
	return 0;
}
