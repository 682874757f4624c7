/*
 * button: a GPIO driver. The board's button is an input pin whose edge raises IRQ 23 (an
 * EXTI line); on each press the driver reads the pin and toggles the LED, an output pin of the
 * same device. Delivery masks the IRQ line (uapi.md 4.20): the driver acknowledges and enables
 * it again after each press.
 */
#include "scenarios/common/task.h"

#define GPIO_DEV   0x30
#define BUTTON_IRQ 23
#define IO_BUTTON  0
#define IO_LED     1

int main(void)
{
	devh_t dev = 0;
	if (__sys_get_device_handle(GPIO_DEV) == STATUS_OK)
		copy_from_kernel((uint8_t *)&dev, sizeof(dev));
	__sys_gpio_configure(dev, IO_BUTTON);
	__sys_gpio_configure(dev, IO_LED);
	__sys_gpio_reset(dev, IO_LED);
	__sys_irq_enable(BUTTON_IRQ);
	say("waiting for the button\n");
	for (int presses = 0; presses < 3;) {
		exchange_event_t ev;
		uint32_t irq = 0;
		if (wait_event(EVENT_TYPE_IRQ, WFE_WAIT_FOREVER, &ev, (uint8_t *)&irq,
		               sizeof(irq)) != STATUS_OK)
			continue;
		__sys_gpio_get(dev, IO_BUTTON);
		uint8_t level = _s_svcexchange.type; /* gpio_get writes one byte at exch[0] */
		if (level) {
			presses++;
			__sys_gpio_toggle(dev, IO_LED);
			__sys_gpio_get(dev, IO_LED);
			say("press %d at %" PRIu64 " ms: LED %s\n", presses, now_ms(),
			    _s_svcexchange.type ? "on" : "off");
		}
		__sys_irq_acknowledge(BUTTON_IRQ);
		__sys_irq_enable(BUTTON_IRQ);
	}
	return 0;
}
