// The CPU's spin-wait hint (x86 `pause`, Arm `yield`) for the dataflow runtime's idle workers;
// header-only, no library. Swift has no intrinsic for it.
#ifndef PATCHWORK_CSPINHINT_H
#define PATCHWORK_CSPINHINT_H

/// Tells the CPU that the thread is spinning: on x86 it waits some tens of cycles and lets the
/// core's other hardware thread run, and the loop around it reads shared cache lines less often.
static inline void pw_spin_hint(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
