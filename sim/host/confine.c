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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
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
#include "sim/host/debug.h"
#include "sim/host/devtools.h"
#include "sim/host/proc.h"
#include "sim/host/sandbox.h"

#define STAGING "/tmp"     /* where the new root is built, in the child's mount namespace */
#define MAX_FILES 64       /* files bound into one root */
#define HANDOFF_MS 10000   /* the child reaches its exec within this */

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

static char net_path[64]; /* the tasks' network namespace (empty: not even loopback up) */

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

gboolean confine_daemon_init(GError **error)
{
	static gboolean done;
	if (done)
		return TRUE;
	debug_helper_start(); /* before the namespace: the helper stays outside (debug.h) */
	uid_t uid = geteuid();
	gid_t gid = getegid();
	if (unshare(CLONE_NEWPID) != 0) {
		/* not privileged: a user namespace of our own gives the right to create it */
		if (unshare(CLONE_NEWUSER | CLONE_NEWPID) != 0 || !map_self(uid, gid, uid, gid)) {
			g_set_error(error, HOST_ERROR, HOST_ERROR_SYSTEM,
				    "cannot create the tasks' PID namespace: %s (the task boundary "
				    "needs user namespaces: see kernel.unprivileged_userns_clone and "
				    "user.max_user_namespaces)",
				    g_strerror(errno));
			return FALSE;
		}
	}
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
	snprintf(net_path, sizeof(net_path), "/proc/%d/ns/net", (int)init);
	int probe = got ? open(net_path, O_RDONLY | O_CLOEXEC) : -1;
	if (probe >= 0)
		close(probe);
	if (probe < 0) {
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
		g_set_error(error, HOST_ERROR, HOST_ERROR_TASK,
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
		if (!g_spawn_sync(NULL, (char **)argv, envp, G_SPAWN_STDERR_TO_DEV_NULL, NULL,
				  NULL, &out, NULL, &status, NULL))
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

/* No capability, now or after exec, in any namespace. */
static const char *drop_capabilities(void)
{
	for (int cap = 0; cap <= 63; cap++)
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
			return "cannot empty the capability bounding set";
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if (prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED |
					     SECBIT_NO_SETUID_FIXUP |
					     SECBIT_NO_SETUID_FIXUP_LOCKED |
					     SECBIT_KEEP_CAPS_LOCKED |
					     SECBIT_NO_CAP_AMBIENT_RAISE |
					     SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
		  0, 0, 0) != 0)
		return "cannot lock the securebits";
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2];
	memset(data, 0, sizeof(data));
	if (syscall(SYS_capset, &hdr, data) != 0)
		return "cannot drop the capabilities";
	return NULL;
}

static const char *load_boundary(int sock, pid_t self, const struct sock_filter *insns,
				 size_t n)
{
	struct sock_filter prog[SANDBOX_MAX_INSNS];
	if (n > SANDBOX_MAX_INSNS)
		return "the boundary filter is too long";
	memcpy(prog, insns, n * sizeof(*insns));
	sandbox_patch_self(prog, n, (unsigned)self);
	struct sock_fprog fprog = {.len = (unsigned short)n, .filter = prog};
	int listener = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
				    SECCOMP_FILTER_FLAG_NEW_LISTENER, &fprog);
	if (listener < 0)
		return "cannot load the boundary filter";
	char byte = 'L';
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	memset(&ctl, 0, sizeof(ctl));
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &listener, sizeof(int));
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) != 1)
		return "cannot hand the boundary's listener to the daemon";
	close(listener);
	return NULL;
}

const char *confine_child(char *const *files, DevtoolsChild *tools, int sock, pid_t self,
			  const struct sock_filter *boundary, size_t n)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int net_fd = open(net_path, O_RDONLY | O_CLOEXEC);
	if (net_fd < 0 || setns(net_fd, CLONE_NEWNET) != 0)
		return "cannot enter the tasks' network namespace";
	close(net_fd);
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWIPC) != 0)
		return "cannot create the task's namespaces";
	/* the daemon's ids are the namespace's root (without any capability: the bounding set
	 * is emptied and the securebits locked below), so that the daemon owns the task's
	 * /proc entries and can verify what descriptors it holds (proc.c) */
	if (!map_self(0, 0, uid, gid))
		return "cannot map the task's user namespace";
	const char *err = build_root(files, tools);
	if (err)
		return err;
	if (personality(PER_LINUX | ADDR_NO_RANDOMIZE) < 0)
		return "cannot turn address randomisation off";
	if ((err = drop_capabilities()))
		return err;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return "cannot set no_new_privs";
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); /* exec resets it: the runtime sets it again */
	return load_boundary(sock, self, boundary, n);
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

int confine_first_exec(int sock, GError **error)
{
	int listener = -1;
	char byte;
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
			memcpy(&listener, CMSG_DATA(c), sizeof(int));
	}
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
