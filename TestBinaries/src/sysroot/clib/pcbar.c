/* libpcbar.so.1: a C library that calls a function no library defines (linked as a shared
   object, whose undefined symbols the linker allows): the loader fails on the library itself. */
int pc_nowhere(void);
int pcbar_answer(void) { return pc_nowhere() + 1; }
