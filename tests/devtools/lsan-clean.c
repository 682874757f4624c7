/* sanitize-task.c built with LeakSanitizer alone (tests/devtools/sanitize.sh). */
#include "sanitize-task.c"
