/*
 * periph.c: the model registry and what every model shares (see periph.h): the table of
 * classes, the lookup by name and by compatible string, and the split of a bus access of any
 * width into the 32-bit registers of a model.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sim/periph/periph.h"
#include "sim/periph/periph_models.h"

const PeriphClass *const periph_classes[] = {
    &periph_stm32_tim_basic,
    &periph_stm32_usart,
    &periph_stm32_gpio,
    NULL,
};

/* Compatible strings of devices whose register layout no class models: the search stops
 * there (a device that says it is an STM32F4 USART, "st,stm32f4-usart; st,stm32-usart", has
 * the F4 layout with SR and DR, not the ISR/RDR/TDR layout of the USART model). */
static const char *const unmodelled[] = {
    "st,stm32f4-usart",
    "st,stm32f1-uart",
    NULL,
};

const PeriphClass *periph_class_by_name(const char *name)
{
	for (const PeriphClass *const *c = periph_classes; *c != NULL; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

static bool in_list(const char *const *list, const char *s)
{
	for (; *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

const PeriphClass *periph_class_by_compatible(const char *const *compatible)
{
	if (compatible == NULL)
		return NULL;
	for (; *compatible != NULL; compatible++) {
		if (in_list(unmodelled, *compatible))
			return NULL;
		for (const PeriphClass *const *c = periph_classes; *c != NULL; c++)
			if (in_list((*c)->compatible, *compatible))
				return *c;
	}
	return NULL;
}

bool periph_model_name_known(const char *name)
{
	return periph_class_by_name(name) != NULL || strcmp(name, PERIPH_MODEL_MEMORY) == 0 ||
	       strcmp(name, PERIPH_MODEL_NONE) == 0;
}

const char *periph_model_names(void)
{
	static char names[256];

	if (names[0] == '\0') {
		for (const PeriphClass *const *c = periph_classes; *c != NULL; c++) {
			strncat(names, (*c)->name, sizeof(names) - strlen(names) - 1);
			strncat(names, ", ", sizeof(names) - strlen(names) - 1);
		}
		strncat(names, PERIPH_MODEL_MEMORY ", " PERIPH_MODEL_NONE,
		        sizeof(names) - strlen(names) - 1);
	}
	return names;
}

/* A host that serves no DMA request. */
static void no_dma(void *data, unsigned req, bool level)
{
	(void)data, (void)req, (void)level;
}

static bool no_dma_waits(void *data, unsigned req)
{
	(void)data, (void)req;
	return false;
}

PeriphModel *periph_model_new(const PeriphClass *cls, const PeriphHost *host,
                              const PeriphInfo *info)
{
	PeriphModel *m = calloc(1, cls->instance_size);

	if (m == NULL)
		return NULL;
	m->cls = cls;
	m->host = *host;
	if (m->host.dma == NULL)
		m->host.dma = no_dma;
	if (m->host.dma_waits == NULL)
		m->host.dma_waits = no_dma_waits;
	m->info = *info;
	cls->reset(m);
	return m;
}

void periph_model_free(PeriphModel *m)
{
	free(m);
}

void periph_model_reset(PeriphModel *m)
{
	m->cls->reset(m);
}

uint32_t periph_peek(PeriphModel *m, uint32_t offset)
{
	return m->cls->peek ? m->cls->peek(m, offset) : m->cls->read(m, offset);
}

void periph_poke(PeriphModel *m, uint32_t offset, uint32_t value)
{
	m->cls->poke(m, offset, value);
}

void periph_model_fire(PeriphModel *m, unsigned timer)
{
	if (m->cls->fire != NULL)
		m->cls->fire(m, timer);
}

bool periph_model_rx(PeriphModel *m, const uint8_t *bytes, size_t len)
{
	if (m->cls->rx == NULL)
		return false;
	m->cls->rx(m, bytes, len);
	return true;
}

bool periph_dma_beat(PeriphModel *m, unsigned req, uint8_t *byte)
{
	if (!m->cls->dma || req >= PERIPH_DMA_REQS)
		return false;
	if (req == PERIPH_DMA_RX)
		*byte = (uint8_t)periph_read(m, m->cls->dma_reg[req], 1);
	else
		periph_write(m, m->cls->dma_reg[req], 1, *byte);
	if (m->cls->dma_ack != NULL)
		m->cls->dma_ack(m, req);
	return true;
}

/* The part of an access of |width| bytes at |offset| that starts |done| bytes in: the
 * register at |*reg|, its bytes [*lo, *lo + *n). */
static void chunk(uint32_t offset, unsigned width, unsigned done, uint32_t *reg, unsigned *lo,
                  unsigned *n)
{
	uint32_t at = offset + done;
	*reg = at & ~3u;
	*lo = at - *reg;
	*n = 4 - *lo < width - done ? 4 - *lo : width - done;
}

static uint32_t byte_mask(unsigned n)
{
	return n == 4 ? 0xffffffffu : (1u << (8 * n)) - 1;
}

uint64_t periph_read(PeriphModel *m, uint32_t offset, unsigned width)
{
	uint64_t value = 0;
	uint32_t reg;
	unsigned lo, n;

	for (unsigned done = 0; done < width; done += n) {
		chunk(offset, width, done, &reg, &lo, &n);
		uint64_t part = (m->cls->read(m, reg) >> (8 * lo)) & byte_mask(n);
		value |= part << (8 * done);
	}
	return value;
}

void periph_write(PeriphModel *m, uint32_t offset, unsigned width, uint64_t value)
{
	uint32_t reg;
	unsigned lo, n;

	for (unsigned done = 0; done < width; done += n) {
		chunk(offset, width, done, &reg, &lo, &n);
		uint32_t mask = byte_mask(n) << (8 * lo);
		uint32_t part = (uint32_t)(value >> (8 * done)) << (8 * lo);
		uint32_t word = n == 4 ? part : (periph_peek(m, reg) & ~mask) | (part & mask);
		m->cls->write(m, reg, word);
	}
}

uint64_t periph_cycles_at(uint64_t ns, uint64_t hz)
{
	return (uint64_t)((unsigned __int128)ns * hz / 1000000000u);
}

uint64_t periph_ns_of_cycles(uint64_t cycles, uint64_t hz)
{
	unsigned __int128 num = (unsigned __int128)cycles * 1000000000u;
	return (uint64_t)((num + hz - 1) / hz);
}
