/*
 * device.h: device and shared-memory description records of the Sentry UAPI
 * (uapi.md 1.5, 9.1, 9.2).
 *
 * No system call returns these records: tables generated from the board description use
 * them. Layouts follow the task's ABI (ILP32 on the target, LP64 on a 64-bit host).
 */
#ifndef UAPI_DEVICE_H
#define UAPI_DEVICE_H

#include <assert.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Interrupt handler of a device: receives the IRQ number. */
typedef int (*it_handler_p)(uint16_t it);

/* One interrupt line of a device. */
typedef struct it_info {
	uint16_t it_num;
	uint8_t it_controler; /* sic; always 0 */
} it_info_t;

/* One pin configuration of a device. */
typedef struct io_info {
	uint8_t port; /* index among the enabled GPIO port controllers */
	uint8_t pin;
	uint8_t mode;
	uint8_t af;
	uint8_t ppull;
	uint8_t speed;
	uint32_t pupdr;
} io_info_t;

typedef struct devinfo {
	uint32_t id; /* device label */
	bool mappable;
	size_t baseaddr;
	size_t size;
	uint8_t num_interrupt;
	it_info_t its[8];
	uint8_t num_ios;
	io_info_t ios[8];
} devinfo_t;

typedef struct shminfo {
	uint32_t id; /* SHM label */
	bool mappable;
	bool dmapool;
	size_t baseaddr;
	size_t size;
} shminfo_t;

#ifdef __cplusplus
}
#endif

#endif /* UAPI_DEVICE_H */
