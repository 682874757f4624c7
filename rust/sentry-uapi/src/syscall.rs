//! syscall.rs: one function per Sentry system call, with upstream's names and signatures.
//!
//! Each calls the libsentry-uapi function of the same call, which does what the library
//! does on the target (the SleepDuration conversion, the INTR retry of wait_for_event, the
//! length check of log) and traps into the simulated kernel. Data goes through the
//! exchange area: see [`crate::copy_to_kernel`] and [`crate::copy_from_kernel`].
use crate::gate;
use crate::systypes::*;

/// Ends the current job with `status`; never returns.
#[inline(always)]
pub fn exit(status: i32) -> Status {
    Status::from(unsafe { gate::__sys_exit(status) })
}

/// Handle of the task labelled `process`, into the exchange area.
#[inline(always)]
pub fn get_process_handle(process: TaskLabel) -> Status {
    Status::from(unsafe { gate::__sys_get_process_handle(process) })
}

/// Handle of the shared memory labelled `shm`, into the exchange area.
#[inline(always)]
pub fn get_shm_handle(shm: ShmLabel) -> Status {
    Status::from(unsafe { gate::__sys_get_shm_handle(shm) })
}

/// Handle of the DMA stream labelled `stream`, into the exchange area.
#[inline(always)]
pub fn get_dma_stream_handle(stream: StreamLabel) -> Status {
    Status::from(unsafe { gate::__sys_get_dma_stream_handle(stream) })
}

/// Gives up the rest of the quantum.
#[inline(always)]
pub fn sched_yield() -> Status {
    Status::from(unsafe { gate::__sys_sched_yield() })
}

/// Sleeps; Status::Timeout is the normal end, Status::Intr an early wake-up.
#[inline(always)]
pub fn sleep(duration_ms: SleepDuration, mode: SleepMode) -> Status {
    let d = gate::CSleepDuration {
        tag: duration_ms.c_tag(),
        arbitrary_ms: match duration_ms {
            SleepDuration::ArbitraryMs(ms) => ms,
            _ => 0,
        },
    };
    Status::from(unsafe { gate::__sys_sleep(d, u32::from(mode)) })
}

/// Starts the task labelled `process` (CAP_SYS_PROCSTART).
#[inline(always)]
pub fn start(process: TaskLabel) -> Status {
    Status::from(unsafe { gate::__sys_start(process) })
}

/// Maps a device.
#[inline(always)]
pub fn map_dev(dev: DeviceHandle) -> Status {
    Status::from(unsafe { gate::__sys_map_dev(dev) })
}

/// Maps a shared memory.
#[inline(always)]
pub fn map_shm(shm: ShmHandle) -> Status {
    Status::from(unsafe { gate::__sys_map_shm(shm) })
}

/// Unmaps a device.
#[inline(always)]
pub fn unmap_dev(dev: DeviceHandle) -> Status {
    Status::from(unsafe { gate::__sys_unmap_dev(dev) })
}

/// Unmaps a shared memory.
#[inline(always)]
pub fn unmap_shm(shm: ShmHandle) -> Status {
    Status::from(unsafe { gate::__sys_unmap_shm(shm) })
}

/// Gives task `id` the SHMPermission mask `shm_perm` on `shm`.
#[inline(always)]
pub fn shm_set_credential(shm: ShmHandle, id: TaskHandle, shm_perm: u32) -> Status {
    Status::from(unsafe { gate::__sys_shm_set_credential(shm, id, shm_perm) })
}

/// Sends the first `length` bytes of the exchange area to `target`; blocks until taken.
#[inline(always)]
pub fn send_ipc(target: TaskHandle, length: u8) -> Status {
    Status::from(unsafe { gate::__sys_send_ipc(target, length) })
}

/// Queues `signal_type` for task `resource`.
#[inline(always)]
pub fn send_signal(resource: u32, signal_type: Signal) -> Status {
    Status::from(unsafe { gate::__sys_send_signal(resource, signal_type as u32) })
}

/// Reads GPIO `io` of device `resource` (0 or 1 into the exchange area).
#[inline(always)]
pub fn gpio_get(resource: u32, io: u8) -> Status {
    Status::from(unsafe { gate::__sys_gpio_get(resource, io) })
}

/// Sets GPIO `io` of device `resource` to `val`.
#[inline(always)]
pub fn gpio_set(resource: u32, io: u8, val: bool) -> Status {
    Status::from(unsafe { gate::__sys_gpio_set(resource, io, val) })
}

/// Sets GPIO `io` of device `resource` low.
#[inline(always)]
pub fn gpio_reset(resource: u32, io: u8) -> Status {
    Status::from(unsafe { gate::__sys_gpio_reset(resource, io) })
}

/// Inverts GPIO `io` of device `resource`.
#[inline(always)]
pub fn gpio_toggle(resource: u32, io: u8) -> Status {
    Status::from(unsafe { gate::__sys_gpio_toggle(resource, io) })
}

/// Configures GPIO `io` of device `resource` as the description says.
#[inline(always)]
pub fn gpio_configure(resource: u32, io: u8) -> Status {
    Status::from(unsafe { gate::__sys_gpio_configure(resource, io) })
}

/// Handle of the device labelled `devlabel`, into the exchange area.
#[inline(always)]
pub fn get_device_handle(devlabel: u8) -> Status {
    Status::from(unsafe { gate::__sys_get_device_handle(u32::from(devlabel)) })
}

/// Acknowledges interrupt `irq` of an owned device.
#[inline(always)]
pub fn irq_acknowledge(irq: u16) -> Status {
    Status::from(unsafe { gate::__sys_irq_acknowledge(irq) })
}

/// Enables interrupt `irq`.
#[inline(always)]
pub fn irq_enable(irq: u16) -> Status {
    Status::from(unsafe { gate::__sys_irq_enable(irq) })
}

/// Disables interrupt `irq`.
#[inline(always)]
pub fn irq_disable(irq: u16) -> Status {
    Status::from(unsafe { gate::__sys_irq_disable(irq) })
}

/// Waits for an event of `mask` (-1: do not block, 0: forever, n: at most n ms); the
/// event is in the exchange area (see [`Event`]). Retried once after Status::Intr.
#[inline(always)]
pub fn wait_for_event(mask: u8, timeout: i32) -> Status {
    Status::from(unsafe { gate::__sys_wait_for_event(mask, timeout) })
}

/// Power command.
#[inline(always)]
pub fn pm_manage(mode: CPUSleep) -> Status {
    Status::from(unsafe { gate::__sys_pm_manage(u32::from(mode)) })
}

/// Starts, starts periodic, or stops an alarm of `timeout_ms`.
#[inline(always)]
pub fn alarm(timeout_ms: u32, flag: AlarmFlag) -> Status {
    Status::from(unsafe { gate::__sys_alarm(timeout_ms, u32::from(flag)) })
}

/// Writes the first `length` bytes of the exchange area to the debug output; a length
/// above the exchange area is Status::Invalid.
#[inline(always)]
pub fn log(length: usize) -> Status {
    Status::from(unsafe { gate::__sys_log(length) })
}

/// A random u32 into the exchange area (CAP_CRY_KRNG).
#[inline(always)]
pub fn get_random() -> Status {
    Status::from(unsafe { gate::__sys_get_random() })
}

/// A u64 clock reading into the exchange area.
#[inline(always)]
pub fn get_cycle(precision: Precision) -> Status {
    Status::from(unsafe { gate::__sys_get_cycle(precision as u32) })
}

/// Updates a clock register (CAP_SYS_POWER).
#[inline(always)]
pub fn pm_set_clock(clk_reg: u32, clkmsk: u32, val: u32) -> Status {
    Status::from(unsafe { gate::__sys_pm_set_clock(clk_reg, clkmsk, val) })
}

/// Starts a DMA stream.
#[inline(always)]
pub fn dma_start_stream(dmah: StreamHandle) -> Status {
    Status::from(unsafe { gate::__sys_dma_start_stream(dmah) })
}

/// Suspends a DMA stream.
#[inline(always)]
pub fn dma_suspend_stream(dmah: StreamHandle) -> Status {
    Status::from(unsafe { gate::__sys_dma_suspend_stream(dmah) })
}

/// Status of a DMA stream (not implemented by the kernel).
#[inline(always)]
pub fn dma_get_stream_status(dmah: StreamHandle) -> Status {
    Status::from(unsafe { gate::__sys_dma_get_stream_status(dmah) })
}

/// The [`shm::ShmInfo`] of `shm`, into the exchange area.
#[inline(always)]
pub fn shm_get_infos(shm: ShmHandle) -> Status {
    Status::from(unsafe { gate::__sys_shm_get_infos(shm) })
}

/// Assigns a DMA stream to its channel.
#[inline(always)]
pub fn dma_assign_stream(dmah: StreamHandle) -> Status {
    Status::from(unsafe { gate::__sys_dma_assign_stream(dmah) })
}

/// Unassigns a DMA stream.
#[inline(always)]
pub fn dma_unassign_stream(dmah: StreamHandle) -> Status {
    Status::from(unsafe { gate::__sys_dma_unassign_stream(dmah) })
}

/// The [`dma::GpdmaStreamConfig`] of a stream, into the exchange area.
#[inline(always)]
pub fn dma_get_stream_info(dmah: StreamHandle) -> Status {
    Status::from(unsafe { gate::__sys_dma_get_stream_info(dmah) })
}

/// Resumes a DMA stream.
#[inline(always)]
pub fn dma_resume_stream(dmah: StreamHandle) -> Status {
    Status::from(unsafe { gate::__sys_dma_resume_stream(dmah) })
}

/// Sets a bit of the global capability set (autotest kernels only).
#[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
#[inline(always)]
pub fn autotest_set_capa(capa: u32) -> Status {
    Status::from(unsafe { gate::__sys_autotest_set_capa(capa) })
}

/// Clears a bit of the global capability set (autotest kernels only).
#[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
#[inline(always)]
pub fn autotest_clear_capa(capa: u32) -> Status {
    Status::from(unsafe { gate::__sys_autotest_clear_capa(capa) })
}

/// Status::Ok if this job is a respawn, Status::Again otherwise.
#[inline(always)]
pub fn has_respawned() -> Status {
    Status::from(unsafe { gate::__sys_has_respawned() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::fake;

    #[test]
    fn sleep_sends_the_c_tag_and_milliseconds() {
        fake::take_calls();
        assert_eq!(sleep(SleepDuration::D5ms, SleepMode::Deep), Status::Ok);
        assert_eq!(sleep(SleepDuration::ArbitraryMs(1234), SleepMode::Shallow), Status::Ok);
        let calls = fake::take_calls();
        assert_eq!(calls[0], ("__sys_sleep", vec![2, 0, 1]));
        assert_eq!(calls[1], ("__sys_sleep", vec![6, 1234, 0]));
    }

    #[test]
    fn results_become_statuses() {
        fake::queue_results(&[7, 8, 10]);
        assert_eq!(sched_yield(), Status::Timeout);
        assert_eq!(has_respawned(), Status::Again);
        assert_eq!(get_random(), Status::Deadlk);
    }

    #[test]
    #[should_panic(expected = "out of the ABI")]
    fn a_status_beyond_the_abi_is_a_broken_invariant() {
        fake::queue_results(&[11]);
        let _ = sched_yield();
    }

    #[test]
    fn arguments_pass_unchanged() {
        fake::take_calls();
        let _ = send_ipc(0xdead_beef, 17);
        let _ = send_signal(42, Signal::Usr2);
        let _ = alarm(250, AlarmFlag::AlarmStartPeriodic);
        let _ = get_device_handle(0xfe);
        let _ = wait_for_event(EventType::Ipc as u8 | EventType::Signal as u8, -1);
        let _ = gpio_set(9, 3, true);
        let _ = get_cycle(Precision::Milliseconds);
        let calls = fake::take_calls();
        assert_eq!(calls[0], ("__sys_send_ipc", vec![0xdead_beef, 17]));
        assert_eq!(calls[1], ("__sys_send_signal", vec![42, 12]));
        assert_eq!(calls[2], ("__sys_alarm", vec![250, 1]));
        assert_eq!(calls[3], ("__sys_get_device_handle", vec![0xfe]));
        assert_eq!(calls[4], ("__sys_wait_for_event", vec![3, (-1i32) as u64]));
        assert_eq!(calls[5], ("__sys_gpio_set", vec![9, 3, 1]));
        assert_eq!(calls[6], ("__sys_get_cycle", vec![3]));
    }
}
