/*
 * errors.h: every GError domain of the daemon (sim/), in one place, so that a layer can
 * report or test an error of another without including that layer (docs/errors.md).
 *
 * Messages follow STYLE.md: "FILE:LINE: message", lowercase, names quoted, no final period.
 */
#ifndef SIM_ERRORS_H
#define SIM_ERRORS_H

#include <glib.h>

/* The host layer (sim/host) and the files it writes (sim/trace). */
#define HOST_ERROR host_error_quark()
GQuark host_error_quark(void);
typedef enum {
	HOST_ERROR_SYSTEM, /* a host facility failed (fork, memfd, a file, ...) */
	HOST_ERROR_TASK,   /* a task process could not be started */
	HOST_ERROR_CONFIG, /* the configuration cannot be run as it is */
} HostError;

/* Scenario files: descriptions and their scripts (sim/scenario). */
#define INI_ERROR (ini_error_quark())
GQuark ini_error_quark(void);
typedef enum {
	INI_ERROR_IO,        /* the file cannot be read */
	INI_ERROR_SYNTAX,    /* a line is neither a group header, a key nor a comment */
	INI_ERROR_DUPLICATE, /* a group, a key, a task or a label given twice */
	INI_ERROR_VALUE,     /* a value does not parse or is out of range */
	INI_ERROR_UNKNOWN,   /* unknown group or key */
	INI_ERROR_MISSING,   /* a required key or group is absent */
	INI_ERROR_INVALID,   /* values that do not fit together */
	INI_ERROR_NOT_FOUND, /* a file the description names (a task binary) is not usable */
} IniError;

#endif
