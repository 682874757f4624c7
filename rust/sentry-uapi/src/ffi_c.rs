//! ffi_c.rs: upstream's C interface, by name and signature, as plain Rust items.
//!
//! libsentry-uapi exports the real `__sys_*`, `copy_to_kernel` and `copy_from_kernel`
//! symbols that C tasks link against; these items carry no `#[no_mangle]`, so a Rust task
//! and a C library in the same process never see two definitions of one symbol.
use crate::exchange;
use crate::systypes::*;

/// Declares `pub extern "C" fn NAME(args) -> Status` forwarding to `syscall::TARGET`.
macro_rules! forward {
    ($($name:ident => $target:ident($($a:ident: $t:ty),*);)*) => {$(
        #[doc = concat!("C interface to [`crate::syscall::", stringify!($target), "`].")]
        pub extern "C" fn $name($($a: $t),*) -> Status {
            crate::syscall::$target($($a),*)
        }
    )*};
}

forward! {
    __sys_get_process_handle => get_process_handle(process: TaskLabel);
    __sys_exit => exit(status: i32);
    __sys_get_shm_handle => get_shm_handle(shm: ShmLabel);
    __sys_get_dma_stream_handle => get_dma_stream_handle(stream: StreamLabel);
    __sys_sched_yield => sched_yield();
    __sys_sleep => sleep(duration_ms: SleepDuration, mode: SleepMode);
    __sys_start => start(process: TaskLabel);
    __sys_map_dev => map_dev(dev: DeviceHandle);
    __sys_map_shm => map_shm(shm: ShmHandle);
    __sys_unmap_dev => unmap_dev(dev: DeviceHandle);
    __sys_unmap_shm => unmap_shm(shm: ShmHandle);
    __sys_shm_set_credential => shm_set_credential(shm: ShmHandle, id: TaskHandle, shm_perm: u32);
    __sys_send_ipc => send_ipc(target: TaskHandle, length: u8);
    __sys_send_signal => send_signal(resource: u32, signal_type: Signal);
    __sys_gpio_get => gpio_get(resource: u32, io: u8);
    __sys_gpio_set => gpio_set(resource: u32, io: u8, val: bool);
    __sys_gpio_reset => gpio_reset(resource: u32, io: u8);
    __sys_gpio_toggle => gpio_toggle(resource: u32, io: u8);
    __sys_gpio_configure => gpio_configure(resource: u32, io: u8);
    __sys_get_device_handle => get_device_handle(devlabel: u8);
    __sys_irq_acknowledge => irq_acknowledge(irq: u16);
    __sys_irq_enable => irq_enable(irq: u16);
    __sys_irq_disable => irq_disable(irq: u16);
    __sys_wait_for_event => wait_for_event(mask: u8, timeout: i32);
    __sys_pm_manage => pm_manage(mode: CPUSleep);
    __sys_alarm => alarm(timeout_ms: u32, flag: AlarmFlag);
    __sys_log => log(length: usize);
    __sys_get_random => get_random();
    __sys_get_cycle => get_cycle(precision: Precision);
    __sys_pm_set_clock => pm_set_clock(clk_reg: u32, clkmsk: u32, val: u32);
    __sys_dma_start_stream => dma_start_stream(dmah: StreamHandle);
    __sys_dma_suspend_stream => dma_suspend_stream(dmah: StreamHandle);
    __sys_dma_get_stream_status => dma_get_stream_status(dmah: StreamHandle);
    __sys_shm_get_infos => shm_get_infos(shm: ShmHandle);
    __sys_dma_assign_stream => dma_assign_stream(dmah: StreamHandle);
    __sys_dma_unassign_stream => dma_unassign_stream(dmah: StreamHandle);
    __sys_dma_get_stream_info => dma_get_stream_info(dmah: StreamHandle);
    __sys_dma_resume_stream => dma_resume_stream(dmah: StreamHandle);
    __sys_has_respawned => has_respawned();
}

#[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
forward! {
    __sys_autotest_set_capa => autotest_set_capa(capa: u32);
    __sys_autotest_clear_capa => autotest_clear_capa(capa: u32);
}

/// C interface to [`crate::copy_to_kernel`]: `length` bytes at `from`.
///
/// # Safety
/// `from` must point to `length` readable bytes.
pub unsafe extern "C" fn copy_to_kernel(from: *mut u8, length: usize) -> Status {
    let bytes: &[u8] = core::slice::from_raw_parts(from, length);
    match exchange::copy_to_kernel(&bytes) {
        Ok(_) => Status::Ok,
        Err(e) => e,
    }
}

/// C interface to [`crate::copy_from_kernel`]: `length` bytes to `to`.
///
/// # Safety
/// `to` must point to `length` writable bytes.
pub unsafe extern "C" fn copy_from_kernel(to: *mut u8, length: usize) -> Status {
    let mut bytes: &mut [u8] = core::slice::from_raw_parts_mut(to, length);
    match exchange::copy_from_kernel(&mut bytes) {
        Ok(_) => Status::Ok,
        Err(e) => e,
    }
}
