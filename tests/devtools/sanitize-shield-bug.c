/* sanitize-shield.c with its bug (tests/devtools/sanitize.sh). */
#define SANITIZE_BUG 1
#include "sanitize-shield.c"
