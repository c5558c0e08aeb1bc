// Decode glue for libjpeg and libpng.
//
// Both libraries report fatal errors by calling an error handler that must not return; the
// only way out is longjmp, which Swift cannot catch. These functions arm setjmp around every
// library call and turn an error into a result code plus a message. They only move bytes:
// colour conversion and everything Pillow-specific happens in Swift.
#ifndef CIMAGECODECS_H
#define CIMAGECODECS_H

#include <stddef.h>
#include <stdint.h>

/// Result codes of the decode functions.
typedef enum {
    CIC_OK = 0,
    /// The library rejected the data; the decoder's message says why.
    CIC_ERROR = 1,
    /// The data ended before the image did.
    CIC_TRUNCATED = 2,
    /// An allocation failed.
    CIC_NO_MEMORY = 3,
} cic_status;

// MARK: JPEG

typedef struct cic_jpeg cic_jpeg;

typedef struct {
    uint32_t width;
    uint32_t height;
    /// Components in the file (1, 3 or 4), which is also what `cic_jpeg_decode` writes per pixel.
    int32_t components;
} cic_jpeg_info;

/// A decoder reading `size` bytes at `data`, which must outlive it. NULL if out of memory.
cic_jpeg *cic_jpeg_create(const uint8_t *data, size_t size);
/// Reads the header; the output colour space follows the component count as Pillow does.
cic_status cic_jpeg_read_header(cic_jpeg *decoder, cic_jpeg_info *info);
/// Decodes every row into `pixels` (width * height * components bytes, rows packed).
cic_status cic_jpeg_decode(cic_jpeg *decoder, uint8_t *pixels);
/// The library's message for the last CIC_ERROR.
const char *cic_jpeg_message(const cic_jpeg *decoder);
void cic_jpeg_destroy(cic_jpeg *decoder);

// MARK: PNG

typedef struct cic_png cic_png;

typedef struct {
    uint32_t width;
    uint32_t height;
    int32_t bit_depth;
    /// PNG colour type: 0 gray, 2 RGB, 3 palette, 4 gray + alpha, 6 RGBA.
    int32_t color_type;
    int32_t interlaced;
    /// Entries in PLTE (0 when absent).
    int32_t palette_count;
    uint8_t palette[256 * 3];
} cic_png_info;

/// A decoder reading `size` bytes at `data`, which must outlive it. NULL if out of memory.
cic_png *cic_png_create(const uint8_t *data, size_t size);
/// Reads the chunks up to the first IDAT.
cic_status cic_png_read_info(cic_png *decoder, cic_png_info *info);
/// Decodes the raw samples (no transforms; 16-bit big-endian, sub-byte samples packed) of
/// every row into `pixels`, `row_bytes` per row, de-interlacing if needed.
cic_status cic_png_decode(cic_png *decoder, uint8_t *pixels, size_t row_bytes);
/// Pads image data reads past the end of the file with `byte` (0...255) instead of failing.
/// libpng reads a chunk's remaining bytes before inflating them, so a file missing only the
/// zlib trailer fails although every row is there; Pillow, which inflates what it has, accepts
/// it. Decoding with two different paddings and comparing tells the two cases apart.
void cic_png_set_padding(cic_png *decoder, int byte);
/// The library's message for the last CIC_ERROR.
const char *cic_png_message(const cic_png *decoder);
void cic_png_destroy(cic_png *decoder);

#endif
