/* A plain C shared library: an ELF shared object that is not a Go plugin. */
int clib_add(int a, int b) { return a + b; }
