// Patchwork's bridge to libpng. libpng reports errors by calling an error function that must not
// return (it longjmps back to a setjmp point); Swift cannot call setjmp, so the whole guarded
// write lives here in C and returns an error code with a message instead.
#ifndef PATCHWORK_CPNG_SHIM_H
#define PATCHWORK_CPNG_SHIM_H

#include <png.h>
#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/// Result codes of patchwork_png_write_rgb8.
enum {
    PATCHWORK_PNG_OK = 0,
    PATCHWORK_PNG_OPEN_FAILED = 1,    // fopen of the temporary file failed; errno set
    PATCHWORK_PNG_LIBPNG_FAILED = 2,  // libpng reported an error; message set
    PATCHWORK_PNG_CREATE_FAILED = 3,  // png_create_write_struct / info_struct returned NULL
    PATCHWORK_PNG_CLOSE_FAILED = 4,   // fflush / fclose failed (disk full, I/O error); errno set
    PATCHWORK_PNG_RENAME_FAILED = 5,  // renaming the temporary file onto the path failed; errno set
    PATCHWORK_PNG_PATH_TOO_LONG = 6,
};

/// Where the error callback records libpng's message before jumping back.
typedef struct {
    char message[256];
} patchwork_png_error_state;

static inline void patchwork_png_on_error(png_structp png, png_const_charp message) {
    patchwork_png_error_state *state = (patchwork_png_error_state *)png_get_error_ptr(png);
    if (state != NULL) {
        snprintf(state->message, sizeof state->message, "%s", message ? message : "unknown libpng error");
    }
    png_longjmp(png, 1);
}

static inline void patchwork_png_on_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;  // warnings are not errors; stay quiet
}

/// Writes an 8-bit RGB, non-interlaced PNG of `width` × `height` pixels from `rgb` (3 bytes per
/// pixel, rows top first, `width * 3` bytes per row) to `path`. The image is written to
/// "<path>.<pid>.partial" first and renamed onto `path` once complete, so a failed write never leaves a
/// truncated picture at `path`. On failure returns a PATCHWORK_PNG_* code, stores `errno` (when
/// relevant) in `*error_number` and a message in `message` (capacity `message_capacity`).
static inline int patchwork_png_write_rgb8(const char *path, const uint8_t *rgb, uint32_t width,
                                          uint32_t height, int compression_level,
                                          int *error_number, char *message,
                                          size_t message_capacity) {
    *error_number = 0;
    if (message_capacity > 0) message[0] = '\0';
    char temporary[4096];
    if ((size_t)snprintf(temporary, sizeof temporary, "%s.%ld.partial", path, (long)getpid()) >= sizeof temporary) {
        return PATCHWORK_PNG_PATH_TOO_LONG;
    }
    patchwork_png_error_state state;
    state.message[0] = '\0';

    FILE *volatile file = fopen(temporary, "wb");
    if (file == NULL) {
        *error_number = errno;
        return PATCHWORK_PNG_OPEN_FAILED;
    }
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state,
                                              patchwork_png_on_error, patchwork_png_on_warning);
    if (png == NULL) {
        fclose(file);
        unlink(temporary);
        return PATCHWORK_PNG_CREATE_FAILED;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        fclose(file);
        unlink(temporary);
        return PATCHWORK_PNG_CREATE_FAILED;
    }
    if (setjmp(png_jmpbuf(png))) {
        // libpng failed somewhere below and jumped back here.
        png_destroy_write_struct(&png, &info);
        fclose(file);
        unlink(temporary);
        snprintf(message, message_capacity, "%s", state.message);
        return PATCHWORK_PNG_LIBPNG_FAILED;
    }
    png_init_io(png, file);
    png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (compression_level >= 0 && compression_level <= 9) {
        png_set_compression_level(png, compression_level);
    }
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(rgb + (size_t)y * width * 3));
    }
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);

    if (fflush(file) != 0 || ferror(file)) {
        *error_number = errno;
        fclose(file);
        unlink(temporary);
        return PATCHWORK_PNG_CLOSE_FAILED;
    }
    if (fclose(file) != 0) {
        *error_number = errno;
        unlink(temporary);
        return PATCHWORK_PNG_CLOSE_FAILED;
    }
    if (rename(temporary, path) != 0) {
        *error_number = errno;
        unlink(temporary);
        return PATCHWORK_PNG_RENAME_FAILED;
    }
    return PATCHWORK_PNG_OK;
}

/// The text of an errno value (strerror), for error messages.
static inline const char *patchwork_png_strerror(int error_number) {
    return strerror(error_number);
}

/// The libpng version the program runs with, e.g. "1.6.39".
static inline const char *patchwork_png_version(void) {
    return png_get_libpng_ver(NULL);
}

#endif
