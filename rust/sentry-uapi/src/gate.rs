//! gate.rs: the functions of libsentry-uapi this crate calls, and a stand-in for unit tests.
//!
//! Every result is read as a `u32` and converted with `Status::from`, so that a value the
//! Rust enum lacks is never materialised as an enum. Under `cargo test` the library is not
//! linked (its boot constructor would refuse to run outside the simulator): `fake` records
//! each call and keeps a per-thread exchange area instead.

/// SleepDuration as the C header lays it out: a tag and the arbitrary milliseconds.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CSleepDuration {
    pub tag: u32,
    pub arbitrary_ms: u32,
}

#[cfg(not(test))]
mod c {
    use super::CSleepDuration;

    #[link(name = "sentry-uapi", kind = "static")]
    extern "C" {
        pub fn __sys_exit(status: i32) -> u32;
        pub fn __sys_get_process_handle(process: u32) -> u32;
        pub fn __sys_get_device_handle(devlabel: u32) -> u32;
        pub fn __sys_sched_yield() -> u32;
        pub fn __sys_sleep(duration: CSleepDuration, mode: u32) -> u32;
        pub fn __sys_start(process: u32) -> u32;
        pub fn __sys_map_dev(dev: u32) -> u32;
        pub fn __sys_map_shm(shm: u32) -> u32;
        pub fn __sys_unmap_dev(dev: u32) -> u32;
        pub fn __sys_unmap_shm(shm: u32) -> u32;
        pub fn __sys_shm_set_credential(shm: u32, target: u32, perm: u32) -> u32;
        pub fn __sys_send_ipc(target: u32, length: u8) -> u32;
        pub fn __sys_send_signal(target: u32, signal: u32) -> u32;
        pub fn __sys_wait_for_event(mask: u8, timeout: i32) -> u32;
        pub fn __sys_pm_manage(mode: u32) -> u32;
        pub fn __sys_pm_set_clock(clk_reg: u32, regmsk: u32, val: u32) -> u32;
        pub fn __sys_log(length: usize) -> u32;
        pub fn __sys_alarm(timeout_ms: u32, flag: u32) -> u32;
        pub fn __sys_get_random() -> u32;
        pub fn __sys_get_cycle(precision: u32) -> u32;
        pub fn __sys_gpio_get(resource: u32, io: u8) -> u32;
        pub fn __sys_gpio_set(resource: u32, io: u8, val: bool) -> u32;
        pub fn __sys_gpio_reset(resource: u32, io: u8) -> u32;
        pub fn __sys_gpio_toggle(resource: u32, io: u8) -> u32;
        pub fn __sys_gpio_configure(resource: u32, io: u8) -> u32;
        pub fn __sys_irq_acknowledge(irq: u16) -> u32;
        pub fn __sys_irq_enable(irq: u16) -> u32;
        pub fn __sys_irq_disable(irq: u16) -> u32;
        pub fn __sys_get_shm_handle(label: u32) -> u32;
        pub fn __sys_get_dma_stream_handle(label: u32) -> u32;
        pub fn __sys_dma_start_stream(stream: u32) -> u32;
        pub fn __sys_dma_suspend_stream(stream: u32) -> u32;
        pub fn __sys_dma_get_stream_status(stream: u32) -> u32;
        pub fn __sys_shm_get_infos(shm: u32) -> u32;
        pub fn __sys_dma_assign_stream(stream: u32) -> u32;
        pub fn __sys_dma_unassign_stream(stream: u32) -> u32;
        pub fn __sys_dma_get_stream_info(stream: u32) -> u32;
        pub fn __sys_dma_resume_stream(stream: u32) -> u32;
        pub fn __sys_autotest_set_capa(capa: u32) -> u32;
        pub fn __sys_autotest_clear_capa(capa: u32) -> u32;
        pub fn __sys_has_respawned() -> u32;
        pub fn copy_to_kernel(from: *const u8, length: usize) -> u32;
        pub fn copy_from_kernel(to: *mut u8, length: usize) -> u32;
    }

    /// Keeps the runtime in a task that makes no Sentry call: the linker takes an archive's
    /// objects only when a symbol of theirs is used (a shared library would be dropped by
    /// `--as-needed` alike), and the boot constructor must run in every task process (it
    /// installs the sandbox and meets the daemon). A kept `.init_array` entry refers to
    /// the library's syscalls, which use its runtime.
    #[used]
    #[link_section = ".init_array"]
    static KEEP_LIBSENTRY_UAPI: extern "C" fn() = keep_libsentry_uapi;

    extern "C" fn keep_libsentry_uapi() {
        // Never true: a reference the linker cannot drop, without a call at boot.
        static NEVER: bool = false;
        if unsafe { core::ptr::read_volatile(&NEVER) } {
            unsafe {
                __sys_sched_yield();
            }
        }
    }
}

#[cfg(not(test))]
pub use c::*;

#[cfg(test)]
pub use fake::*;

#[cfg(test)]
pub mod fake {
    //! A recording stand-in for libsentry-uapi: each call is pushed as (name, args) and
    //! answers with the next queued result (STATUS_OK when none).
    #![allow(clippy::missing_safety_doc)]
    use super::CSleepDuration;
    use crate::exchange::EXCHANGE_AREA_LEN;
    use std::cell::RefCell;

    thread_local! {
        pub static CALLS: RefCell<Vec<(&'static str, Vec<u64>)>> = RefCell::new(Vec::new());
        pub static RESULTS: RefCell<Vec<u32>> = RefCell::new(Vec::new());
        pub static AREA: RefCell<[u8; EXCHANGE_AREA_LEN]> = RefCell::new([0; EXCHANGE_AREA_LEN]);
    }

    fn call(name: &'static str, args: &[u64]) -> u32 {
        CALLS.with(|c| c.borrow_mut().push((name, args.to_vec())));
        RESULTS.with(|r| {
            let mut r = r.borrow_mut();
            if r.is_empty() {
                0
            } else {
                r.remove(0)
            }
        })
    }

    macro_rules! fake {
        ($($name:ident($($a:ident: $t:ty),*);)*) => {
            $(pub unsafe fn $name($($a: $t),*) -> u32 { call(stringify!($name), &[$($a as u64),*]) })*
        };
    }

    fake! {
        __sys_exit(status: i32);
        __sys_get_process_handle(process: u32);
        __sys_get_device_handle(devlabel: u32);
        __sys_sched_yield();
        __sys_start(process: u32);
        __sys_map_dev(dev: u32);
        __sys_map_shm(shm: u32);
        __sys_unmap_dev(dev: u32);
        __sys_unmap_shm(shm: u32);
        __sys_shm_set_credential(shm: u32, target: u32, perm: u32);
        __sys_send_ipc(target: u32, length: u8);
        __sys_send_signal(target: u32, signal: u32);
        __sys_wait_for_event(mask: u8, timeout: i32);
        __sys_pm_manage(mode: u32);
        __sys_pm_set_clock(clk_reg: u32, regmsk: u32, val: u32);
        __sys_log(length: usize);
        __sys_alarm(timeout_ms: u32, flag: u32);
        __sys_get_random();
        __sys_get_cycle(precision: u32);
        __sys_gpio_get(resource: u32, io: u8);
        __sys_gpio_set(resource: u32, io: u8, val: bool);
        __sys_gpio_reset(resource: u32, io: u8);
        __sys_gpio_toggle(resource: u32, io: u8);
        __sys_gpio_configure(resource: u32, io: u8);
        __sys_irq_acknowledge(irq: u16);
        __sys_irq_enable(irq: u16);
        __sys_irq_disable(irq: u16);
        __sys_get_shm_handle(label: u32);
        __sys_get_dma_stream_handle(label: u32);
        __sys_dma_start_stream(stream: u32);
        __sys_dma_suspend_stream(stream: u32);
        __sys_dma_get_stream_status(stream: u32);
        __sys_shm_get_infos(shm: u32);
        __sys_dma_assign_stream(stream: u32);
        __sys_dma_unassign_stream(stream: u32);
        __sys_dma_get_stream_info(stream: u32);
        __sys_dma_resume_stream(stream: u32);
        __sys_autotest_set_capa(capa: u32);
        __sys_autotest_clear_capa(capa: u32);
        __sys_has_respawned();
    }

    pub unsafe fn __sys_sleep(d: CSleepDuration, mode: u32) -> u32 {
        call("__sys_sleep", &[d.tag as u64, d.arbitrary_ms as u64, mode as u64])
    }

    /// The C library's copy: min(length, area) bytes, INVALID for NULL with a length.
    pub unsafe fn copy_to_kernel(from: *const u8, length: usize) -> u32 {
        if from.is_null() && length > 0 {
            return 1;
        }
        let n = length.min(EXCHANGE_AREA_LEN);
        AREA.with(|a| a.borrow_mut()[..n].copy_from_slice(std::slice::from_raw_parts(from, n)));
        0
    }

    pub unsafe fn copy_from_kernel(to: *mut u8, length: usize) -> u32 {
        if to.is_null() && length > 0 {
            return 1;
        }
        let n = length.min(EXCHANGE_AREA_LEN);
        AREA.with(|a| std::slice::from_raw_parts_mut(to, n).copy_from_slice(&a.borrow()[..n]));
        0
    }

    /// Calls made so far by this thread, and forget them.
    pub fn take_calls() -> Vec<(&'static str, Vec<u64>)> {
        CALLS.with(|c| std::mem::take(&mut *c.borrow_mut()))
    }

    /// The next results the fake answers with, in order.
    pub fn queue_results(r: &[u32]) {
        RESULTS.with(|q| q.borrow_mut().extend_from_slice(r));
    }
}

/// The Rust standard library's start asks glibc for the main thread's stack
/// (`pthread_getattr_np`), which reads /proc/self/maps: a file, refused by the sandbox's
/// fidelity policy, and a file no target has. This definition, in the task's executable,
/// answers "not available" instead; the start then keeps no guard-page range, which it
/// only uses to word a stack overflow, and libsentry-uapi's fault handler already
/// diagnoses those (uapi/src/runtime.c). A Sentry task has one thread: nothing else asks.
#[cfg(all(not(test), target_os = "linux", target_env = "gnu"))]
#[no_mangle]
pub extern "C" fn pthread_getattr_np(_thread: usize, _attr: *mut u8) -> i32 {
    38 // ENOSYS on Linux
}
