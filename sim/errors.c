/*
 * errors.c: the quarks of the daemon's GError domains (errors.h).
 */
#include "config.h"

#include "sim/errors.h"

G_DEFINE_QUARK(sentry-sim-host-error, host_error)
G_DEFINE_QUARK(ini-error-quark, ini_error)
