/* sanitize-task.c with its bugs, built with LeakSanitizer alone (tests/devtools/sanitize.sh). */
#include "sanitize-bugs.c"
