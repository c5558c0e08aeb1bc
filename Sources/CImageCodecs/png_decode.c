#include "CImageCodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

struct cic_png {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t position;
    /// Set when the data ran out while rows were still missing.
    int truncated;
    /// Set when the data ran out after the last row was decoded.
    int finished;
    /// When >= 0, image data reads past the end are padded with this byte (see cic_png_set_padding).
    int pad_byte;
    /// Padding bytes supplied so far; at most CIC_PNG_MAX_PADDING.
    size_t padded;
    uint32_t height;
    int interlaced;
    char message[256];
};

static void error_fn(png_structp png, png_const_charp message) {
    cic_png *decoder = png_get_error_ptr(png);
    snprintf(decoder->message, sizeof decoder->message, "%s", message);
    png_longjmp(png, 1);
}

// Pillow never reports what libpng calls warnings or benign errors.
static void warning_fn(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

// Whether every row has been decoded, so libpng is only reading past the image data (the zlib
// trailer, the end of the IDAT chunk). Pillow stops reading there and checks nothing more.
static int rows_complete(cic_png *decoder) {
    if (decoder->interlaced) return png_get_current_pass_number(decoder->png) >= 7;
    png_uint_32 row = png_get_current_row_number(decoder->png);
    return row != PNG_UINT_32_MAX && row >= decoder->height;
}

// Padding only stands in for a missing zlib trailer and chunk checksum, a few bytes; the cap
// keeps a chunk that claims gigabytes past the end of the file from being inflated from padding.
#define CIC_PNG_MAX_PADDING 65536

static void read_fn(png_structp png, png_bytep out, size_t count) {
    cic_png *decoder = png_get_io_ptr(png);
    size_t available = decoder->size - decoder->position;
    if (count > available && decoder->pad_byte >= 0 && decoder->height > 0
        && count - available <= CIC_PNG_MAX_PADDING - decoder->padded) {
        decoder->padded += count - available;
        memcpy(out, decoder->data + decoder->position, available);
        memset(out + available, decoder->pad_byte, count - available);
        decoder->position = decoder->size;
        return;
    }
    if (count > available) {
        if (decoder->height > 0 && rows_complete(decoder)) {
            decoder->finished = 1;
        } else {
            decoder->truncated = 1;
            snprintf(decoder->message, sizeof decoder->message, "image file is truncated");
        }
        png_longjmp(png, 1);
    }
    memcpy(out, decoder->data + decoder->position, count);
    decoder->position += count;
}

cic_png *cic_png_create(const uint8_t *data, size_t size) {
    cic_png *decoder = calloc(1, sizeof(cic_png));
    if (!decoder) return NULL;
    decoder->data = data;
    decoder->size = size;
    decoder->pad_byte = -1;
    decoder->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, decoder, error_fn, warning_fn);
    if (!decoder->png) {
        free(decoder);
        return NULL;
    }
    decoder->info = png_create_info_struct(decoder->png);
    if (!decoder->info) {
        png_destroy_read_struct(&decoder->png, NULL, NULL);
        free(decoder);
        return NULL;
    }
    png_set_read_fn(decoder->png, decoder, read_fn);
    return decoder;
}

cic_status cic_png_read_info(cic_png *decoder, cic_png_info *info) {
    png_structp png = decoder->png;
    if (setjmp(png_jmpbuf(png))) return decoder->truncated ? CIC_TRUNCATED : CIC_ERROR;
    // Pillow verifies the CRC of every chunk before the first IDAT, ancillary ones included.
    png_set_crc_action(png, PNG_CRC_DEFAULT, PNG_CRC_ERROR_QUIT);
    png_read_info(png, decoder->info);
    png_uint_32 width, height;
    int bit_depth, color_type, interlace;
    png_get_IHDR(png, decoder->info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    info->width = width;
    info->height = height;
    info->bit_depth = bit_depth;
    info->color_type = color_type;
    info->interlaced = interlace != PNG_INTERLACE_NONE;
    info->palette_count = 0;
    png_colorp palette;
    int count;
    if (png_get_PLTE(png, decoder->info, &palette, &count) == PNG_INFO_PLTE) {
        if (count > 256) count = 256;
        for (int i = 0; i < count; i++) {
            info->palette[3 * i] = palette[i].red;
            info->palette[3 * i + 1] = palette[i].green;
            info->palette[3 * i + 2] = palette[i].blue;
        }
        info->palette_count = count;
    }
    decoder->interlaced = info->interlaced;
    return CIC_OK;
}

cic_status cic_png_decode(cic_png *decoder, uint8_t *pixels, size_t row_bytes) {
    png_structp png = decoder->png;
    png_bytepp volatile rows = NULL;
    // `rows` is assigned before any call that can jump back here.
    if (setjmp(png_jmpbuf(png))) {
        free(rows);
        if (decoder->finished) return CIC_OK;
        return decoder->truncated ? CIC_TRUNCATED : CIC_ERROR;
    }
    // Pillow checks no CRC from the first IDAT on, and stops inflating once the rows are
    // complete, before the zlib stream's Adler-32 trailer.
    png_set_crc_action(png, PNG_CRC_QUIET_USE, PNG_CRC_QUIET_USE);
    png_set_option(png, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
    png_uint_32 height = png_get_image_height(png, decoder->info);
    decoder->height = height;
    png_set_interlace_handling(png);
    png_read_update_info(png, decoder->info);
    if (png_get_rowbytes(png, decoder->info) != row_bytes) {
        snprintf(decoder->message, sizeof decoder->message, "unexpected row size");
        return CIC_ERROR;
    }
    png_bytepp allocated = malloc(sizeof(png_bytep) * (height > 0 ? height : 1));
    if (!allocated) return CIC_NO_MEMORY;
    for (png_uint_32 y = 0; y < height; y++) allocated[y] = pixels + (size_t)y * row_bytes;
    rows = allocated;
    png_read_image(png, rows);
    free(rows);
    return CIC_OK;
}

void cic_png_set_padding(cic_png *decoder, int byte) { decoder->pad_byte = byte; }

const char *cic_png_message(const cic_png *decoder) { return decoder->message; }

void cic_png_destroy(cic_png *decoder) {
    if (!decoder) return;
    png_destroy_read_struct(&decoder->png, &decoder->info, NULL);
    free(decoder);
}
