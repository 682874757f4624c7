/*
 * policy-export: print both seccomp policies of a task process (the boundary and the fidelity check) as libseccomp PFC text, for
 * a fixed pid, so that tests/integration/policy.sh can diff them against golden files.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sim/host/sandbox.h"

int main(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "boundary") && strcmp(argv[1], "fidelity") &&
			  strcmp(argv[1], "devtools"))) {
		fprintf(stderr, "usage: policy-export boundary|fidelity|devtools\n");
		return 2;
	}
	const char *err = NULL;
	SandboxPolicy policy = strcmp(argv[1], "fidelity") == 0   ? SANDBOX_FIDELITY
			       : strcmp(argv[1], "devtools") == 0 ? SANDBOX_FIDELITY_DEVTOOLS
								  : SANDBOX_BOUNDARY;
	scmp_filter_ctx ctx = sandbox_build(policy, 4242, &err);
	if (!ctx) {
		fprintf(stderr, "policy-export: %s\n", err);
		return 1;
	}
	fflush(stdout);
	int rc = seccomp_export_pfc(ctx, STDOUT_FILENO);
	seccomp_release(ctx);
	return rc == 0 ? 0 : 1;
}
