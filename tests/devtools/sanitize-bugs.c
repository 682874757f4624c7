/* sanitize-task.c with its bugs (tests/devtools/sanitize.sh). */
#define SANITIZE_BUG 1
#include "sanitize-task.c"
