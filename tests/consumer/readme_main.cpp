// The README's snippets define functions; this only lets them link into a program.
int main() { return 0; }
