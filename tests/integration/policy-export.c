/*
 * policy-export: print both seccomp filters of a task process as libseccomp PFC text, for
 * a fixed pid, so that tests/integration/policy.sh can diff them against golden files.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "uapi/src/sandbox.h"

int main(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "baseline") && strcmp(argv[1], "strict"))) {
		fprintf(stderr, "usage: policy-export baseline|strict\n");
		return 2;
	}
	const char *err = NULL;
	SandboxLevel level = strcmp(argv[1], "strict") == 0 ? SANDBOX_STRICT : SANDBOX_BASELINE;
	scmp_filter_ctx ctx = sandbox_build(level, 4242, &err);
	if (!ctx) {
		fprintf(stderr, "policy-export: %s\n", err);
		return 1;
	}
	fflush(stdout);
	int rc = seccomp_export_pfc(ctx, STDOUT_FILENO);
	seccomp_release(ctx);
	return rc == 0 ? 0 : 1;
}
