// Hardware CRC-32C (the SSE4.2 `crc32` instruction) for Patchwork's CRC32C; header-only, no
// library. Swift cannot reach the intrinsic, so these static inline functions wrap it. On other
// architectures pw_crc32c_available() returns 0 and Swift uses its slicing-by-8 tables.
#ifndef PATCHWORK_CCRC32C_H
#define PATCHWORK_CCRC32C_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>

/// 1 when the CPU has SSE4.2 (CPUID leaf 1, ECX bit 20).
static inline int pw_crc32c_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (c >> 20) & 1;
}

/// Feeds `n` bytes to the raw (pre-inverted) CRC state `crc`; call only when available.
__attribute__((target("sse4.2")))
static inline uint32_t pw_crc32c_update(uint32_t crc, const void *data, size_t n) {
    const unsigned char *p = (const unsigned char *)data;
    uint64_t c = crc;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        c = __builtin_ia32_crc32di(c, w);
        p += 8; n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n > 0) { c32 = __builtin_ia32_crc32qi(c32, *p); p++; n--; }
    return c32;
}
#else
static inline int pw_crc32c_available(void) { return 0; }
static inline uint32_t pw_crc32c_update(uint32_t crc, const void *data, size_t n) { (void)data; (void)n; return crc; }
#endif

#endif
