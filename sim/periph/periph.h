/*
 * periph.h: behavioural peripheral models (docs/periph.md). A model answers the register
 * accesses of one device of the board in virtual time: a task's load or store on the
 * device's register window traps, the daemon asks the run's observers (RunObserver.mmio),
 * and the periph observer (sim/periph/observe.h) hands it to the device's model.
 *
 * One model class per file (stm32_tim.c, stm32_usart.c, stm32_gpio.c), selected by the
 * device's 'compatible' strings as Sentry's devicetrees write them, or named by the
 * description's 'model = NAME' key. Models are pure: no I/O, no glib, no clock but the
 * virtual time their host gives them; what they do to the world (an IRQ line, a timer, bytes
 * sent, a pin level) goes through PeriphHost. Same accesses at the same virtual times give
 * the same answers.
 *
 * Lifecycle: cls = periph_class_by_name() or periph_class_by_compatible() ->
 * m = periph_model_new(cls, &host, &info) (reset already done) -> periph_read() /
 * periph_write() / periph_peek() / periph_poke() / periph_model_fire() / periph_model_rx()
 * ... -> periph_model_free().
 */
#ifndef SIM_PERIPH_PERIPH_H
#define SIM_PERIPH_PERIPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The name of the plain-memory "model": the window traps, and the trap mechanism itself
 * performs the access on the window's memory. No class answers it. */
#define PERIPH_MODEL_MEMORY "memory"
/* 'model = none': the device keeps its plain (untrapped) window. */
#define PERIPH_MODEL_NONE "none"

#define PERIPH_MAX_TIMERS 4 /* timers per model instance */

/* A model's DMA request lines (PeriphHost.dma, PeriphClass.dma_reg). */
enum {
	PERIPH_DMA_RX = 0, /* an item to read: for a device-to-memory stream from the device */
	PERIPH_DMA_TX = 1, /* room for an item: for a memory-to-device stream to the device */
	PERIPH_DMA_REQS = 2,
};

/* What the world offers a model instance. Every callback gets |data|. */
typedef struct {
	void *data;
	/* virtual time, in nanoseconds since boot */
	uint64_t (*now)(void *data);
	/* the level of the device's IRQ output |line| (index in its 'interrupts') changed */
	void (*irq)(void *data, unsigned line, bool level);
	/* call periph_model_fire(m, |timer|) at virtual time |at_ns| (UINT64_MAX: disarm);
	 * |wakes|: the event may raise an IRQ (it counts as a stimulus coming) */
	void (*arm)(void *data, unsigned timer, uint64_t at_ns, bool wakes);
	/* bytes the device sends to the outside (a UART's transmit line) */
	void (*tx)(void *data, const uint8_t *bytes, size_t len);
	/* pin |pin| of the device's GPIO port: false when no device of the board declares it;
	 * else |*input| the level it reads, |*output| its output latch */
	bool (*pin_get)(void *data, uint8_t pin, bool *input, bool *output);
	/* set the output latch of pin |pin| as the gpio_set system call would (ignored when
	 * no device declares it) */
	void (*pin_set)(void *data, uint8_t pin, bool level);
	/* the level of DMA request |req| (PERIPH_DMA_RX or _TX) changed. While it is high and a
	 * started stream has the device at that end, the host serves it, one byte per beat: a
	 * bus read (periph_read) of the class's dma_reg[PERIPH_DMA_RX] into memory, or a bus
	 * write of a byte from memory to dma_reg[PERIPH_DMA_TX], then PeriphClass.dma_ack.
	 * Never from inside the call: the beats come after the model's access returns. */
	void (*dma)(void *data, unsigned req, bool level);
	/* whether a started stream waits for request |req| now (it will be served once the
	 * model's call returns): a receiver holds its next byte rather than overrun */
	bool (*dma_waits)(void *data, unsigned req);
} PeriphHost;

/* Facts about the device a model instance answers for. */
typedef struct {
	const char *name;  /* the device's name ("usart1"), for messages */
	uint64_t size;     /* of its register window */
	uint64_t clock_hz; /* its kernel clock (timers count it, UARTs divide it): the core
	                      frequency of the system */
	uint8_t port;      /* a GPIO port's number (0 for port A) */
} PeriphInfo;

typedef struct periph_model PeriphModel;

/* A model class: registers are 32 bits wide and 4-aligned; periph_read()/periph_write()
 * split any other access into these. */
typedef struct {
	const char *name;              /* for 'model = NAME' and messages */
	const char *const *compatible; /* the devicetree compatible strings it answers */
	const char *summary;           /* one line, for docs and error hints */
	size_t instance_size;          /* >= sizeof(PeriphModel), which it starts with */
	/* put every register at its reset value (the instance is zeroed before the first) */
	void (*reset)(PeriphModel *m);
	/* a bus read or write of the register at |offset| (4-aligned), with its side
	 * effects (a read of RDR clears RXNE) */
	uint32_t (*read)(PeriphModel *m, uint32_t offset);
	void (*write)(PeriphModel *m, uint32_t offset, uint32_t value);
	/* what the register holds, without side effects (scripts' 'reg'); NULL: read */
	uint32_t (*peek)(PeriphModel *m, uint32_t offset);
	/* set what the register holds, as the device would (scripts' 'write'), without the
	 * bus semantics (a write-1-to-clear register takes the value as it is) */
	void (*poke)(PeriphModel *m, uint32_t offset, uint32_t value);
	/* timer |timer| armed through PeriphHost.arm is due (virtual time is its time) */
	void (*fire)(PeriphModel *m, unsigned timer);
	/* bytes from the outside (a UART's receive line); NULL: the model takes none */
	void (*rx)(PeriphModel *m, const uint8_t *bytes, size_t len);
	/* DMA: whether the model raises requests (PeriphHost.dma), the register each request
	 * line's beats access, and, when the request is a pulse that the access itself does not
	 * lower (a timer's update request), what lowers it: the host served request |req| once
	 * (NULL: the beat's access lowers it, as reading RDR clears RXNE) */
	bool dma;
	uint32_t dma_reg[PERIPH_DMA_REQS];
	void (*dma_ack)(PeriphModel *m, unsigned req);
} PeriphClass;

/* The common head of every instance. */
struct periph_model {
	const PeriphClass *cls;
	PeriphHost host;
	PeriphInfo info;
};

/* Every class, NULL-terminated, in the order docs/periph.md lists them. */
extern const PeriphClass *const periph_classes[];

/* The class called |name|, or NULL (also for "memory" and "none", which no class answers). */
const PeriphClass *periph_class_by_name(const char *name);
/* The class of the first of |compatible| (NULL-terminated, most specific first, as in a
 * devicetree) that names one, or NULL. A string that names a device whose registers no class
 * models (an STM32F4 USART's older layout) stops the search: such a device gets none. */
const PeriphClass *periph_class_by_compatible(const char *const *compatible);
/* Whether |name| may be given as 'model = NAME': a class, "memory" or "none". */
bool periph_model_name_known(const char *name);
/* "stm32-tim-basic, stm32-usart, stm32-gpio, memory, none", for messages. Static. */
const char *periph_model_names(void);

/* A reset instance of |cls|; |host| and |info| are copied (info->name is not: it must outlive
 * the instance). Returns NULL when out of memory. */
PeriphModel *periph_model_new(const PeriphClass *cls, const PeriphHost *host,
                              const PeriphInfo *info);
void periph_model_free(PeriphModel *m);
void periph_model_reset(PeriphModel *m);

/* A bus access of |width| bytes (1, 2, 4 or 8) at byte |offset| of the window, in the
 * tasks' byte order (little-endian): split into the 32-bit registers it touches. A read of
 * part of a register reads the whole register (with its side effects); a write of part of
 * one writes the whole, its other bytes as periph_peek() gives them. */
uint64_t periph_read(PeriphModel *m, uint32_t offset, unsigned width);
void periph_write(PeriphModel *m, uint32_t offset, unsigned width, uint64_t value);
/* The 32-bit register at |offset| (4-aligned), without side effects; set it as the device
 * would (see PeriphClass.poke). */
uint32_t periph_peek(PeriphModel *m, uint32_t offset);
void periph_poke(PeriphModel *m, uint32_t offset, uint32_t value);
void periph_model_fire(PeriphModel *m, unsigned timer);
/* Returns false when the model takes no bytes from outside. */
bool periph_model_rx(PeriphModel *m, const uint8_t *bytes, size_t len);
/* One DMA beat on request |req|: the byte read from the device (PERIPH_DMA_RX, into |*byte|)
 * or written to it (PERIPH_DMA_TX, from |*byte|), then the class's dma_ack. Returns false
 * when the class raises no DMA requests. */
bool periph_dma_beat(PeriphModel *m, unsigned req, uint8_t *byte);

/* ---- helpers for the models ---------------------------------------------------------- */

/* The number of whole cycles of a |hz| clock in [0, ns]. */
uint64_t periph_cycles_at(uint64_t ns, uint64_t hz);
/* The first virtual nanosecond at which |cycles| whole cycles of a |hz| clock have passed. */
uint64_t periph_ns_of_cycles(uint64_t cycles, uint64_t hz);

#endif
