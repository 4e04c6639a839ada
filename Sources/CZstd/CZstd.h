// Debian's libzstd-dev (one-shot ZSTD_compress / ZSTD_decompress frames for the Zarr zstd codec).
#ifndef PATCHWORK_CZSTD_H
#define PATCHWORK_CZSTD_H
#include <zstd.h>
#endif
