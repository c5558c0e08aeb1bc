#include "CImageCodecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

struct cic_jpeg {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr error;
    struct jpeg_source_mgr source;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

static void error_exit(j_common_ptr cinfo) {
    cic_jpeg *decoder = (cic_jpeg *)cinfo->client_data;
    (*cinfo->err->format_message)(cinfo, decoder->message);
    longjmp(decoder->jump, 1);
}

// Pillow silences libjpeg's warnings (corrupt data it can recover from is decoded).
static void output_message(j_common_ptr cinfo) { (void)cinfo; }

static void init_source(j_decompress_ptr cinfo) { (void)cinfo; }
static void term_source(j_decompress_ptr cinfo) { (void)cinfo; }

// The whole file is in the buffer from the start, so a request for more data means it ended
// early. Suspending (returning FALSE) rather than inventing an EOI marker mirrors Pillow, whose
// decoder suspends and then reports "image file is truncated".
static boolean fill_input_buffer(j_decompress_ptr cinfo) {
    (void)cinfo;
    return FALSE;
}

static void skip_input_data(j_decompress_ptr cinfo, long count) {
    struct jpeg_source_mgr *source = cinfo->src;
    if (count <= 0) return;
    if ((size_t)count > source->bytes_in_buffer) {
        source->next_input_byte += source->bytes_in_buffer;
        source->bytes_in_buffer = 0;
    } else {
        source->next_input_byte += count;
        source->bytes_in_buffer -= (size_t)count;
    }
}

cic_jpeg *cic_jpeg_create(const uint8_t *data, size_t size) {
    cic_jpeg *decoder = calloc(1, sizeof(cic_jpeg));
    if (!decoder) return NULL;
    decoder->cinfo.err = jpeg_std_error(&decoder->error);
    decoder->error.error_exit = error_exit;
    decoder->error.output_message = output_message;
    decoder->cinfo.client_data = decoder;
    if (setjmp(decoder->jump)) {
        jpeg_destroy_decompress(&decoder->cinfo);
        free(decoder);
        return NULL;
    }
    jpeg_create_decompress(&decoder->cinfo);
    decoder->source.init_source = init_source;
    decoder->source.fill_input_buffer = fill_input_buffer;
    decoder->source.skip_input_data = skip_input_data;
    decoder->source.resync_to_restart = jpeg_resync_to_restart;
    decoder->source.term_source = term_source;
    decoder->source.next_input_byte = data;
    decoder->source.bytes_in_buffer = size;
    decoder->cinfo.src = &decoder->source;
    return decoder;
}

cic_status cic_jpeg_read_header(cic_jpeg *decoder, cic_jpeg_info *info) {
    j_decompress_ptr cinfo = &decoder->cinfo;
    if (setjmp(decoder->jump)) return CIC_ERROR;
    int status;
    // Like Pillow: tables-only datastreams are skipped until an image header appears.
    do {
        status = jpeg_read_header(cinfo, FALSE);
    } while (status == JPEG_HEADER_TABLES_ONLY);
    if (status == JPEG_SUSPENDED) return CIC_TRUNCATED;
    // Pillow picks its mode from the component count and asks libjpeg for that colour space,
    // leaving the source colour space (JFIF, Adobe transform) to libjpeg's defaults.
    switch (cinfo->num_components) {
    case 1: cinfo->out_color_space = JCS_GRAYSCALE; break;
    case 3: cinfo->out_color_space = JCS_RGB; break;
    case 4: cinfo->out_color_space = JCS_CMYK; break;
    default:
        snprintf(decoder->message, sizeof decoder->message, "cannot handle %d-layer images", cinfo->num_components);
        return CIC_ERROR;
    }
    info->width = cinfo->image_width;
    info->height = cinfo->image_height;
    info->components = cinfo->num_components;
    return CIC_OK;
}

cic_status cic_jpeg_decode(cic_jpeg *decoder, uint8_t *pixels) {
    j_decompress_ptr cinfo = &decoder->cinfo;
    if (setjmp(decoder->jump)) return CIC_ERROR;
    if (!jpeg_start_decompress(cinfo)) return CIC_TRUNCATED;
    size_t stride = (size_t)cinfo->output_width * (size_t)cinfo->output_components;
    while (cinfo->output_scanline < cinfo->output_height) {
        JSAMPROW row = pixels + (size_t)cinfo->output_scanline * stride;
        if (jpeg_read_scanlines(cinfo, &row, 1) != 1) return CIC_TRUNCATED;
    }
    // Pillow ignores a suspension here (every row is decoded) but not an error.
    (void)jpeg_finish_decompress(cinfo);
    return CIC_OK;
}

const char *cic_jpeg_message(const cic_jpeg *decoder) { return decoder->message; }

void cic_jpeg_destroy(cic_jpeg *decoder) {
    if (!decoder) return;
    jpeg_destroy_decompress(&decoder->cinfo);
    free(decoder);
}
