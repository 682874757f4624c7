/*
 * errors.c: the quarks of the daemon's GError domains (errors.h).
 */
#include "config.h"

#include "sim/errors.h"

/* the names are stringified as written */
/* clang-format off */
G_DEFINE_QUARK(sentry-sim-host-error, host_error)
G_DEFINE_QUARK(ini-error-quark, ini_error)
/* clang-format on */
