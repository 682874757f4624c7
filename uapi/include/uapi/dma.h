/*
 * dma.h: GPDMA types of the Sentry UAPI (uapi.md 1.3, 1.5, 4.23).
 *
 * gpdma_stream_cfg_t is what dma_get_stream_info writes at offset 0 of the exchange area,
 * in the layout of the task's ABI. A DMA event carries a gpdma_chan_state_t value as one
 * byte.
 */
#ifndef UAPI_DMA_H
#define UAPI_DMA_H

#include <assert.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bits of gpdma_stream_cfg_t.interrupts. */
typedef enum gpdma_chan_int {
	GPDMA_INT_TC = 1,
	GPDMA_INT_HT = 2,
	GPDMA_INT_ERROR = 4,
} gpdma_chan_int_t;

/* Channel status register image: exactly one byte, bits numbered from the LSB. */
typedef struct __attribute__((packed)) gpdma_chan_status {
	uint8_t state : 4;        /* bits 0-3: a gpdma_chan_state_t value */
	uint8_t half_reached : 1; /* bit 4 */
	uint8_t completed : 1;    /* bit 5 */
	uint8_t reserved : 2;     /* bits 6-7 */
} gpdma_chan_status_t;

#ifdef __cplusplus
static_assert(sizeof(gpdma_chan_status_t) == sizeof(uint8_t), "gpdma_chan_status_t is one byte");
#else
_Static_assert(sizeof(gpdma_chan_status_t) == sizeof(uint8_t), "gpdma_chan_status_t is one byte");
#endif

typedef enum gpdma_transfer_type {
	GPDMA_TRANSFER_MEMORY_TO_DEVICE = 0,
	GPDMA_TRANSFER_DEVICE_TO_MEMORY = 1,
	GPDMA_TRANSFER_MEMORY_TO_MEMORY = 2,
	GPDMA_TRANSFER_DEVICE_TO_DEVICE = 3,
} gpdma_transfer_type_t;

typedef enum gpdma_transfer_mode {
	GPDMA_TRANSFER_MODE_INCREMENT_NONE = 0,
	GPDMA_TRANSFER_MODE_INCREMENT_SRC = 1,
	GPDMA_TRANSFER_MODE_INCREMENT_DEST = 2,
} gpdma_transfer_mode_t;

typedef enum gpdma_beat_len {
	GPDMA_BEAT_LEN_BYTE = 0,
	GPDMA_BEAT_LEN_HALFWORD = 1,
	GPDMA_BEAT_LEN_WORD = 2,
} gpdma_beat_len_t;

typedef enum gpdma_priority {
	GPDMA_PRIORITY_LOW = 0,
	GPDMA_PRIORITY_MEDIUM = 1,
	GPDMA_PRIORITY_HIGH = 2,
	GPDMA_PRIORITY_VERY_HIGH = 3,
} gpdma_priority_t;

/* Static configuration of a DMA stream; enum values are stored in fixed-width fields. */
typedef struct gpdma_stream_cfg {
	uint16_t channel;
	uint16_t stream;
	uint16_t controller;
	uint16_t transfer_type; /* gpdma_transfer_type_t */
	size_t source;
	size_t dest;
	size_t transfer_len;
	bool circular_source;
	bool circular_dest;
	uint8_t interrupts; /* mask of gpdma_chan_int_t */
	bool is_triggered;
	uint8_t trigger;
	uint8_t priority;      /* gpdma_priority_t */
	uint8_t transfer_mode; /* gpdma_transfer_mode_t */
	uint8_t src_beat_len;  /* gpdma_beat_len_t */
	uint8_t dest_beat_len; /* gpdma_beat_len_t */
} gpdma_stream_cfg_t;

typedef enum dma_chan_state {
	GPDMA_STATE_IDLE = 1,
	GPDMA_STATE_RUNNING = 2,
	GPDMA_STATE_ABORTED = 3,
	GPDMA_STATE_SUSPENDED = 4,
	GPDMA_STATE_TRANSMISSION_FAILURE = 5,
	GPDMA_STATE_CONFIGURATION_FAILURE = 6,
	GPDMA_STATE_OVERRUN = 7,
	GPDMA_STATE_TRANSFER_COMPLETE = 8,
	GPDMA_STATE_HALF_TRANSFER = 9,
} gpdma_chan_state_t;

#ifdef __cplusplus
}
#endif

#endif /* UAPI_DMA_H */
