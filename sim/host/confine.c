/*
 * confine.c: the boundary around task processes (see confine.h).
 *
 * The order follows bubblewrap's: namespaces first (the user namespace with them, so that
 * the others are owned by it and the child may mount in them), then the identity maps,
 * then the root (mounts made private, a tmpfs, read-only bind mounts of the files the task
 * needs, pivot_root into it, the old root detached, the tmpfs made read-only), then the
 * process attributes that exec keeps (no address randomisation), then the capabilities
 * dropped (bounding set, securebits, sets), no_new_privs, and last the seccomp filter,
 * just before exec. Bind sources are opened as O_PATH descriptors before the tmpfs is
 * mounted, so any host path works, even one under the staging directory.
 *
 * Which files: the binary, the dynamic loader and the libraries it loads, as the loader
 * itself resolves them (`ld.so --list`, run once per binary in the daemon: in list mode
 * the loader maps the libraries but runs none of the task's code), plus the loader's
 * cache. Each is bound alone at its host path, read-only: the task sees nothing else of
 * the host, no /proc, no /dev, no /tmp.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <seccomp.h>

#include "sim/host/confine.h"
#include "sim/host/confine_fds.h"
#include "sim/host/fd.h"
#include "sim/host/debug.h"
#include "sim/host/devtools.h"
#include "sim/host/proc.h"
#include "sim/host/sandbox.h"

#define STAGING    "/tmp" /* where the new root is built, in the child's mount namespace */
#define MAX_FILES  64     /* files bound into one root */
#define HANDOFF_MS 10000  /* the child reaches its exec within this */

static gboolean write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return FALSE;
	size_t len = strlen(text);
	gboolean ok = write(fd, text, len) == (ssize_t)len;
	close(fd);
	return ok;
}

/* Map the caller's own ids (|uid|, |gid| outside) into the user namespace it just entered,
 * as |inside_uid| and |inside_gid|. */
static gboolean map_self(uid_t inside_uid, gid_t inside_gid, uid_t uid, gid_t gid)
{
	char line[64];
	if (!write_file("/proc/self/setgroups", "deny"))
		return FALSE;
	snprintf(line, sizeof(line), "%u %u 1\n", (unsigned)inside_uid, (unsigned)uid);
	if (!write_file("/proc/self/uid_map", line))
		return FALSE;
	snprintf(line, sizeof(line), "%u %u 1\n", (unsigned)inside_gid, (unsigned)gid);
	return write_file("/proc/self/gid_map", line);
}

/* A descriptor of |fd|'s object at CONFINE_FD_LAST + 1 or above (close-on-exec), so that
 * the spawn's dup2 actions never overwrite a source; closes |fd|. */
static int above_fixed(int fd)
{
	if (fd < 0 || fd > CONFINE_FD_LAST)
		return fd;
	int hi = fcntl(fd, F_DUPFD_CLOEXEC, CONFINE_FD_LAST + 1);
	close(fd);
	return hi;
}

static int net_fd = -1; /* the tasks' network namespace (empty: not even loopback up) */

/* The PID namespace's first process: it holds the tasks' network namespace, only reaps,
 * and dies with the daemon (and with it every task: the namespace ends with its init).
 * One network namespace for every task: creating one per process costs milliseconds, and
 * the boundary refuses sockets anyway. */
static __attribute__((noreturn)) void reaper(int ready)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	char ok = unshare(CLONE_NEWNET) == 0 ? 'n' : '-';
	if (write(ready, &ok, 1) != 1)
		_exit(1);
	syscall(SYS_close_range, 0, ~0u, 0);
	prctl(PR_SET_NAME, "sentry-sim-init");
	for (;;)
		if (waitpid(-1, NULL, 0) < 0)
			pause();
}

/* At the daemon's exit, its children are born in its own PID namespace again, not the tasks':
 * a child made then is no task. LeakSanitizer's exit check makes one (a tracer that stops the
 * daemon's threads): in the tasks' namespace it cannot see them, and the daemon waited for it
 * for ever. Without the rights (the daemon made a user namespace of its own to get the PID
 * namespace), nothing changes. */
static void children_in_own_pid_namespace(void)
{
	int fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)setns(fd, CLONE_NEWPID);
		close(fd);
	}
}

/* The helper: $SENTRY_SIM_CONFINE (a person's choice, for a build tree), else beside the
 * running program (a build tree), else the installed one. */
static char *find_helper(GError **error)
{
	const char *env = g_getenv("SENTRY_SIM_CONFINE");
	if (env && *env)
		return g_strdup(env);
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *dir = self ? g_path_get_dirname(self) : NULL;
	g_autofree char *beside = dir ? g_build_filename(dir, CONFINE_HELPER, NULL) : NULL;
	if (beside && g_file_test(beside, G_FILE_TEST_IS_EXECUTABLE))
		return g_steal_pointer(&beside);
	g_autofree char *installed = g_build_filename(PKGLIBEXECDIR, CONFINE_HELPER, NULL);
	if (g_file_test(installed, G_FILE_TEST_IS_EXECUTABLE))
		return g_steal_pointer(&installed);
	g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
	            "cannot find the confinement helper %s (looked beside the program and in %s; "
	            "set SENTRY_SIM_CONFINE to its path in a build tree)",
	            CONFINE_HELPER, PKGLIBEXECDIR);
	return NULL;
}

gboolean confine_helper_check(GError **error)
{
	g_autofree char *helper = find_helper(error);
	return helper != NULL;
}

gboolean confine_daemon_init(GError **error)
{
	static gboolean done;
	if (done)
		return TRUE;
	/* no task can start without the helper: say so before anything runs */
	g_autofree char *helper = find_helper(error);
	if (!helper)
		return FALSE;
	debug_helper_start(); /* before the namespace: the helper stays outside (debug.h) */
	uid_t uid = geteuid();
	gid_t gid = getegid();
	if (unshare(CLONE_NEWPID) != 0) {
		/* not privileged: a user namespace of our own gives the right to create it. The
		 * daemon is its root: the confinement helper it spawns keeps the capabilities it
		 * needs there across its exec (a non-root uid would lose them) */
		if (unshare(CLONE_NEWUSER | CLONE_NEWPID) != 0 || !map_self(0, 0, uid, gid)) {
			g_set_error(
			    error, HOST_ERROR, HOST_ERROR_SYSTEM,
			    "cannot create the tasks' PID namespace: %s (the task boundary "
			    "needs user namespaces: see kernel.unprivileged_userns_clone and "
			    "user.max_user_namespaces)",
			    g_strerror(errno));
			return FALSE;
		}
	}
	atexit(children_in_own_pid_namespace);
	int ready[2];
	if (pipe2(ready, O_CLOEXEC) != 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "pipe: %s", g_strerror(errno));
		return FALSE;
	}
	pid_t init = fork();
	if (init < 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "cannot start the tasks' PID namespace: %s", g_strerror(errno));
		return FALSE;
	}
	if (init == 0)
		reaper(ready[1]);
	close(ready[1]);
	char ok = 0;
	gboolean got = read(ready[0], &ok, 1) == 1 && ok == 'n';
	close(ready[0]);
	char net_path[64];
	snprintf(net_path, sizeof(net_path), "/proc/%d/ns/net", (int)init);
	net_fd = got ? above_fixed(open(net_path, O_RDONLY | O_CLOEXEC)) : -1;
	if (net_fd < 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "cannot create the tasks' network namespace: %s", g_strerror(errno));
		return FALSE;
	}
	done = TRUE;
	return TRUE;
}

/* The dynamic loader of this process (the system's), found among the loaded objects. */
static int find_loader(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	if (info->dlpi_addr == (ElfW(Addr))getauxval(AT_BASE) && info->dlpi_name &&
	    info->dlpi_name[0] == '/') {
		*(const char **)data = info->dlpi_name;
		return 1;
	}
	return 0;
}

char **confine_task_files(const char *binary, GError **error)
{
	char *real = realpath(binary, NULL);
	if (!real) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_TASK, "cannot start '%s': %s", binary,
		            g_strerror(errno));
		return NULL;
	}
	g_autofree char *path = g_strdup(real);
	free(real);
	char head[4] = {0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, head, sizeof(head)) : -1;
	if (fd >= 0)
		close(fd);
	if (got >= 2 && head[0] == '#' && head[1] == '!') {
		g_set_error(
		    error, HOST_ERROR, HOST_ERROR_TASK,
		    "cannot start '%s': it is a script, not a task: a task is an ELF "
		    "program linked with libsentry-uapi (nothing runs outside the boundary, "
		    "which holds no shell)",
		    binary);
		return NULL;
	}
	GPtrArray *files = g_ptr_array_new();
	g_ptr_array_add(files, g_strdup(path));
	const char *loader = NULL;
	dl_iterate_phdr(find_loader, &loader);
	g_autofree char *out = NULL;
	int status = 1;
	if (loader) {
		const char *argv[] = {loader, "--list", path, NULL};
		g_auto(GStrv) envp = NULL;
		static const char *const keep[] = {"LD_LIBRARY_PATH", "LD_PRELOAD"};
		for (size_t i = 0; i < G_N_ELEMENTS(keep); i++)
			if (g_getenv(keep[i]))
				envp = g_environ_setenv(envp, keep[i], g_getenv(keep[i]), TRUE);
		if (!envp)
			envp = g_new0(char *, 1);
		if (!g_spawn_sync(NULL, (char **)argv, envp, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
		                  &out, NULL, &status, NULL))
			status = 1;
	}
	(void)status; /* non-zero when a library is not found: bind what was found, and the
	                 loader inside says what is missing */
	if (out) {
		g_auto(GStrv) lines = g_strsplit(out, "\n", -1);
		for (char **l = lines; *l; l++) {
			const char *s = strstr(*l, " => ");
			s = s ? s + 4 : *l;
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s != '/')
				continue;
			const char *e = strstr(s, " (");
			g_autofree char *lib = e ? g_strndup(s, (gsize)(e - s)) : g_strdup(s);
			gboolean seen = FALSE;
			for (guint i = 0; i < files->len; i++)
				seen |= strcmp(files->pdata[i], lib) == 0;
			if (!seen && files->len < MAX_FILES - 3)
				g_ptr_array_add(files, g_steal_pointer(&lib));
		}
	}
	/* the loader and its cache in any case: when a library is missing, the list is empty
	 * and the loader inside says which (that message is the task's diagnosis) */
	gboolean have_loader = FALSE;
	for (guint i = 0; loader && i < files->len; i++)
		have_loader |= strcmp(files->pdata[i], loader) == 0;
	if (loader && !have_loader)
		g_ptr_array_add(files, g_strdup(loader));
	if (access("/etc/ld.so.cache", R_OK) == 0)
		g_ptr_array_add(files, g_strdup("/etc/ld.so.cache"));
	g_ptr_array_add(files, NULL);
	return (char **)g_ptr_array_free(files, FALSE);
}

/* mkdir -p of the directories above |path| (a path under the staging root). */
static int make_parents(char *path)
{
	for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		int rc = mkdir(path, 0755);
		*s = '/';
		if (rc != 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

unsigned long confine_kept_flags(const char *path)
{
	struct statvfs sv;
	unsigned long f = 0;
	if (statvfs(path, &sv) != 0)
		return 0;
	if (sv.f_flag & ST_NOEXEC)
		f |= MS_NOEXEC;
	if (sv.f_flag & ST_NOATIME)
		f |= MS_NOATIME;
	if (sv.f_flag & ST_NODIRATIME)
		f |= MS_NODIRATIME;
	if (sv.f_flag & ST_RELATIME)
		f |= MS_RELATIME;
	return f;
}

static const char *build_root(char *const *files, DevtoolsChild *tools)
{
	int src[MAX_FILES];
	size_t n = 0;
	for (; files[n] && n < MAX_FILES; n++) {
		src[n] = open(files[n], O_PATH | O_CLOEXEC);
		if (src[n] < 0)
			return "cannot open a file of the task's root";
	}
	const char *err = tools ? devtools_child_open(tools) : NULL;
	if (err)
		return err;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		return "cannot make the mounts private";
	if (mount("tmpfs", STAGING, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755") != 0)
		return "cannot mount the task's root";
	for (size_t i = 0; i < n; i++) {
		char dst[PATH_MAX], from[64];
		if (snprintf(dst, sizeof(dst), STAGING "%s", files[i]) >= (int)sizeof(dst))
			return "a path of the task's root is too long";
		if (make_parents(dst) != 0)
			return "cannot create a directory of the task's root";
		int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
		snprintf(from, sizeof(from), "/proc/self/fd/%d", src[i]);
		if (mount(from, dst, NULL, MS_BIND, NULL) != 0)
			return "cannot bind a file into the task's root";
		unsigned long ro = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV;
		if (mount(NULL, dst, NULL, ro | confine_kept_flags(dst), NULL) != 0)
			return "cannot make a file of the task's root read-only";
		close(src[i]);
	}
	if (tools && (err = devtools_child_mount(tools, STAGING, files[0])))
		return err;
	if (chdir(STAGING) != 0 || syscall(SYS_pivot_root, ".", ".") != 0 ||
	    umount2(".", MNT_DETACH) != 0 || chdir("/") != 0)
		return "cannot enter the task's root";
	if (mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL) != 0)
		return "cannot make the task's root read-only";
	return NULL;
}

/* The root holder: a child of the daemon that builds the root of one binary in user, mount
 * and IPC namespaces of its own, says so on |ready| and waits for the daemon to have opened
 * them (EOF on |go|). The processes of the binary share them: the root is read-only, and
 * the boundary refuses every System V and POSIX IPC call, so nothing passes through the
 * IPC namespace from one task to another. */
static __attribute__((noreturn)) void hold_root(char *const *files, DevtoolsChild *tools, int ready,
                                                int go, uid_t uid, gid_t gid)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	const char *err = NULL;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWIPC) != 0)
		err = "cannot create the task's namespaces";
	/* the daemon's ids are the namespace's root (without any capability: the helper
	 * empties the bounding set and locks the securebits), so that the daemon owns the
	 * task's /proc entries and can verify what descriptors it holds (proc.c) */
	else if (!map_self(0, 0, uid, gid))
		err = "cannot map the task's user namespace";
	else
		err = build_root(files, tools);
	if (err) { /* the step and its error, for the daemon's message */
		char text[160];
		int n = snprintf(text, sizeof(text), "E%s: %s", err, strerror(errno));
		if (write(ready, text, n > 0 ? (size_t)MIN(n, (int)sizeof(text) - 1) : 1) < 0)
			_exit(1);
		_exit(1);
	}
	char byte = 'R';
	if (write(ready, &byte, 1) != 1)
		_exit(1);
	while (read(go, &byte, 1) > 0)
		;
	_exit(0);
}

/* What a file was when a root was built: if it changes (a binary or a library rebuilt),
 * the root is built again. */
typedef struct {
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
} FileId;

static gboolean file_id(const char *path, FileId *id)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return FALSE;
	*id = (FileId){.dev = st.st_dev, .ino = st.st_ino, .mtime = st.st_mtim};
	return TRUE;
}

typedef struct {
	char **files; /* confine_task_files */
	FileId *ids;  /* one per file, when the root was built */
	int user_fd, mnt_fd, ipc_fd;
	guint64 id; /* the daemon's count of roots built when this one was */
} Root;

/* Are the files of |r| still those it was built with? */
static gboolean root_current(const Root *r)
{
	for (guint i = 0; r->files[i]; i++) {
		FileId now;
		if (!file_id(r->files[i], &now) || now.dev != r->ids[i].dev ||
		    now.ino != r->ids[i].ino || now.mtime.tv_sec != r->ids[i].mtime.tv_sec ||
		    now.mtime.tv_nsec != r->ids[i].mtime.tv_nsec)
			return FALSE;
	}
	return TRUE;
}

static void root_free(Root *r)
{
	g_strfreev(r->files);
	g_free(r->ids);
	if (r->user_fd >= 0)
		close(r->user_fd);
	if (r->mnt_fd >= 0)
		close(r->mnt_fd);
	if (r->ipc_fd >= 0)
		close(r->ipc_fd);
	g_free(r);
}

/* Build the root of |binary| in a holder process and keep its namespaces. */
static Root *build_root_ns(const char *binary, DevtoolsChild *tools, GError **error)
{
	char **files = confine_task_files(binary, error);
	if (!files)
		return NULL;
	Root *r = g_new0(Root, 1);
	r->files = files;
	r->user_fd = r->mnt_fd = r->ipc_fd = -1;
	r->ids = g_new0(FileId, g_strv_length(files));
	for (guint i = 0; files[i]; i++)
		file_id(files[i], &r->ids[i]);
	int ready[2], go[2];
	if (pipe2(ready, O_CLOEXEC) != 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "pipe: %s", g_strerror(errno));
		root_free(r);
		return NULL;
	}
	if (pipe2(go, O_CLOEXEC) != 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "pipe: %s", g_strerror(errno));
		close(ready[0]);
		close(ready[1]);
		root_free(r);
		return NULL;
	}
	uid_t uid = geteuid();
	gid_t gid = getegid();
	pid_t pid = fork();
	if (pid == 0) {
		close(go[1]);
		hold_root(files, tools, ready[1], go[0], uid, gid);
	}
	close(ready[1]);
	close(go[0]);
	char said[160] = "";
	ssize_t got = pid > 0 ? read(ready[0], said, sizeof(said) - 1) : -1;
	gboolean built = got == 1 && said[0] == 'R';
	close(ready[0]);
	if (built) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
		r->user_fd = above_fixed(open(path, O_RDONLY | O_CLOEXEC));
		snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
		r->mnt_fd = above_fixed(open(path, O_RDONLY | O_CLOEXEC));
		snprintf(path, sizeof(path), "/proc/%d/ns/ipc", (int)pid);
		r->ipc_fd = above_fixed(open(path, O_RDONLY | O_CLOEXEC));
	}
	close(go[1]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	if (r->user_fd < 0 || r->mnt_fd < 0 || r->ipc_fd < 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_TASK,
		            "cannot start '%s': cannot build its root (an empty read-only root "
		            "holding its files, in user, mount and IPC namespaces): %s",
		            binary,
		            got > 1 && said[0] == 'E' ? said + 1 : "the holder process failed");
		root_free(r);
		return NULL;
	}
	return r;
}

/* The prebuilt programs in a sealed memfd, read-only (confine_fds.h). */
static int make_policy_fd(GError **error)
{
	static const SandboxPolicy order[] = {SANDBOX_BOUNDARY,          SANDBOX_FIDELITY,
	                                      SANDBOX_FIDELITY_DEVTOOLS, SANDBOX_BOUNDARY_LSAN,
	                                      SANDBOX_FIDELITY_LSAN,     SANDBOX_BOUNDARY_SERVER};
	const struct sock_filter *prog[G_N_ELEMENTS(order)];
	size_t n[G_N_ELEMENTS(order)];
	uint64_t off[G_N_ELEMENTS(order)];
	const char *err = NULL;
	struct confine_policy_head head = {.magic = CONFINE_POLICY_MAGIC};
	uint64_t at = sizeof(head);
	for (size_t i = 0; i < G_N_ELEMENTS(order); i++) {
		if (!sandbox_program(order[i], &prog[i], &n[i], &err)) {
			g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM, "%s", err);
			return -1;
		}
		off[i] = at;
		at += n[i] * sizeof(*prog[i]);
	}
	head.n_boundary = (uint32_t)n[0];
	head.n_fidelity = (uint32_t)n[1];
	head.n_devtools = (uint32_t)n[2];
	head.n_boundary_lsan = (uint32_t)n[3];
	head.n_lsan = (uint32_t)n[4];
	head.boundary_offset = off[0];
	head.fidelity_offset = off[1];
	head.devtools_offset = off[2];
	head.boundary_lsan_offset = off[3];
	head.lsan_offset = off[4];
	head.n_server = (uint32_t)n[5];
	head.server_offset = off[5];
	sim_autofd int fd = memfd_create("sentry-policy", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	gboolean ok = fd >= 0 && pwrite(fd, &head, sizeof(head), 0) == (ssize_t)sizeof(head);
	for (size_t i = 0; ok && i < G_N_ELEMENTS(order); i++)
		ok = pwrite(fd, prog[i], n[i] * sizeof(*prog[i]), (off_t)off[i]) ==
		     (ssize_t)(n[i] * sizeof(*prog[i]));
	if (!ok ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
		            "cannot write the task filters: %s", g_strerror(errno));
		return -1;
	}
	return above_fixed(sim_reopen_read_only(fd));
}

/* The key of the root of |binary| with |tools|: a task with developer tools gets its own
 * (its /proc/self files hold its environment and arguments, devtools.h). */
static char *root_key(const char *binary, const DevtoolsChild *tools)
{
	if (!tools)
		return g_strdup(binary);
	GString *k = g_string_new(binary);
	g_string_append_printf(k, "\n%u\n%s", tools->kinds,
	                       tools->coverage_dir ? tools->coverage_dir : "");
	for (char *const *e = tools->envp; e && *e; e++)
		g_string_append_printf(k, "\ne:%s", *e);
	for (char *const *a = tools->argv; a && *a; a++)
		g_string_append_printf(k, "\na:%s", *a);
	return g_string_free(k, FALSE);
}

gboolean confine_prepare(const char *binary, DevtoolsChild *tools, ConfineStart *out,
                         GError **error)
{
	static GHashTable *roots; /* binary -> Root, for the daemon's life */
	static int policy_fd = -1;
	static char *helper;
	if (!helper && !(helper = find_helper(error)))
		return FALSE;
	if (policy_fd < 0 && (policy_fd = make_policy_fd(error)) < 0)
		return FALSE;
	if (!roots)
		roots = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		                              (GDestroyNotify)root_free);
	g_autofree char *key = root_key(binary, tools);
	Root *r = g_hash_table_lookup(roots, key);
	if (r && !root_current(r)) {
		g_hash_table_remove(roots, key); /* rebuilt since: a new root */
		r = NULL;
	}
	if (!r) {
		static guint64 built;
		if (!(r = build_root_ns(binary, tools, error)))
			return FALSE;
		r->id = ++built;
		g_hash_table_insert(roots, g_steal_pointer(&key), r);
	}
	out->files = r->files;
	out->helper = helper;
	out->exec_path = r->files[0];
	out->policy_fd = policy_fd;
	out->user_fd = r->user_fd;
	out->mnt_fd = r->mnt_fd;
	out->ipc_fd = r->ipc_fd;
	out->net_fd = net_fd;
	out->root_id = r->id;
	return TRUE;
}

static gboolean wait_readable(int fd, int ms)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int rc;
	do
		rc = poll(&pfd, 1, ms);
	while (rc < 0 && errno == EINTR);
	return rc == 1 && (pfd.revents & POLLIN);
}

int confine_recv_fd(int sock, char what)
{
	int fd = -1;
	char byte = 0;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr msg = {.msg_iov = &iov,
	                     .msg_iovlen = 1,
	                     .msg_control = ctl.buf,
	                     .msg_controllen = sizeof(ctl.buf)};
	if (wait_readable(sock, HANDOFF_MS) && recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) == 1) {
		struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
		if (c && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	}
	if (fd >= 0 && byte != what) {
		close(fd);
		fd = -1;
	}
	return fd;
}

pid_t confine_spawn(const ConfineStart *cs, const int task_fds[CONFINE_FD_POLICY], const char *name,
                    const char *mode, char **envp)
{
	static int devnull = -1;
	if (devnull < 0 && (devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		return -1;
	int from[CONFINE_FD_LAST + 1] = {[CONFINE_FD_POLICY] = cs->policy_fd,
	                                 [CONFINE_FD_USER] = cs->user_fd,
	                                 [CONFINE_FD_MNT] = cs->mnt_fd,
	                                 [CONFINE_FD_NET] = cs->net_fd,
	                                 [CONFINE_FD_IPC] = cs->ipc_fd};
	for (int i = 0; i < CONFINE_FD_POLICY; i++)
		from[i] = task_fds[i] >= 0 ? task_fds[i] : devnull;
	/* every source above the fixed numbers first, so that no dup2 overwrites another */
	int high[CONFINE_FD_LAST + 1];
	for (int i = 0; i <= CONFINE_FD_LAST; i++)
		high[i] = from[i] > CONFINE_FD_LAST
		              ? from[i]
		              : fcntl(from[i], F_DUPFD_CLOEXEC, CONFINE_FD_LAST + 1);
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	int rc = 0;
	for (int i = 0; i <= CONFINE_FD_LAST && !rc; i++)
		rc = high[i] < 0 ? EBADF : posix_spawn_file_actions_adddup2(&fa, high[i], i);
	if (!rc)
		rc = posix_spawn_file_actions_addclosefrom_np(&fa, CONFINE_FD_LAST + 1);
	if (!rc)
		rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
	if (!rc)
		rc = posix_spawnattr_setpgroup(&attr, 0);
	pid_t pid = -1;
	char *argv[] = {(char *)cs->helper, (char *)cs->exec_path, (char *)name, (char *)mode,
	                NULL};
	if (!rc)
		rc = posix_spawn(&pid, cs->helper, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	for (int i = 0; i <= CONFINE_FD_LAST; i++)
		if (high[i] >= 0 && high[i] != from[i])
			close(high[i]);
	errno = rc;
	return rc ? -1 : pid;
}

int confine_first_exec(int sock, GError **error)
{
	int listener = confine_recv_fd(sock, 'L');
	if (listener < 0) {
		g_set_error(error, HOST_ERROR, HOST_ERROR_TASK,
		            "the process failed before its exec");
		return -1;
	}
	struct seccomp_notif req;
	memset(&req, 0, sizeof(req));
	if (!wait_readable(listener, HANDOFF_MS) ||
	    ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) {
		close(listener);
		g_set_error(error, HOST_ERROR, HOST_ERROR_TASK,
		            "the process did not reach its exec");
		return -1;
	}
	struct seccomp_notif_resp resp = {.id = req.id};
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, req.data.nr);
	gboolean exec = name && strcmp(name, "execve") == 0;
	free(name);
	if (exec)
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else
		resp.error = -EPERM;
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	if (!exec) {
		close(listener);
		g_set_error(error, HOST_ERROR, HOST_ERROR_TASK,
		            "the process made a refused call before its exec");
		return -1;
	}
	return listener;
}

char *confine_refused(int listener)
{
	if (listener < 0 || !wait_readable(listener, 0))
		return NULL;
	struct seccomp_notif req;
	memset(&req, 0, sizeof(req));
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0)
		return NULL;
	struct seccomp_notif_resp resp = {.id = req.id, .error = -EPERM};
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, req.data.nr);
	char *d = g_strdup_printf("'%s' (%d)", name ? name : "?", req.data.nr);
	free(name);
	return d;
}
