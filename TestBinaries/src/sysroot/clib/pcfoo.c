/* libpcfoo.so.1: a C library the target root does not have. */
int pcfoo_answer(void) { return 42; }
