/*
 * policy-export: print the seccomp policies of a task process (the boundary, its variant for
 * fork servers, the fidelity check and its developer-tools form) as libseccomp PFC text, for
 * a fixed pid, so that tests/integration/policy.sh can diff them against golden files; or, with
 * "prebuilt", check that the programs the daemon builds once (sandbox_program), patched for
 * that pid, are exactly the BPF libseccomp builds for it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/host/sandbox.h"

/* The prebuilt program of |policy| patched for 4242 equals libseccomp's for 4242? */
static int same_as_built(SandboxPolicy policy, const char *name)
{
	const char *err = NULL;
	const struct sock_filter *pre;
	size_t n;
	if (!sandbox_program(policy, &pre, &n, &err)) {
		fprintf(stderr, "policy-export: %s\n", err);
		return 1;
	}
	struct sock_filter *copy = malloc(n * sizeof(*copy));
	memcpy(copy, pre, n * sizeof(*copy));
	size_t patched = sandbox_patch_self(copy, n, 4242);
	scmp_filter_ctx ctx = sandbox_build(policy, 4242, &err);
	int fd = memfd_create("policy-export", 0);
	struct stat st;
	if (!ctx || fd < 0 || seccomp_export_bpf(ctx, fd) != 0 || fstat(fd, &st) != 0) {
		fprintf(stderr, "policy-export: cannot export %s\n", name);
		return 1;
	}
	struct sock_filter *direct = malloc((size_t)st.st_size);
	int same = (size_t)st.st_size == n * sizeof(*copy) &&
	           pread(fd, direct, (size_t)st.st_size, 0) == st.st_size &&
	           memcmp(direct, copy, (size_t)st.st_size) == 0;
	printf("%s: %zu instructions, %zu placeholder(s) patched, %s\n", name, n, patched,
	       same ? "identical to the filter built for the pid" : "DIFFERENT");
	seccomp_release(ctx);
	free(direct);
	free(copy);
	close(fd);
	return same && (patched > 0) == (policy != SANDBOX_BOUNDARY_SERVER) ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "prebuilt") == 0)
		return same_as_built(SANDBOX_BOUNDARY, "boundary") |
		       same_as_built(SANDBOX_FIDELITY, "fidelity") |
		       same_as_built(SANDBOX_FIDELITY_DEVTOOLS, "devtools") |
		       same_as_built(SANDBOX_BOUNDARY_LSAN, "boundary-lsan") |
		       same_as_built(SANDBOX_FIDELITY_LSAN, "lsan") |
		       same_as_built(SANDBOX_BOUNDARY_SERVER, "server");
	static const char *const names[] = {"boundary",      "fidelity", "devtools",
	                                    "boundary-lsan", "lsan",     "server"};
	_Static_assert(sizeof(names) / sizeof(names[0]) == SANDBOX_N_POLICIES, "one name each");
	int policy = -1;
	for (int i = 0; argc == 2 && i < SANDBOX_N_POLICIES; i++)
		if (strcmp(argv[1], names[i]) == 0)
			policy = i;
	if (policy < 0) {
		fprintf(stderr, "usage: policy-export "
		                "boundary|fidelity|devtools|boundary-lsan|lsan|server|prebuilt\n");
		return 2;
	}
	const char *err = NULL;
	scmp_filter_ctx ctx = sandbox_build((SandboxPolicy)policy, 4242, &err);
	if (!ctx) {
		fprintf(stderr, "policy-export: %s\n", err);
		return 1;
	}
	fflush(stdout);
	int rc = seccomp_export_pfc(ctx, STDOUT_FILENO);
	seccomp_release(ctx);
	return rc == 0 ? 0 : 1;
}
