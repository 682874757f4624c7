/* <assert.h> in a shield task (pkg-config --cflags shield): shield's <shield/assert.h>.
 * No include guard: like the C library's, it may be included again after changing NDEBUG. */
#include <shield/assert.h>
